// runtime/timers.h — the runtime's timers (Go's time.go, 1.14 and later):
// each P keeps its timers in a 4-ary heap ordered by when; the scheduler
// runs the expired ones (schedule, findrunnable) and an M with nothing to
// run sleeps until exactly the next one. There is no timer thread and no
// timer goroutine. See docs/ARCHITECTURE.md, "Timers".
#pragma once

#include "lock.h"
#include "runtime.h"

namespace gort {

// A runtime timer (Go's runtime.timer; gort::Timer is the public one). f(arg, seq, delay) runs on
// whichever M runs the heap (on g0, holding a P) once when has passed: delay is how late it runs. f
// must be short and must not block: it readies a goroutine or does a non-blocking channel send. f
// runs holding mu, so stop/modify never race with it.
struct RtTimer {
  RtMutex mu;          // orders changes to the timer (taken before a heap's lock)
  int64_t when = 0;    // armed for this time (ns, nanotime); 0: not armed (mu)
  int64_t period = 0;  // > 0: fires again every period ns (a Ticker) (mu)
  uint64_t seq = 0;    // bumped by every stop and modify (mu)
  void (*f)(void* arg, uint64_t seq, int64_t delay) = nullptr;
  void* arg = nullptr;
  // A channel timer's: empties its channel of a value sent by an earlier
  // firing (true if there was one), so after stop or reset returns no stale
  // value is received (Go 1.23's synchronous timer channels).
  bool (*drain)(void* arg) = nullptr;
  // Heap membership, under the heap's lock: the P whose heap holds it, its
  // index there, and when/seq as they were at insertion.
  P* pp = nullptr;
  int32_t idx = -1;
  int64_t hwhen = 0;
  uint64_t hseq = 0;
};

// A P's timers.
struct Timers {
  RtMutex lock;
  RtTimer** heap = nullptr;
  int32_t len = 0, cap = 0;
  int64_t when0 = 0;  // heap[0]'s when, or 0 when empty: read without the lock
};

// Arms t for when (and every period after, if period > 0) on the current
// P, replacing any earlier arming: a pending firing of the old arming will
// not run. Returns whether t was armed before. May run on g0.
bool timer_modify(RtTimer* t, int64_t when, int64_t period);
// Disarms t; true if it was armed (a firing has not started).
bool timer_stop(RtTimer* t);
// Runs pp's timers that are due at now (now == 0: reads the clock only if
// one may be due). Returns pp's next when (0: none). The caller holds a P.
int64_t checktimers(P* pp, int64_t now);
// The earliest timer of any P (0: none).
int64_t timers_next();
// With the world stopped: moves the timers of a P going away to dst.
void movetimers(P* dst, P* src);
// A timer was armed for when: make sure some M wakes up for it (Go's
// wakeNetPoller): interrupt the timer sleeper if it sleeps past when,
// else wake an idle P's M.
void wake_timer_sleeper(int64_t when);

// The largest when: Go's maxWhen, so when + duration never overflows.
inline constexpr int64_t kMaxWhen = int64_t(~uint64_t(0) >> 1);
inline int64_t when_after(int64_t now, int64_t d) {
  if (d <= 0) return now;
  return now > kMaxWhen - d ? kMaxWhen : now + d;
}

}  // namespace gort
