// <gort/time.h> — sleeping and timers (Go's time package, the part the
// runtime implements). Durations are int64_t nanoseconds, as Go's Duration;
// times are nanotime() readings (the monotonic clock).
#pragma once

#include "gort.h"

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

}  // namespace gort
