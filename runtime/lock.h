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
// unlock for gp, which took l and has parked since: gopark's unlock
// function runs on g0, but the no-preempt count l raised is gp's.
void unlock_parked(RtMutex* l, G* gp);
// lock, if that needs no waiting.
bool trylock(RtMutex* l);

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
