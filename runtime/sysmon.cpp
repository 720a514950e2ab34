// runtime/sysmon.cpp — the system monitor (Go's sysmon): an M without a P
// that wakes every 20 us, backing off to 10 ms while there is nothing to do.
// It retakes Ps whose M has sat in a system call for a whole tick, so the
// other goroutines keep running, wakes an M for overdue timers, and prints
// GORTDEBUG=schedtrace lines.
#include "atomic.h"
#include "runtime2.h"

namespace gort {

namespace {
uint32_t never;  // sysmon sleeps on this word with a timeout; nothing sets it

// Go's forcePreemptNS: a goroutine running this long is asked to yield.
constexpr int64_t kForcePreemptNS = 10 * 1000 * 1000;

struct Seen {
  uint32_t schedtick = 0;
  int64_t since = 0;
};

// Ps that have scheduled nothing for kForcePreemptNS: the goroutine
// running there is preempted; a P in a system call with work queued behind
// it is retaken even if system calls keep starting on it (goroutines that
// leave and enter system calls back to back, taking the P back each time in
// exitsyscall's fast path, never let it schedule: Go's sysretake).
void retake_running(Seen* seen, bool* force, int64_t now) {
  for (int32_t i = 0; i < gomaxprocs; i++) {
    P* pp = allp[i];
    uint32_t tick = atomic::load_relaxed(&pp->schedtick);
    auto st = PStatus(atomic::load(reinterpret_cast<uint32_t*>(&pp->status)));
    // A P the world stopped for a moment (a GC cycle) has scheduled
    // nothing by it: only its tick says it moved on (as Go's retake).
    if (tick != seen[i].schedtick) {
      seen[i] = Seen{tick, now};
    } else if (st != PStatus::Running && st != PStatus::Syscall) {
      continue;
    } else if (now - seen[i].since >= kForcePreemptNS) {
      if (st == PStatus::Running)
        preemptone(pp);
      else if (!runqempty(pp))
        force[i] = true;
      seen[i].since = now;  // again after another 10 ms if it did not move on
    }
  }
}

// Every P idle: nothing to preempt or retake until one is acquired
// (acquirep wakes us), so sleep until then, or until the next timer in case
// nobody sleeps for it (Go's sysmonwait). The flag is raised before the
// last look at the idle count, and acquirep lowers it after a P left the
// idle list: one of the two sees the other.
bool sysmon_park(int64_t now) {
  if (atomic::load(&sched.npidle) != uint32_t(atomic::load(&gomaxprocs))) return false;
  atomic::store(&sched.sysmonnote, 0u);
  atomic::xchg(&sched.sysmonwait, 1u);
  bool idle = atomic::xadd(&sched.npidle, 0u) == uint32_t(atomic::load(&gomaxprocs));
  if (idle) {
    int64_t next = timers_next();
    int64_t sleep = 60 * int64_t(1000000000);
    if (next && next - now < sleep) sleep = next > now ? next - now : 1;
    os_futexsleep(&sched.sysmonnote, 0, sleep);
  }
  atomic::xchg(&sched.sysmonwait, 0u);
  return idle;
}

void sysmon(void*) {
  uint32_t last_ticks[kMaxProcs] = {};
  bool force[kMaxProcs] = {};
  Seen seen[kMaxProcs] = {};
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
    int64_t now = os_nanotime();
    if (trace_ns == 0 && idle > 50 && sysmon_park(now)) {  // idle a while: maybe all is
      idle = 0;  // woken because work resumed: watch closely again
      now = os_nanotime();
    }
    retake_running(seen, force, now);
    idle = retake(last_ticks, force) ? 0 : idle + 1;
    // A due timer nobody sleeps for (the sleeper found every P busy, and
    // its P's M is still running): start an M for it (Go's sysmon startm).
    int64_t next = timers_next();
    if (next && next < now && !atomic::load(&sched.timersleeping)) wakep();
    if (trace_ns > 0) {
      if (now - lasttrace >= trace_ns) {
        lasttrace = now;
        schedtrace(now);
      }
    }
  }
}
}  // namespace

// Once: with schedtrace at boot, else when the first goroutine besides main
// is created. Until then there is nothing to retake or preempt, and a
// program that never makes one never pays for the thread.
void sysmon_start() {
  static uint32_t started;
  if (atomic::load_relaxed(&started) || !atomic::cas(&started, 0u, 1u)) return;
  newm(sysmon, nullptr);
}

}  // namespace gort
