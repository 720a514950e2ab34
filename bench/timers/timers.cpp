// bench/timers — sleeping goroutines beside Go's (twin:
// bench/timers/timers.go): 100k goroutines each sleep 1 ms 10 times; ms is
// the wall time until all are done. bench/run adds the process's CPU time
// (user+sys), the figure the goal is on: the timer heap's and the
// scheduler's cost of a million wakeups.
//
//   timers [small]   "small" runs 1k goroutines (the test's run)
#include <gort/gort.h>
#include <gort/sync.h>
#include <gort/time.h>

#include "../bench.h"

int main(int, char**) {
  int64_t g = 100000;
  if (bench::small()) g /= 100;
  const int64_t sleeps = 10;
  gort::WaitGroup wg;
  int64_t wakeups = 0;
  wg.add(g);
  int64_t t0 = gort::nanotime();
  for (int64_t i = 0; i < g; i++)
    gort::go([&wg, &wakeups] {
      for (int64_t k = 0; k < sleeps; k++) {
        gort::sleep(gort::Millisecond);
        __atomic_fetch_add(&wakeups, 1, __ATOMIC_RELAXED);
      }
      wg.done();
    });
  wg.wait();
  int64_t ns = gort::nanotime() - t0;
  int64_t w = __atomic_load_n(&wakeups, __ATOMIC_RELAXED);
  // Sleeps last at least their duration: ten in a row take 10 ms or more.
  if (w != g * sleeps || ns < sleeps * gort::Millisecond) {
    gort::eprint("timers: ", w, " wakeups in ", ns, " ns, want ", g * sleeps,
                 " in 10 ms or more\n");
    gort::fatal("wrong result");
  }
  int64_t t = ns / 100000;
  gort::println("timers goroutines=", g, " sleeps=", sleeps, " wakeups=", w, " ms=", t / 10, ".",
                t % 10);
  return 0;
}
