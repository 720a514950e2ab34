// os/freebsd/sys_freebsd_arm64.h — raw FreeBSD system calls on arm64.
// Trap: svc #0; number in x8; args x0..x5; on error the carry flag is set and
// x0 holds errno (normalised here to -errno); x1 may carry a second result.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys_freebsd.h"

namespace gort::sys {

template <long N>
inline long raw6(long a1, long a2, long a3, long a4, long a5, long a6) {
  register long x0 asm("x0") = a1;
  register long x1 asm("x1") = a2;
  register long x2 asm("x2") = a3;
  register long x3 asm("x3") = a4;
  register long x4 asm("x4") = a5;
  register long x5 asm("x5") = a6;
  asm volatile("mov x8, #%2\n\tsvc #0\n\tb.cc 1f\n\tneg x0, x0\n1:"
               : "+r"(x0), "+r"(x1)
               : "i"(N), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
               : "x8", "memory", "cc");
  return x0;
}

// ucontext_t: uc_sigmask (16 bytes), then gpregs { x[30], lr, sp, elr, ... }.
inline constexpr size_t kUctxFP = 16 + 29 * 8, kUctxLR = 16 + 30 * 8, kUctxSP = 16 + 31 * 8,
                        kUctxPC = 16 + 32 * 8;

[[noreturn]] inline void exit_thread(uint32_t* wait) {
  register uint32_t* x0 asm("x0") = wait;
  asm volatile(
      "cbz x0, 1f\n\tstlr wzr, [x0]\n"
      "1:\tmov x0, #0\n\tmov x8, #%1\n\tsvc #0\n\tbrk #0"
      :
      : "r"(x0), "i"(SYS_thr_exit)
      : "x8", "memory");
  __builtin_unreachable();
}

// thr_new sets tpidr_el0 to tls_base itself.
inline constexpr uintptr_t kThrNewTpBias = 0;

}  // namespace gort::sys
