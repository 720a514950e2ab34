// os/freebsd/sys_freebsd_riscv64.h — raw FreeBSD system calls on riscv64.
// Trap: ecall; number in t0; args a0..a5; on error t0 is nonzero and a0 holds
// errno (normalised here to -errno); a1 may carry a second result.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys_freebsd.h"

namespace gort::sys {

template <long N>
inline long raw6(long a1, long a2, long a3, long a4, long a5, long a6) {
  register long r0 asm("a0") = a1;
  register long r1 asm("a1") = a2;
  register long r2 asm("a2") = a3;
  register long r3 asm("a3") = a4;
  register long r4 asm("a4") = a5;
  register long r5 asm("a5") = a6;
  asm volatile("li t0, %2\n\tecall\n\tbeqz t0, 1f\n\tneg a0, a0\n1:"
               : "+r"(r0), "+r"(r1)
               : "i"(N), "r"(r2), "r"(r3), "r"(r4), "r"(r5)
               : "t0", "memory");
  return r0;
}

// ucontext_t: uc_sigmask (16 bytes), then gpregs { ra, sp, gp, tp, t[7], s[12],
// a[8], sepc, ... }: s0 is word 11, sepc word 31.
inline constexpr size_t kUctxFP = 16 + 11 * 8, kUctxPC = 16 + 31 * 8, kUctxLR = 16,
                        kUctxSP = 16 + 8;

[[noreturn]] inline void exit_thread(uint32_t* wait) {
  register uint32_t* a0 asm("a0") = wait;
  asm volatile(
      "beqz a0, 1f\n\tfence rw, w\n\tsw zero, 0(a0)\n"
      "1:\tli a0, 0\n\tli t0, %1\n\tecall\n\tebreak"
      :
      : "r"(a0), "i"(SYS_thr_exit)
      : "t0", "memory");
  __builtin_unreachable();
}

// thr_new sets tp to tls_base + 16 (the kernel's TP_OFFSET, FreeBSD's
// sizeof(struct tcb), in cpu_set_user_tls): pass tp - 16.
inline constexpr uintptr_t kThrNewTpBias = 16;

}  // namespace gort::sys
