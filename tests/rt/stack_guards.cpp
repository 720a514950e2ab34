// tests/rt/stack_guards.cpp — guards follow running goroutines: with a guard
// budget far smaller than the number of goroutines (GORTDEBUG=stackguards=4
// in tests/meson.build), every goroutine, each time it runs, finds the page
// below its stack inaccessible; the guards in place stay within the budget
// plus what runs at once; and moving guards around does not pile up kernel
// mappings.
#include <gort/gort.h>

#include "atomic.h"
#include "runtime2.h"
#include "stack.h"
#include "tap.h"

namespace {
int pipefd[2];
int64_t unguarded, checks;

// The kernel reads the byte for write(2): EFAULT if the page is inaccessible.
bool inaccessible(uintptr_t addr) {
  long r = gort::os_write(pipefd[1], reinterpret_cast<const void*>(addr), 1);
  if (r == 1) {
    char c;
    gort::os_read(pipefd[0], &c, 1);
  }
  return r < 0;
}

void run_round(int n, int rounds) {
  gort::WaitGroup wg;
  wg.add(n);
  for (int i = 0; i < n; i++)
    gort::go([&wg, rounds] {
      for (int r = 0; r < rounds; r++) {
        gort::G* gp = gort::getg();
        bool ok =
            inaccessible(gp->stack_lo - 1) && inaccessible(gp->stack_lo - gort::stack_guard());
        if (!ok) gort::atomic::xadd(&unguarded, int64_t(1));
        gort::atomic::xadd(&checks, int64_t(1));
        gort::gosched();
      }
      wg.done();
    });
  wg.wait();
}
}  // namespace

int main(int, char**) {
  tap::plan(4);
  if (gort::os_pipe(pipefd) != 0) return 1;
  run_round(300, 1);  // stacks for 300 goroutines (more than the budget)
  int64_t perm0, moving0;
  gort::stack_guard_counts(&perm0, &moving0);
  int before = tap::count_mappings();
  run_round(300, 20);  // the same slots again, their guards moving about
  run_round(100, 5);
  int after = tap::count_mappings();
  tap::diag("checks ", checks, ", mappings before ", before, " after ", after);
  tap::ok(checks == 300 + 300 * 20 + 100 * 5 && unguarded == 0,
          "every goroutine runs with the page below its stack inaccessible");
  int64_t perm, moving;
  gort::stack_guard_counts(&perm, &moving);
  tap::diag("guards: ", perm, " permanent, ", moving, " moving");
  const char* dbg = gort::getenv("GORTDEBUG");
  bool small = dbg && gort::Str(dbg) == gort::Str("stackguards=4");
  // Budget 4: 2 permanent, 2 moving, plus one per goroutine running at once
  // (at most one per M: GOMAXPROCS of them, and main's).
  tap::ok(!small || (perm == 2 && moving <= 2 + gort::sched.mcount + 1),
          "guards in place stay within the budget plus the running goroutines");
  tap::ok(!small || moving > 0, "past the budget, guards move to running goroutines");
  // Each guard in place splits a mapping in two; a guard moved away must
  // leave its old mapping whole again.
  tap::ok(before < 0 || after - before <= 2 * (perm - perm0 + moving - moving0) + 16,
          "moving guards adds no kernel mappings");
  return tap::done();
}
