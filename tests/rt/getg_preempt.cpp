// tests/rt/getg_preempt.cpp — finding the current goroutine, and its M on
// the way into the scheduler, survive async preemption. main stops the world
// again and again (set_gomaxprocs 1..4 in a random order): every stop
// preempts the running goroutines by signal, at any instruction, and
// resizing moves them between Ps and Ms.
//   1. Victims ask getg() in a tight loop and never yield: it must always
//      return the caller (a thread pointer read just before a preemption and
//      used after it would name whatever runs on the old M).
//   2. Two goroutines do nothing but gosched: preemptions land inside the
//      scheduler's own entry (mcall), which must find its M only once it can
//      no longer be preempted, or it switches to another M's g0 and crashes.
// argv[1]: getg() calls per victim; argv[2]: stops in part 2.
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {
constexpr int kVictims = 8;  // more than Ps: a preempted one resumes behind others, often elsewhere
uint32_t running;
int64_t wrong, moves, yields;

int64_t arg(int argc, char** argv, int i, int64_t dflt) {
  if (argc <= i) return dflt;
  int64_t v = 0;
  for (const char* c = argv[i]; *c >= '0' && *c <= '9'; c++) v = v * 10 + (*c - '0');
  return v;
}

uint32_t seed = 12345;
void stop_start() {
  seed = seed * 1103515245 + 12345;
  gort::set_gomaxprocs(1 + int32_t(seed >> 16) % 4);
}
}  // namespace

int main(int argc, char** argv) {
  tap::plan(4);
  const int64_t iters = arg(argc, argv, 1, 50000000), stops2 = arg(argc, argv, 2, 20000);
  const int32_t procs = gort::gomaxprocs_now();
  gort::WaitGroup wg;
  running = kVictims;
  wg.add(kVictims);
  for (int v = 0; v < kVictims; v++)
    gort::go([&wg, iters] {
      gort::G* me = gort::getg();
      gort::M* last = me->m;
      int64_t bad = 0, moved = 0;
      for (int64_t i = 0; i < iters; i++) {
        if (gort::getg() != me) bad++;
        gort::M* m = gort::atomic::load(&me->m);  // only counted: may be stale at once
        moved += m != last;
        last = m;
      }
      gort::atomic::xadd(&wrong, bad);
      gort::atomic::xadd(&moves, moved);
      gort::atomic::xadd(&running, ~0u);
      wg.done();
    });
  int64_t stops = 0;
  for (; gort::atomic::load(&running) != 0; stops++) stop_start();
  wg.wait();
  tap::diag("GOMAXPROCS=", procs, " stops=", stops, " wrong=", wrong, " moves=", moves);
  tap::ok(wrong == 0, "getg() always returned the calling goroutine");
  tap::ok(moves > 0, "the goroutines moved between Ms meanwhile");

  running = 2;
  wg.add(2);
  for (int y = 0; y < 2; y++)
    gort::go([&wg] {
      while (gort::atomic::load(&running) == 2) {
        gort::gosched();
        gort::atomic::xadd(&yields, int64_t(1));
      }
      wg.done();
    });
  for (int64_t i = 0; i < stops2; i++) stop_start();
  running = 0;
  wg.wait();
  gort::set_gomaxprocs(procs);
  tap::diag("stops=", stops2, " yields=", yields);
  tap::ok(yields > 0, "goroutines yielding in a loop survived every stop");
  tap::ok(tap::settle_goroutines(1) == 1, "every goroutine finished");
  return tap::done();
}
