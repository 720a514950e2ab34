// runtime/sync.cpp — the sync package's slow paths (Go's sync/mutex.go,
// rwmutex.go, waitgroup.go, cond.go) over the runtime's semaphores. The
// fast paths are inline in <gort/sync.h>.
#include "gort/sync.h"

#include "atomic.h"
#include "gort/gort.h"
#include "sema.h"

namespace gort {

using namespace detail;

namespace {
// A waiter that has waited this long turns the mutex to starvation mode
// (Go's starvationThresholdNs).
constexpr int64_t kStarvationThresholdNs = 1000000;
constexpr int32_t kMaxReaders = 1 << 30;  // Go's rwmutexMaxReaders

bool cas32(int32_t* p, int32_t old, int32_t nw) { return atomic::cas(p, old, nw); }
}  // namespace

// ---- Mutex
//
// Normal mode: waiters queue FIFO, but a woken waiter competes with newly
// arriving goroutines, which have the CPU and usually win; a loser goes back
// to the head of the queue. Once a waiter has waited over 1 ms, the mutex
// turns to starvation mode: unlock hands it straight to the first waiter,
// newcomers neither take it nor spin but queue at the tail. A waiter that
// gets it leaves starvation mode if it is the last one or waited under 1 ms.

bool Mutex::try_lock() {
  int32_t old = atomic::load_relaxed(&state_);
  if (old & (kMutexLocked | kMutexStarving)) return false;
  return cas32(&state_, old, old | kMutexLocked);
}

void Mutex::lock_slow() {
  int64_t wait_start = 0;
  bool starving = false, awoke = false;
  int iter = 0;
  int32_t old = atomic::load_relaxed(&state_);
  for (;;) {
    // Spin while it is held in normal mode and spinning can pay; say a
    // waker need not wake anyone (woken) since we are about to take it.
    if ((old & (kMutexLocked | kMutexStarving)) == kMutexLocked && sync_can_spin(iter)) {
      if (!awoke && !(old & kMutexWoken) && (old >> kMutexWaiterShift) != 0 &&
          cas32(&state_, old, old | kMutexWoken))
        awoke = true;
      sync_do_spin();
      iter++;
      old = atomic::load_relaxed(&state_);
      continue;
    }
    int32_t nw = old;
    if (!(old & kMutexStarving)) nw |= kMutexLocked;  // a starving one is not ours to take
    if (old & (kMutexLocked | kMutexStarving)) nw += 1 << kMutexWaiterShift;
    // Turn it starving only while held: an unlocked one the unlock side
    // would expect to find waiters for.
    if (starving && (old & kMutexLocked)) nw |= kMutexStarving;
    if (awoke) {
      if (!(nw & kMutexWoken)) fatal("sync: inconsistent mutex state");
      nw &= ~kMutexWoken;
    }
    if (!cas32(&state_, old, nw)) {
      old = atomic::load_relaxed(&state_);
      continue;
    }
    if (!(old & (kMutexLocked | kMutexStarving))) return;  // locked by our CAS
    bool lifo = wait_start != 0;                           // waited before: back at the head
    if (wait_start == 0) wait_start = nanotime();
    semacquire(&sema_, lifo, waitreason::SyncMutexLock);
    starving = starving || nanotime() - wait_start > kStarvationThresholdNs;
    old = atomic::load_relaxed(&state_);
    if (old & kMutexStarving) {
      // Handed to us: the unlocker left it unlocked with our count in it.
      if ((old & (kMutexLocked | kMutexWoken)) || (old >> kMutexWaiterShift) == 0)
        fatal("sync: inconsistent mutex state");
      int32_t delta = kMutexLocked - (1 << kMutexWaiterShift);
      if (!starving || (old >> kMutexWaiterShift) == 1) delta -= kMutexStarving;
      atomic::xadd(&state_, delta);
      return;
    }
    awoke = true;
    iter = 0;
  }
}

void Mutex::unlock_slow(int32_t nw) {
  if (!((nw + kMutexLocked) & kMutexLocked)) fatal("sync: unlock of unlocked mutex");
  if (nw & kMutexStarving) {
    // Hand it over and yield to the new owner at once.
    semrelease(&sema_, true);
    return;
  }
  int32_t old = nw;
  for (;;) {
    // Nobody to wake, or someone already woken, or it was taken meanwhile.
    if ((old >> kMutexWaiterShift) == 0 || (old & (kMutexLocked | kMutexWoken | kMutexStarving)))
      return;
    nw = (old - (1 << kMutexWaiterShift)) | kMutexWoken;
    if (cas32(&state_, old, nw)) {
      semrelease(&sema_, false);
      return;
    }
    old = atomic::load_relaxed(&state_);
  }
}

// ---- RWMutex

void RWMutex::rlock_slow() { semacquire(&reader_sem_, false, waitreason::SyncRWMutexRLock); }

bool RWMutex::try_rlock() {
  for (;;) {
    int32_t c = atomic::load(&reader_count_);
    if (c < 0) return false;
    if (cas32(&reader_count_, c, c + 1)) return true;
  }
}

void RWMutex::runlock_slow(int32_t r) {
  if (r + 1 == 0 || r + 1 == -kMaxReaders) fatal("sync: RUnlock of unlocked RWMutex");
  // A writer is pending: the last reader it waits for lets it in.
  if (atomic::xadd(&reader_wait_, int32_t(-1)) == 0) semrelease(&writer_sem_, false);
}

void RWMutex::lock() {
  w_.lock();  // against other writers
  // Announce the writer to readers; r: those already in.
  int32_t r = atomic::xadd(&reader_count_, -kMaxReaders) + kMaxReaders;
  if (r != 0 && atomic::xadd(&reader_wait_, r) != 0)
    semacquire(&writer_sem_, false, waitreason::SyncRWMutexLock);
}

bool RWMutex::try_lock() {
  if (!w_.try_lock()) return false;
  if (!cas32(&reader_count_, 0, -kMaxReaders)) {
    w_.unlock();
    return false;
  }
  return true;
}

void RWMutex::unlock() {
  // Announce to readers there is no active writer.
  int32_t r = atomic::xadd(&reader_count_, kMaxReaders);
  if (r >= kMaxReaders) fatal("sync: Unlock of unlocked RWMutex");
  for (int32_t i = 0; i < r; i++) semrelease(&reader_sem_, false);  // the readers that queued
  w_.unlock();
}

// ---- WaitGroup

void WaitGroup::add(int64_t delta) {
  uint64_t state = atomic::xadd(&state_, uint64_t(delta) << 32);
  int32_t v = int32_t(state >> 32);
  uint32_t w = uint32_t(state);
  if (v < 0) panic("sync: negative WaitGroup counter");
  if (w != 0 && delta > 0 && v == int32_t(delta))
    panic("sync: WaitGroup misuse: Add called concurrently with Wait");
  if (v > 0 || w == 0) return;
  // The counter is 0 with waiters: nothing may change the state now but
  // us (an add now is the misuse Go detects here, if it is seen).
  if (atomic::load(&state_) != state)
    panic("sync: WaitGroup misuse: Add called concurrently with Wait");
  atomic::store(&state_, uint64_t(0));
  for (; w != 0; w--) semrelease(&sema_, false);
}

void WaitGroup::wait() {
  for (;;) {
    uint64_t state = atomic::load(&state_);
    if (int32_t(state >> 32) == 0) return;
    if (atomic::cas(&state_, state, state + 1)) {  // one more waiter
      semacquire(&sema_, false, waitreason::SyncWaitGroupWait);
      if (atomic::load(&state_) != 0)
        panic("sync: WaitGroup is reused before previous Wait has returned");
      return;
    }
  }
}

// ---- Cond

void Cond::wait() {
  uint32_t t = notify_list_add(&notify_);  // a ticket before unlocking: no signal is lost
  unlock_(l_);
  notify_list_wait(&notify_, t);
  lock_(l_);
}

void Cond::signal() { notify_list_notify_one(&notify_); }
void Cond::broadcast() { notify_list_notify_all(&notify_); }

}  // namespace gort
