// tests/rt/select.cpp — Go's select: ready cases chosen uniformly, nil
// channels never chosen, default, send cases, close, the same channel twice,
// the losing cases taken off their queues, and the dynamic form.
#include "chanutil.h"

namespace {

using chantest::wait_parked;
using gort::Chan;
using gort::G;
using gort::make_chan;
using gort::on_default;
using gort::on_recv;
using gort::on_send;
using gort::select;

// Two always-ready cases: each taken half the time (+-2%) over 100,000
// rounds (a binomial's sigma here is 0.16%).
void fairness() {
  auto a = make_chan<int64_t>(1), b = make_chan<int64_t>(1);
  const int64_t rounds = 100000;
  int64_t na = 0, nb = 0;
  for (int64_t i = 0; i < rounds; i++) {
    a.try_send(int64_t(1));
    b.try_send(int64_t(2));
    int64_t v = 0;
    int k = select(on_recv(a, &v), on_recv(b, &v));
    na += k == 0 && v == 1;
    nb += k == 1 && v == 2;
  }
  tap::diag("case 0: ", na, ", case 1: ", nb);
  tap::ok(na + nb == rounds && na >= rounds * 48 / 100 && na <= rounds * 52 / 100,
          "two ready cases are each chosen 50% +- 2% of 100,000 times");
}

void nil_never_chosen() {
  Chan<int64_t> nil;
  auto ready = make_chan<int64_t>(1);
  bool never = true;
  for (int i = 0; i < 1000; i++) {
    ready.send(int64_t(i));
    int64_t v = -1;
    never &= select(on_recv(nil, &v), on_send(nil, int64_t(1)), on_recv(ready, &v)) == 2 && v == i;
  }
  never &= select(on_recv(nil), on_send(nil, int64_t(1)), on_default()) == 2;
  tap::ok(never, "a nil channel's case is never chosen");
}

void with_default() {
  auto a = make_chan<int64_t>(), b = make_chan<int64_t>(1);
  int64_t v = 0;
  int k1 = select(on_recv(a, &v), on_send(a, int64_t(1)), on_default());
  int k2 = select(on_default(), on_send(b, int64_t(4)));
  int k3 = select(on_send(b, int64_t(5)), on_default(), on_recv(a, &v));
  int k4 = select(on_default());
  bool ok = false;
  int k5 = select(on_recv(b, &v, &ok), on_default());
  tap::ok(k1 == 2 && k2 == 1 && k3 == 1 && k4 == 0 && k5 == 0 && v == 4 && ok,
          "default runs when no case is ready, and only then");
}

void blocking_select() {
  auto a = make_chan<int64_t>(), b = make_chan<int64_t>(), c = make_chan<int64_t>();
  auto res = make_chan<int64_t>(3);
  G* volatile g = nullptr;
  // A receiver-select woken by a send, a sender-select woken by a receive.
  gort::go([a, b, res, &g]() mutable {
    g = gort::getg();
    int64_t v = 0;
    int k = select(on_recv(a, &v), on_recv(b, &v));
    res.send(k * 100 + v);
  });
  bool p1 = wait_parked(&g, "select");
  b.send(7);
  int64_t r1 = res.recv();
  // The losing case's sudog is off a's queue: nobody receives on a now.
  bool clean = !a.try_send(int64_t(1));
  g = nullptr;
  gort::go([a, c, res, &g]() mutable {
    g = gort::getg();
    int k = select(on_send(a, int64_t(3)), on_send(c, int64_t(4)));
    res.send(k);
  });
  bool p2 = wait_parked(&g, "select");
  int64_t r2 = c.recv();
  int64_t k2 = res.recv();
  int64_t dummy;
  clean &= !a.try_recv(&dummy);
  tap::ok(p1 && p2 && r1 == 107 && r2 == 4 && k2 == 1,
          "a blocked select is woken by a send and by a receive");
  tap::ok(clean, "the losing cases are taken off their channels' queues");
}

void close_wakes_select() {
  auto a = make_chan<int64_t>(), b = make_chan<int64_t>();
  auto res = make_chan<int64_t>(1);
  G* volatile g = nullptr;
  gort::go([a, b, res, &g]() mutable {
    g = gort::getg();
    int64_t v = 5;
    bool ok = true;
    int k = select(on_recv(a, &v, &ok), on_recv(b));
    res.send(k == 0 && v == 0 && !ok ? 1 : 0);
  });
  bool parked = wait_parked(&g, "select");
  a.close();
  int64_t v = 9;
  bool ok = true;
  int k = select(on_recv(b), on_recv(a, &v, &ok));
  tap::ok(parked && res.recv() == 1 && k == 1 && v == 0 && !ok,
          "close wakes a waiting select; a closed channel's receive case is ready");
}

void same_channel_twice() {
  auto a = make_chan<int64_t>();
  auto res = make_chan<int64_t>(1);
  G* volatile g = nullptr;
  gort::go([a, res, &g]() mutable {
    g = gort::getg();
    int64_t x = 0, y = 0;
    int k = select(on_recv(a, &x), on_recv(a, &y), on_send(a, int64_t(1)));
    res.send(k == 0 ? x : k == 1 ? y : -1);
  });
  bool parked = wait_parked(&g, "select");
  a.send(42);
  tap::ok(parked && res.recv() == 42, "one channel in several cases of a blocked select");
}

// More cases than fit on the stack (16): the dynamic form's heap path.
void dynamic() {
  const int n = 100;
  Chan<int64_t> chans[n];
  for (int i = 0; i < n; i++) chans[i] = make_chan<int64_t>();
  auto res = make_chan<int64_t>(1);
  G* volatile g = nullptr;
  gort::go([&chans, res, &g]() mutable {
    g = gort::getg();
    int64_t vals[n] = {};
    gort::Select s;
    for (int i = 0; i < n; i++) s.recv(chans[i], &vals[i]);
    int k = s.select();
    res.send(k * 1000 + vals[k]);
  });
  bool parked = wait_parked(&g, "select");
  chans[73].send(5);
  int64_t r = res.recv();
  bool clean = true;
  for (int i = 0; i < n; i++) clean &= !chans[i].try_send(int64_t(1));
  gort::Select d;
  d.recv(chans[0]);
  int kd = d.on_default();
  tap::ok(parked && r == 73005 && clean && d.select() == kd,
          "Select: 100 cases built at run time, and default");
}

}  // namespace

int main(int, char**) {
  tap::plan(8);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now());
  fairness();
  nil_never_chosen();
  with_default();
  blocking_select();
  close_wakes_select();
  same_channel_twice();
  dynamic();
  return tap::done();
}
