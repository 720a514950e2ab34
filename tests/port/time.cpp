// tests/port/time.cpp — nanotime never goes backwards; walltime is the epoch
// clock; cputicks advances; cputime counts the process's CPU, not sleep.
#include "tap.h"

int main(int, char**) {
  tap::watchdog("time", 3000);
  tap::plan(6);
  int64_t prev = gort::os_nanotime();
  bool mono = prev > 0;
  for (int i = 0; i < 100000; i++) {
    int64_t t = gort::os_nanotime();
    if (t < prev) mono = false;
    prev = t;
  }
  tap::ok(mono, "nanotime is positive and monotonic over 1e5 reads");

  int64_t sec;
  int32_t nsec;
  gort::os_walltime(&sec, &nsec);
  tap::ok(sec > 1577836800 && nsec >= 0 && nsec < 1000000000,
          "walltime is after 2020 with nsec in range");

  uint64_t c0 = gort::arch_cputicks();
  int64_t t0 = gort::os_nanotime();
  while (gort::os_nanotime() - t0 < 2000000) gort::arch_procyield(10);
  tap::ok(gort::arch_cputicks() != c0, "cputicks advances");

  int64_t t1 = gort::os_nanotime();
  uint32_t w = 0;
  gort::os_futexsleep(&w, 0, 5000000);  // a real 5 ms sleep: the word stays 0
  int64_t d = gort::os_nanotime() - t1;
  tap::ok(d > 0, "nanotime advances across a sleep");

  // The process CPU clock: 20 ms of spinning shows, 20 ms asleep hardly
  // does (a wall or monotonic clock would count both alike).
  int64_t c1 = gort::os_cputime();
  int64_t w1 = gort::os_nanotime();
  while (gort::os_nanotime() - w1 < 20000000) gort::arch_procyield(10);
  int64_t spun = gort::os_cputime() - c1;
  int64_t c2 = gort::os_cputime();
  gort::os_futexsleep(&w, 0, 20000000);
  int64_t slept = gort::os_cputime() - c2;
  tap::diag("cputime: 20 ms spinning ", spun, " ns, 20 ms asleep ", slept, " ns");
  tap::ok(spun > 0 && slept < spun / 2, "cputime counts CPU used, not time asleep");

#if defined(__linux__)
  // The reads above went through the vDSO whenever the kernel maps one.
  int vdso = gort::linux_vdso_state();
  tap::diag("vDSO: ", vdso == 2   ? "clock_gettime in use"
                      : vdso == 1 ? "mapped, clock_gettime NOT found"
                                  : "none mapped");
  tap::ok(vdso != 1, "a vDSO the kernel maps is used for the clocks");
#else
  tap::skip("a vDSO the kernel maps is used for the clocks", "Linux only");
#endif
  return tap::done();
}
