// runtime/sysmon.cpp — the system monitor (Go's sysmon): an M without a P
// that wakes every 20 us, backing off to 10 ms while there is nothing to do.
// It retakes Ps whose M has sat in a system call for a whole tick, so the
// other goroutines keep running, and prints GORTDEBUG=schedtrace lines.
#include "atomic.h"
#include "runtime2.h"

namespace gort {

namespace {
uint32_t never;  // sysmon sleeps on this word with a timeout; nothing sets it

void sysmon(void*) {
  uint32_t last_ticks[kMaxProcs] = {};
  int idle = 0;
  int64_t delay = 0, lasttrace = 0;
  const int64_t trace_ns = boot.debug.schedtrace * 1000000;
  for (;;) {
    if (idle == 0)
      delay = 20000;  // 20 us
    else if (idle > 50)
      delay *= 2;  // start doubling after 1 ms idle
    if (delay > 10000000) delay = 10000000;
    os_futexsleep(&never, 0, delay);
    idle = retake(last_ticks) ? 0 : idle + 1;
    if (trace_ns > 0) {
      int64_t now = os_nanotime();
      if (now - lasttrace >= trace_ns) {
        lasttrace = now;
        schedtrace(now);
      }
    }
  }
}
}  // namespace

void sysmon_start() {
  atomic::xadd(&sched.nthreads, 1);
  newm(sysmon, nullptr);
}

}  // namespace gort
