// runtime/syscall.h — the variadic front end over a port's raw6<N>, for OS
// ports that make raw system calls (Linux, FreeBSD). Include it after the
// port's own header has defined `template <long N> long raw6(6 x long)`. The number N is a
// template argument so that every call site loads it as an immediate right
// before the trap instruction, which tests/verify checks.
#pragma once

#include <stdint.h>

#include "gort/traits.h"

namespace gort::sys {

template <typename T>
inline long to_long(T v) {
  if constexpr (is_pointer_v<T>)
    return long(reinterpret_cast<uintptr_t>(v));
  else
    return long(v);
}

// Returns the result, or -errno on failure (the port's raw6 normalises).
template <long N, typename... A>
inline long syscall(A... a) {
  static_assert(sizeof...(A) <= 6, "at most six syscall arguments");
  long v[6] = {to_long(a)...};
  return raw6<N>(v[0], v[1], v[2], v[3], v[4], v[5]);
}

}  // namespace gort::sys
