// tests/rt/timer_chan.cpp — <gort/time.h>'s Timer, Ticker, after and
// after_func with Go 1.23's semantics: values never early; stop and reset
// return Go's values; after they return no stale value is received; a
// ticker keeps time and stops; after works as a select timeout. Run under
// several GOMAXPROCS values (tests/meson.build).
#include <gort/time.h>

#include "atomic.h"
#include "tap.h"

namespace {

constexpr int64_t kMs = gort::Millisecond;

// Nothing arrives on c within d (what a stopped timer must guarantee).
bool quiet_for(gort::Chan<int64_t> c, int64_t d) {
  gort::sleep(d);
  int64_t v;
  return !c.try_recv(&v);
}

}  // namespace

int main(int, char**) {
  tap::plan(14);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now());

  {
    int64_t t0 = gort::nanotime();
    int64_t v = gort::after(3 * kMs).recv();
    tap::ok(v >= t0 + 3 * kMs && gort::nanotime() >= v,
            "after(d) delivers the firing time, d or more later");
  }
  {
    gort::Timer t(5 * kMs);
    bool stopped = t.stop();
    tap::ok(stopped && quiet_for(t.C, 10 * kMs),
            "stop before it fires: true, and nothing is ever received");
    tap::ok(!t.stop(), "stop of a stopped timer: false");
  }
  {
    gort::Timer t(1 * kMs);
    gort::sleep(5 * kMs);  // fired: its value waits in C
    bool stopped = t.stop();
    int64_t v;
    tap::ok(stopped && !t.C.try_recv(&v),
            "stop after it fired, value not received: true, and the value is gone (Go 1.23)");
  }
  {
    gort::Timer t(1 * kMs);
    t.C.recv();
    tap::ok(!t.stop(), "stop after its value was received: false");
  }
  {
    gort::Timer t(gort::Hour);
    int64_t t0 = gort::nanotime();
    bool was = t.reset(3 * kMs);
    int64_t v = t.C.recv();
    tap::ok(was && v >= t0 + 3 * kMs,
            "reset of an armed timer: true, and it fires at the new time");
    tap::ok(quiet_for(t.C, 5 * kMs), "a reset timer fires once");
    bool again = t.reset(2 * kMs);
    tap::ok(!again && t.C.recv() > 0,
            "reset of a fired, received timer: false, and it fires again");
  }
  {
    gort::Timer t(1 * kMs);
    gort::sleep(5 * kMs);  // fired, not received
    int64_t t0 = gort::nanotime();
    bool was = t.reset(3 * kMs);
    int64_t v = t.C.recv();
    tap::ok(was && v >= t0 + 3 * kMs,
            "reset after an unreceived firing drops the stale value (Go 1.23)");
  }
  {
    constexpr int64_t d = 2 * kMs;
    int64_t t0 = gort::nanotime();
    gort::Ticker tk(d);
    bool ontime = true;
    for (int k = 1; k <= 5; k++)
      if (tk.C.recv() < t0 + k * d) ontime = false;
    tap::ok(ontime, "a ticker's k-th tick comes no earlier than k periods after it started");
    tk.stop();
    tap::ok(quiet_for(tk.C, 4 * d),
            "a stopped ticker sends nothing more, not even a tick already due");
    tk.reset(d);
    tap::ok(tk.C.recv() > 0, "a reset ticker ticks again");
    tk.stop();
  }
  {
    int64_t ran = 0;
    gort::Timer f1 = gort::after_func(2 * kMs, [&ran] { gort::atomic::xadd(&ran, int64_t(1)); });
    gort::Timer f2 = gort::after_func(2 * kMs, [&ran] { gort::atomic::xadd(&ran, int64_t(100)); });
    bool stopped = f2.stop();
    while (gort::atomic::load(&ran) == 0) gort::sleep(kMs);
    gort::sleep(5 * kMs);
    tap::ok(stopped && ran == 1 && !f1.C,
            "after_func runs f once in a goroutine; a stopped one never; C is nil");
  }
  {
    gort::Chan<int> never = gort::make_chan<int>();
    int64_t t0 = gort::nanotime();
    int64_t at = 0;
    int i = gort::select(gort::on_recv(never), gort::on_recv(gort::after(3 * kMs), &at));
    tap::ok(i == 1 && at >= t0 + 3 * kMs, "after works as a select timeout");
  }
  return tap::done();
}
