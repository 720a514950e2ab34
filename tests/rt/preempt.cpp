// tests/rt/preempt.cpp — a goroutine spinning in a loop with no calls does
// not starve the others: sysmon preempts it (SIGURG, async preemption), at
// GOMAXPROCS=1 too, where without preemption this test hangs and times out.
// The spinner's registers must survive each preemption.
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {
uint32_t started, stop;
uint64_t spins;
bool regs_ok = true;
}  // namespace

int main(int, char**) {
  tap::plan(3);
  gort::WaitGroup wg;
  wg.add(1);
  gort::go([&wg] {
    // Values in registers across the whole loop: a preemption that failed to
    // restore one would break the sums.
    uint64_t a = 1, b = 3, n = 0;
    double x = 0.5, y = 0;
    __atomic_store_n(&started, 1u, __ATOMIC_RELAXED);
    while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
      a += 2;
      b += 6;
      y += x;
      n++;
    }
    regs_ok = a == 1 + 2 * n && b == 3 + 6 * n && y == 0.5 * double(n);
    spins = n;
    wg.done();
  });
  // At GOMAXPROCS=1 the spinner runs as soon as main yields, and main runs
  // again only if the spinner is preempted.
  for (int i = 0; i < 1000000 && !__atomic_load_n(&started, __ATOMIC_RELAXED); i++) gort::gosched();
  gort::gosched();
  tap::ok(__atomic_load_n(&started, __ATOMIC_RELAXED),
          "main runs again while a goroutine spins without calls");
  __atomic_store_n(&stop, 1u, __ATOMIC_RELAXED);
  wg.wait();
  tap::ok(spins > 0, "the spinner ran");
  tap::ok(regs_ok, "the spinner's registers survived its preemptions");
  return tap::done();
}
