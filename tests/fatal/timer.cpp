// tests/fatal/timer.cpp — timers and the deadlock detector, and the ticker
// panics. argv[1] picks the case (tests/meson.build says what each expects).
#include <gort/time.h>

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
