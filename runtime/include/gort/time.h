// <gort/time.h> — sleeping and timers (Go's time package, the part the
// runtime implements). Durations are int64_t nanoseconds, as Go's Duration;
// times are nanotime() readings (the monotonic clock).
#pragma once

#include "chan.h"  // with gort.h

namespace gort {

inline constexpr int64_t Nanosecond = 1;
inline constexpr int64_t Microsecond = 1000 * Nanosecond;
inline constexpr int64_t Millisecond = 1000 * Microsecond;
inline constexpr int64_t Second = 1000 * Millisecond;
inline constexpr int64_t Minute = 60 * Second;
inline constexpr int64_t Hour = 60 * Minute;

// Parks the calling goroutine for at least ns nanoseconds; ns <= 0 returns
// at once (Go's time.Sleep). Its M runs other goroutines meanwhile.
void sleep(int64_t ns);

struct RtTimer;  // the runtime's timer (runtime/timers.h)
namespace detail {
using TimerFunc = void (*)(void* arg, uint64_t seq, int64_t delay);
RtTimer* timer_new(TimerFunc f, bool (*drain)(void*), void* arg);
// Arms t for now + d (and every period after, if > 0): true if it was armed.
bool timer_reset(RtTimer* t, int64_t d, int64_t period);
bool timer_stop(RtTimer* t);                         // true if it was armed
void timer_goroutine(void (*fn)(void*), void* arg);  // after_func: a goroutine per firing
}  // namespace detail

// ---- Timers and tickers, with Go 1.23's semantics: a channel receives
// the nanotime() at which the timer fired; after stop or reset returns, no
// value from an earlier arming is received.
namespace detail {
// What a channel timer does when it fires (Go's sendTime): a non-blocking
// send of the time, dropped if a value is already waiting (tickers).
inline void send_time(void* c, uint64_t, int64_t) {
  static_cast<Chan<int64_t>*>(c)->try_send(nanotime());
}
inline bool drain_time(void* c) {
  int64_t v;
  return static_cast<Chan<int64_t>*>(c)->try_recv(&v);
}
}  // namespace detail

// Go's time.Timer: C receives one value d after creation or reset. A
// handle: copies refer to the same timer. Dropping every copy of an armed
// timer does not stop it.
class Timer {
 public:
  Chan<int64_t> C;
  explicit Timer(int64_t d) : C(make_chan<int64_t>(1)) {
    t_ = detail::timer_new(detail::send_time, detail::drain_time, make<Chan<int64_t>>(C));
    detail::timer_reset(t_, d, 0);
  }
  // True if the call stopped the timer; false if it had already fired and
  // its value was received, or was already stopped (Go's Timer.Stop).
  bool stop() { return detail::timer_stop(t_); }
  // Re-arms for d from now; true if it had been armed (Go's Timer.Reset).
  bool reset(int64_t d) { return detail::timer_reset(t_, d, 0); }

 private:
  template <typename F>
  friend Timer after_func(int64_t d, F f);
  Timer() = default;
  RtTimer* t_ = nullptr;
};

// A channel that receives the time once d has passed (Go's time.After).
inline Chan<int64_t> after(int64_t d) { return Timer(d).C; }

// Runs f in its own goroutine once d has passed (Go's time.AfterFunc); the
// Timer's C is nil, stop and reset work as for any Timer.
template <typename F>
Timer after_func(int64_t d, F f) {
  Timer t;
  F* fp = make<F>(static_cast<F&&>(f));
  auto run = [](void* p) { (*static_cast<F*>(p))(); };
  struct Spawn {
    void (*run)(void*);
    F* fp;
  };
  auto* s = make<Spawn>(Spawn{run, fp});
  t.t_ = detail::timer_new(
      [](void* arg, uint64_t, int64_t) {
        auto* sp = static_cast<Spawn*>(arg);
        detail::timer_goroutine(sp->run, sp->fp);
      },
      nullptr, s);
  detail::timer_reset(t.t_, d, 0);
  return t;
}

// Go's time.Ticker: C receives the time every d; a slow receiver misses
// ticks rather than queueing them. d <= 0 panics, as Go.
class Ticker {
 public:
  Chan<int64_t> C;
  explicit Ticker(int64_t d) : C(make_chan<int64_t>(1)) {
    if (d <= 0) panic("non-positive interval for NewTicker");
    t_ = detail::timer_new(detail::send_time, detail::drain_time, make<Chan<int64_t>>(C));
    detail::timer_reset(t_, d, d);
  }
  void stop() { detail::timer_stop(t_); }
  void reset(int64_t d) {
    if (d <= 0) panic("non-positive interval for Ticker.Reset");
    detail::timer_reset(t_, d, d);
  }

 private:
  RtTimer* t_;
};

}  // namespace gort
