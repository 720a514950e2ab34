// os/linux/sys_linux_riscv64.h — raw Linux system calls on riscv64.
// Trap: ecall; number in a7; args a0..a5; result in a0, -4095..-1 = -errno.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "consts_linux.h"
#include "sys_linux_generic.h"

namespace gort::sys {

using Consts = LinuxConsts;  // no constant of this CPU differs

template <long N>
inline long raw6(long a1, long a2, long a3, long a4, long a5, long a6) {
  register long r0 asm("a0") = a1;
  register long r1 asm("a1") = a2;
  register long r2 asm("a2") = a3;
  register long r3 asm("a3") = a4;
  register long r4 asm("a4") = a5;
  register long r5 asm("a5") = a6;
  asm volatile("li a7, %1\n\tecall"
               : "+r"(r0)
               : "i"(N), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5)
               : "a7", "memory");
  return r0;
}

// riscv64 Linux has no sa_restorer field: the vDSO provides sigreturn.
struct KSigaction {
  void* handler;
  unsigned long flags;
  uint64_t mask;
  void (*restorer)();  // not part of the kernel's struct; never passed in
};
inline void (*sigrestorer())() { return nullptr; }

// ucontext_t: uc_flags, uc_link, uc_stack, uc_sigmask (padded to 128), then
// at 176 (16-aligned) sigcontext { pc, ra, sp, gp, tp, t0-t2, s0, ... }.
inline constexpr size_t kUctxFP = 176 + 8 * 8, kUctxPC = 176, kUctxLR = 176 + 8, kUctxSP = 176 + 16;

[[noreturn]] inline void exit_thread(uint32_t* wait) {
  register uint32_t* a0 asm("a0") = wait;
  asm volatile(
      "beqz a0, 1f\n\tfence rw, w\n\tsw zero, 0(a0)\n"
      "1:\tli a0, 0\n\tli a7, %1\n\tecall\n\tebreak"
      :
      : "r"(a0), "i"(SYS_exit)
      : "a7", "memory");
  __builtin_unreachable();
}

// The vDSO's clock_gettime (vdso_linux.cpp): the kernel's name for it here.
inline constexpr char kVdsoClockGettime[] = "__vdso_clock_gettime";

}  // namespace gort::sys
