// os/linux/sys_linux_arm64.h — raw Linux system calls on arm64.
// Trap: svc #0; number in x8; args x0..x5; result in x0, -4095..-1 = -errno.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "consts_linux.h"
#include "sys_linux_generic.h"

namespace gort::sys {

using Consts = LinuxConsts;  // no constant of this CPU differs

template <long N>
inline long raw6(long a1, long a2, long a3, long a4, long a5, long a6) {
  register long x0 asm("x0") = a1;
  register long x1 asm("x1") = a2;
  register long x2 asm("x2") = a3;
  register long x3 asm("x3") = a4;
  register long x4 asm("x4") = a5;
  register long x5 asm("x5") = a6;
  asm volatile("mov x8, #%1\n\tsvc #0"
               : "+r"(x0)
               : "i"(N), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
               : "x8", "memory");
  return x0;
}

using KSigaction = LinuxKSigaction;
// The kernel returns from handlers through the vDSO's sigreturn.
inline void (*sigrestorer())() { return nullptr; }

// ucontext_t: uc_flags, uc_link, uc_stack, uc_sigmask (padded to 128), then
// at 176 sigcontext { fault_address, regs[31], sp, pc, ... }: x29 and pc.
inline constexpr size_t kUctxFP = 176 + 8 + 29 * 8, kUctxLR = 176 + 8 + 30 * 8,
                        kUctxSP = 176 + 8 + 31 * 8, kUctxPC = 176 + 8 + 31 * 8 + 8;

[[noreturn]] inline void exit_thread(uint32_t* wait) {
  register uint32_t* x0 asm("x0") = wait;
  asm volatile(
      "cbz x0, 1f\n\tstlr wzr, [x0]\n"
      "1:\tmov x0, #0\n\tmov x8, #%1\n\tsvc #0\n\tbrk #0"
      :
      : "r"(x0), "i"(SYS_exit)
      : "x8", "memory");
  __builtin_unreachable();
}

// The vDSO's clock_gettime (vdso_linux.cpp): the kernel's name for it here.
inline constexpr char kVdsoClockGettime[] = "__kernel_clock_gettime";

}  // namespace gort::sys
