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

}  // namespace gort
