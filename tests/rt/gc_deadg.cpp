// tests/rt/gc_deadg.cpp — a dead goroutine's G is still a root: the next
// goroutine to get the G reuses its sleep timer (G::timer), so a collector
// that skipped dead Gs freed timers still to be used. Rounds of goroutines
// that sleep and exit, a forced cycle between rounds (run with gcpoison=1:
// a freed timer is overwritten), and garbage that takes the freed memory.
#include <gort/time.h>

#include "tap.h"

namespace {
constexpr int kRounds = 30, kGoroutines = 200;

struct Junk {
  uint64_t w[8];
};
Junk* volatile sink;

void churn() {  // takes freed slots of the timers' size class
  for (int i = 0; i < 4000; i++) {
    Junk* j = gort::make<Junk>();
    for (auto& w : j->w) w = ~uint64_t(0);
    sink = j;
  }
}
}  // namespace

int main(int, char**) {
  tap::plan(2);
  int64_t woke = 0;
  for (int r = 0; r < kRounds; r++) {
    gort::WaitGroup wg;
    wg.add(kGoroutines);
    for (int i = 0; i < kGoroutines; i++)
      gort::go([&wg, &woke] {
        gort::sleep(1000);
        __atomic_add_fetch(&woke, 1, __ATOMIC_SEQ_CST);
        wg.done();
      });
    wg.wait();
    gort::gc();
    churn();
  }
  tap::ok(woke == int64_t(kRounds) * kGoroutines, "every sleeper woke once, round after round");
  gort::MemStats m;
  gort::read_mem_stats(&m);
  tap::ok(m.NumGC >= uint32_t(kRounds), "with a cycle between rounds");
  return tap::done();
}
