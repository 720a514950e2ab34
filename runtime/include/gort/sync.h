// <gort/sync.h> — Go's sync package: Mutex, RWMutex, WaitGroup, Once, Cond.
// Goroutines that must wait park on the runtime's semaphores (never an OS
// thread); see docs/ARCHITECTURE.md, "Semaphores and sync". A Mutex,
// RWMutex, WaitGroup or Once is ready when default-constructed (Go's zero
// value; constexpr, so a global one needs no initialiser); a Cond is given
// its lock. None can be copied. Included by <gort/gort.h>.
#pragma once

#include <stdint.h>

namespace gort {

class Mutex;
struct Sudog;

namespace detail {
// The mutex state word (tests watch the starving bit).
int32_t mutex_state(const Mutex& m);
inline constexpr int32_t kMutexLocked = 1;
inline constexpr int32_t kMutexWoken = 2;
inline constexpr int32_t kMutexStarving = 4;
inline constexpr int32_t kMutexWaiterShift = 3;

// Go's notifyList: waiters take tickets; notify wakes them in ticket order.
struct NotifyList {
  uint32_t wait = 0;    // next ticket to hand out
  uint32_t notify = 0;  // next ticket to wake
  uint32_t lock = 0;    // a runtime lock word (RtMutex) over the list
  Sudog* head = nullptr;
  Sudog* tail = nullptr;
};
}  // namespace detail

// Go's sync.Mutex: a fast path of one CAS, a few rounds of spinning when
// the holder is likely running on another CPU, then parking. Fair against
// starvation: a waiter left waiting over 1 ms switches the mutex to handing
// ownership straight to the next waiter. Unlocking an unlocked Mutex is
// "fatal error: sync: unlock of unlocked mutex" (exit 2). A Mutex is not
// tied to a goroutine: one may lock it and another unlock it.
class Mutex {
 public:
  constexpr Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock() {
    int32_t old = 0;
    if (__atomic_compare_exchange_n(&state_, &old, detail::kMutexLocked, false, __ATOMIC_ACQUIRE,
                                    __ATOMIC_RELAXED))
      return;
    lock_slow();
  }
  bool try_lock();
  void unlock() {
    int32_t n = __atomic_sub_fetch(&state_, detail::kMutexLocked, __ATOMIC_RELEASE);
    if (n != 0) unlock_slow(n);
  }

 private:
  friend int32_t detail::mutex_state(const Mutex& m);
  void lock_slow();
  void unlock_slow(int32_t n);
  int32_t state_ = 0;  // locked, woken and starving bits; waiters above them
  uint32_t sema_ = 0;
};

namespace detail {
inline int32_t mutex_state(const Mutex& m) { return __atomic_load_n(&m.state_, __ATOMIC_ACQUIRE); }
}  // namespace detail

// Go's sync.RWMutex: any number of readers or one writer. A blocked writer
// keeps new readers out, so writers are not starved. Fatal errors as Go's:
// "sync: RUnlock of unlocked RWMutex", "sync: Unlock of unlocked RWMutex".
class RWMutex {
 public:
  constexpr RWMutex() = default;
  RWMutex(const RWMutex&) = delete;
  RWMutex& operator=(const RWMutex&) = delete;

  void lock();
  bool try_lock();
  void unlock();
  void rlock() {
    if (__atomic_add_fetch(&reader_count_, 1, __ATOMIC_SEQ_CST) < 0) rlock_slow();
  }
  bool try_rlock();
  void runlock() {
    int32_t r = __atomic_sub_fetch(&reader_count_, 1, __ATOMIC_SEQ_CST);
    if (r < 0) runlock_slow(r);
  }

 private:
  void rlock_slow();
  void runlock_slow(int32_t r);
  Mutex w_;                   // held by a writer, pending or not
  uint32_t writer_sem_ = 0;   // the writer waits here for departing readers
  uint32_t reader_sem_ = 0;   // readers wait here for the writer
  int32_t reader_count_ = 0;  // readers in; minus 1<<30 while a writer is pending
  int32_t reader_wait_ = 0;   // departing readers the writer still waits for
};

// Go's sync.WaitGroup: wait() blocks until the counter is 0; any number of
// goroutines may wait. Misuse panics with Go's messages ("sync: negative
// WaitGroup counter", "sync: WaitGroup misuse: Add called concurrently with
// Wait", "sync: WaitGroup is reused before previous Wait has returned").
// The counter is 32 bits, as Go's.
class WaitGroup {
 public:
  constexpr WaitGroup() = default;
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  void add(int64_t delta);
  void done() { add(-1); }
  void wait();

 private:
  uint64_t state_ = 0;  // counter in the high 32 bits, waiters in the low
  uint32_t sema_ = 0;
};

// Go's sync.Once (Do is call: `do` is a C++ keyword). f runs exactly once;
// every caller returns only after it has returned. Calling call from f on
// the same Once deadlocks, as in Go.
class Once {
 public:
  constexpr Once() = default;
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  template <typename F>
  void call(F f) {
    // Acquire: whoever sees done sees everything f wrote.
    if (__atomic_load_n(&done_, __ATOMIC_ACQUIRE) == 0) slow(f);
  }

 private:
  template <typename F>
  void slow(F& f) {
    m_.lock();
    if (__atomic_load_n(&done_, __ATOMIC_RELAXED) == 0) {
      f();
      __atomic_store_n(&done_, 1u, __ATOMIC_RELEASE);
    }
    m_.unlock();
  }
  uint32_t done_ = 0;
  Mutex m_;
};

// Go's sync.Cond over a Mutex, or an RWMutex's write lock. wait() unlocks
// it, parks until signal() or broadcast() (each wakes waiters in the order
// they came), and locks it again. As in Go, check the condition in a loop.
class Cond {
 public:
  explicit Cond(Mutex* l) : l_(l), lock_(lock_mutex), unlock_(unlock_mutex) {}
  explicit Cond(RWMutex* l) : l_(l), lock_(lock_rwmutex), unlock_(unlock_rwmutex) {}
  Cond(const Cond&) = delete;
  Cond& operator=(const Cond&) = delete;

  void wait();
  void signal();
  void broadcast();

 private:
  static void lock_mutex(void* l) { static_cast<Mutex*>(l)->lock(); }
  static void unlock_mutex(void* l) { static_cast<Mutex*>(l)->unlock(); }
  static void lock_rwmutex(void* l) { static_cast<RWMutex*>(l)->lock(); }
  static void unlock_rwmutex(void* l) { static_cast<RWMutex*>(l)->unlock(); }
  void* l_;
  void (*lock_)(void*);
  void (*unlock_)(void*);
  detail::NotifyList notify_;
};

}  // namespace gort
