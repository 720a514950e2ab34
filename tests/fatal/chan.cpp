// tests/fatal/chan.cpp — Go's channel panics and the channel wait reasons in
// the deadlock report, one mode per run (argv[1]).
#include <gort/gort.h>
#include <gort/time.h>

#include "runtime2.h"
#include "strutil.h"

namespace {

// A value whose move blocks (sleeps): a channel moves it holding its lock,
// which the docs forbid. The sleeper must be stopped with a message, not
// left parked holding the lock (the next sender would wait on it forever).
struct Sleepy {
  int v = 0;
  Sleepy() = default;
  Sleepy(Sleepy&& o) : v(o.v) { gort::sleep(gort::Millisecond); }
  Sleepy& operator=(Sleepy&& o) {
    v = o.v;
    return *this;
  }
};

// Until gp has parked (the order of events is then known).
void until_parked(gort::G* volatile* gp) {
  while (!*gp || (*gp)->status != gort::GStatus::Waiting) gort::gosched();
}

}  // namespace

int main(int argc, char** argv) {
  gort::Str mode(argc > 1 ? argv[1] : "");
  auto is = [&](const char* m) { return mode == gort::Str(m); };
  if (is("send-closed")) {
    auto ch = gort::make_chan<int>(1);
    ch.close();
    ch.send(1);
  } else if (is("close-closed")) {
    auto ch = gort::make_chan<int>();
    ch.close();
    ch.close();
  } else if (is("close-nil")) {
    gort::Chan<int> ch;
    ch.close();
  } else if (is("select-send-closed")) {
    auto a = gort::make_chan<int>(), b = gort::make_chan<int>();
    b.close();
    gort::select(gort::on_recv(a), gort::on_send(b, 1));
  } else if (is("close-wakes-sender")) {  // a blocked sender panics when the channel closes
    auto ch = gort::make_chan<int>();
    gort::G* volatile sender = nullptr;
    gort::go([ch, &sender]() mutable {
      sender = gort::getg();
      ch.send(1);
      gort::println("sender: send returned");
    });
    until_parked(&sender);
    ch.close();
    for (int i = 0; i < 100000; i++) gort::gosched();  // the sender's panic ends the process
    gort::println("the sender is still blocked");
    return 1;
  } else if (is("close-wakes-select-sender")) {
    auto ch = gort::make_chan<int>(), other = gort::make_chan<int>();
    gort::G* volatile sender = nullptr;
    gort::go([ch, other, &sender]() mutable {
      sender = gort::getg();
      gort::select(gort::on_send(ch, 1), gort::on_recv(other));
      gort::println("sender: select returned");
    });
    until_parked(&sender);
    ch.close();
    for (int i = 0; i < 100000; i++) gort::gosched();  // the sender's panic ends the process
    gort::println("the sender is still blocked");
    return 1;
  } else if (is("blocking-move")) {
    auto ch = gort::make_chan<Sleepy>(4);
    for (int k = 0; k < 2; k++)
      gort::go([ch]() mutable {
        for (int i = 0; i < 4; i++) ch.send(Sleepy{});
      });
    for (int i = 0; i < 8; i++) ch.recv();
    gort::println("every value passed");
    return 1;
  } else if (is("yield-in-destructor")) {  // a yield holding the lock: the same
    struct Yielder {
      ~Yielder() { gort::gosched(); }
    };
    auto ch = gort::make_chan<Yielder>(1);
    ch.try_send(Yielder{});
    ch.recv();
    gort::println("the destructor yielded");
    return 1;
  } else if (is("makechan-negative")) {
    gort::make_chan<int>(argc - 3);  // -1, without the compiler seeing a constant
  } else if (is("deadlock-send")) {
    gort::make_chan<int>().send(1);
  } else if (is("deadlock-recv")) {
    gort::make_chan<int>(4).recv();
  } else if (is("deadlock-select")) {
    gort::select(gort::on_recv(gort::make_chan<int>()), gort::on_send(gort::make_chan<int>(), 1));
  } else if (is("select-no-cases")) {
    gort::select();
  } else if (is("deadlock-nil")) {
    gort::Chan<int> nil;
    gort::go([nil]() mutable { nil.send(1); });
    gort::gosched();
    nil.recv();
  }
  gort::println("mode ", argv[argc > 1 ? 1 : 0], ": nothing happened");
  return 1;
}
