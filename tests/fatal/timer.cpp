// tests/fatal/timer.cpp — timers and the deadlock detector, and the ticker
// panics. argv[1] picks the case (tests/meson.build says what each expects).
#include <gort/time.h>

#include "atomic.h"
#include "runtime2.h"
#include "strutil.h"

int main(int argc, char** argv) {
  gort::Str what(argc > 1 ? argv[1] : "");
  if (what == gort::Str("ticker0")) gort::Ticker t(0);
  if (what == gort::Str("tickerreset0")) gort::Ticker(gort::Millisecond).reset(-1);
  if (what == gort::Str("stopped")) {
    // Only a stopped timer could wake main: nothing can, so it is dead.
    gort::Timer t(gort::Millisecond);
    t.stop();
    t.C.recv();
  }
  if (what == gort::Str("stopped-sleeper")) {
    // Another M sleeps until the hour is up (GOMAXPROCS >= 2: wakep starts
    // it); the timer is stopped, then main blocks for good. The sleeper
    // waits for nothing: it must not keep the deadlock from being seen.
    gort::Timer t(gort::Hour);
    bool seen = false;
    for (int i = 0; i < 20000000 && !seen; i++) {
      seen = gort::atomic::load(&gort::sched.timersleeping) &&
             gort::atomic::load(&gort::sched.polluntil) != 0;
      if (!seen) gort::gosched();
    }
    if (!seen) {
      gort::println("no M went to sleep for the timer");
      return 3;
    }
    t.stop();
    t.C.recv();
  }
  if (what == gort::Str("sleepers")) {
    // Every goroutine asleep, none runnable: alive, since timers are pending.
    gort::Chan<int> done = gort::make_chan<int>(4);
    for (int i = 0; i < 4; i++)
      gort::go([done, i]() mutable {
        gort::sleep((10 + i) * gort::Millisecond);
        done.send(i);
      });
    int sum = 0;
    for (int i = 0; i < 4; i++) sum += done.recv();
    gort::println("woke ", sum);
  }
  return 0;
}
