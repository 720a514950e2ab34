// tests/rt/gomaxprocs.cpp — set_gomaxprocs changes the number of Ps at run
// time, stopping the world (which preempts goroutines that never yield), and
// every goroutine keeps running to completion across the changes.
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {
uint32_t stop;
}

int main(int, char**) {
  tap::plan(6);
  int32_t start = gort::gomaxprocs_now();
  gort::WaitGroup wg;
  int64_t work = 0;
  wg.add(4 + 100);
  for (int i = 0; i < 4; i++)  // spinners: stopping the world must preempt them
    gort::go([&wg] {
      while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
      }
      wg.done();
    });
  for (int i = 0; i < 100; i++)
    gort::go([&wg, &work] {
      for (int k = 0; k < 100; k++) {
        gort::atomic::xadd(&work, int64_t(1));
        gort::gosched();
      }
      wg.done();
    });
  int32_t prev = gort::set_gomaxprocs(4);
  tap::ok(prev == start && gort::gomaxprocs_now() == 4,
          "set_gomaxprocs(4) returns the old value and takes effect");
  // The new Ps get Ms as work appears; give them a bounded number of naps.
  uint64_t before = gort::allp[2]->nrun + gort::allp[3]->nrun;
  for (int i = 0; i < 5000 && gort::allp[2]->nrun + gort::allp[3]->nrun == before; i++) {
    uint32_t w = 0;
    gort::os_futexsleep(&w, 0, 1000000);
  }
  tap::ok(gort::allp[2]->nrun + gort::allp[3]->nrun > before,
          "Ps added at run time run goroutines");
  tap::ok(gort::set_gomaxprocs(2) == 4 && gort::gomaxprocs_now() == 2,
          "set_gomaxprocs(2) shrinks it");
  tap::ok(gort::set_gomaxprocs(0) == 2 && gort::gomaxprocs_now() == 2,
          "set_gomaxprocs(0) only reports");
  gort::set_gomaxprocs(1);
  __atomic_store_n(&stop, 1u, __ATOMIC_RELAXED);
  wg.wait();
  tap::ok(work == 100 * 100, "every goroutine ran to completion across the changes");
  int64_t left = tap::settle_goroutines(1);
  tap::ok(left == 1, "and exited");
  return tap::done();
}
