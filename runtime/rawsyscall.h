// runtime/syscall.h — the variadic front end over a port's raw6<N>, for OS
// ports that make raw system calls (Linux, FreeBSD). Include it after the
// port's own header has defined `template <long N> long raw6(6 x long)`. The number N is a
// template argument so that every call site loads it as an immediate right
// before the trap instruction, which tests/verify checks.
#pragma once

#include <stddef.h>
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

// struct timespec as Linux and FreeBSD lay it out on 64-bit CPUs.
struct Timespec {
  int64_t sec, nsec;
};

// clock_gettime(clk) for an OS whose number for it is N.
template <long N>
inline Timespec clock_read(long clk) {
  Timespec ts{};
  syscall<N>(clk, &ts);
  return ts;
}

// getrandom(2) until n bytes are filled, retrying the OS's EINTR and EAGAIN;
// returns the bytes filled (fewer only if the call fails otherwise).
template <long N>
inline size_t getrandom_full(void* buf, size_t n, long eintr, long eagain) {
  size_t got = 0;
  while (got < n) {
    long r = syscall<N>(static_cast<char*>(buf) + got, n - got, 0);
    if (r == -eintr || r == -eagain) continue;
    if (r <= 0) break;
    got += size_t(r);
  }
  return got;
}

}  // namespace gort::sys
