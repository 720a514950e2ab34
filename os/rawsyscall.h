// os/rawsyscall.h — what the OS ports that talk to the kernel directly
// (Linux, FreeBSD) share: the variadic syscall<N>(...) front end over the
// port's raw6<N>, the clock and getrandom loops, and reading a signal
// handler's ucontext at the port's fixed offsets. Include it after the
// port's own header has defined `template <long N> long raw6(6 x long)`. The
// number N is a template argument so that every call site loads it as an
// immediate right before the trap instruction, which tests/verify checks.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace gort::sys {

template <typename T>
inline long to_long(T v) {
  return long(v);
}
template <typename T>
inline long to_long(T* p) {
  return long(reinterpret_cast<uintptr_t>(p));
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

// Monotonic or wall clock in nanoseconds, for an OS whose clock_gettime is N.
template <long N>
inline int64_t clock_ns(long clk) {
  Timespec ts = clock_read<N>(clk);
  return ts.sec * 1000000000 + ts.nsec;
}

// For ports that find the interrupted registers in a signal handler's
// ucontext at fixed byte offsets (their kUctx* constants; LR 0: none).
template <size_t SP, size_t PC>
inline void uctx_sp_pc(void* uctx, uintptr_t** sp, uintptr_t** pc) {
  *sp = reinterpret_cast<uintptr_t*>(static_cast<char*>(uctx) + SP);
  *pc = reinterpret_cast<uintptr_t*>(static_cast<char*>(uctx) + PC);
}
template <size_t FP, size_t PC, size_t LR>
inline void uctx_frame(const void* uctx, uintptr_t* fp, uintptr_t* pc, uintptr_t* lr) {
  auto word = [uctx](size_t off) {
    return *reinterpret_cast<const uintptr_t*>(static_cast<const char*>(uctx) + off);
  };
  *fp = word(FP);
  *pc = word(PC);
  *lr = LR ? word(LR) : 0;
}

}  // namespace gort::sys
