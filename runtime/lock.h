// runtime/lock.h — the runtime's own mutex (Go's runtime.mutex, lock_futex; gort::Mutex is sync's):
// uncontended lock and unlock are one atomic each; waiters sleep in os_futexsleep.
#pragma once

#include <stdint.h>

namespace gort {

struct G;

struct RtMutex {
  uint32_t key = 0;  // 0 unlocked, 1 locked, 2 locked with sleepers
};

void lock(RtMutex* l);
void unlock(RtMutex* l);
// lock, if that needs no waiting.
bool trylock(RtMutex* l);
// unlock on behalf of gp, which took l and has since parked: gopark's unlock
// functions run on g0, and the no-preempt count to lower is gp's, not g0's.
// gp must not be touched after it: it may be running again.
void unlock_parked(RtMutex* l, G* gp);
// Releases l and lowers no count (the caller lowered the right one first).
void unlock_nocount(RtMutex* l);

class LockGuard {
 public:
  explicit LockGuard(RtMutex* l) : l_(l) { lock(l_); }
  ~LockGuard() { unlock(l_); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  RtMutex* l_;
};

}  // namespace gort
