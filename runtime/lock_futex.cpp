// runtime/lock_futex.cpp — see lock.h. Spin briefly (the holder is usually
// running), then mark the lock contended and sleep on it.
#include "atomic.h"
#include "lock.h"
#include "port.h"
#include "runtime.h"

namespace gort {

// Holding a runtime lock, a goroutine is not preempted (Go's m.locks).
void lock(RtMutex* l) {
  if (G* g = getg()) g->locks++;
  if (atomic::cas(&l->key, 0u, 1u)) return;
  for (int i = 0; i < 4; i++) {
    arch_procyield(30);
    if (atomic::load_relaxed(&l->key) == 0 && atomic::cas(&l->key, 0u, 1u)) return;
  }
  while (atomic::xchg(&l->key, 2u) != 0) os_futexsleep(&l->key, 2, -1);
}

bool trylock(RtMutex* l) {
  if (!atomic::cas(&l->key, 0u, 1u)) return false;
  if (G* g = getg()) g->locks++;
  return true;
}

void unlock(RtMutex* l) {
  if (atomic::xchg(&l->key, 0u) == 2) os_futexwakeup(&l->key, 1);
  if (G* g = getg()) locks_release(g);
}

void unlock_parked(RtMutex* l, G* gp) {
  // Before the release: once l is free a waker may ready gp, and it may run
  // (and touch its own count) on another M at once. mcall's own count keeps
  // this one above 0 meanwhile.
  gp->locks--;
  unlock_nocount(l);
}

void unlock_nocount(RtMutex* l) {
  if (atomic::xchg(&l->key, 0u) == 2) os_futexwakeup(&l->key, 1);
}

}  // namespace gort
