// runtime/lock.h — the runtime's mutex (Go's lock_futex): uncontended lock and
// unlock are one atomic each; waiters sleep in os_futexsleep.
#pragma once

#include <stdint.h>

namespace gort {

struct Mutex {
  uint32_t key = 0;  // 0 unlocked, 1 locked, 2 locked with sleepers
};

void lock(Mutex* l);
void unlock(Mutex* l);
// lock, if that needs no waiting.
bool trylock(Mutex* l);

class LockGuard {
 public:
  explicit LockGuard(Mutex* l) : l_(l) { lock(l_); }
  ~LockGuard() { unlock(l_); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Mutex* l_;
};

}  // namespace gort
