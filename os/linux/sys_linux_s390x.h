// os/linux/sys_linux_s390x.h — raw Linux system calls on s390x.
// Trap: svc 0; number in r1 (svc's 8-bit immediate cannot name them all);
// args r2..r7; result in r2, -4095..-1 = -errno.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "consts_linux.h"

namespace gort::sys {

using Consts = LinuxConsts;  // no constant of this CPU differs

// arch/s390/kernel/syscalls/syscall.tbl (64-bit entries).
enum : long {
  SYS_exit = 1,
  SYS_read = 3,
  SYS_write = 4,
  SYS_close = 6,
  SYS_getpid = 20,
  SYS_fcntl = 55,
  SYS_mmap = 90,  // old_mmap: one pointer to the six arguments (raw6 below)
  SYS_munmap = 91,
  SYS_clone = 120,
  SYS_mprotect = 125,
  SYS_rt_sigreturn = 173,
  SYS_rt_sigaction = 174,
  SYS_rt_sigprocmask = 175,
  SYS_sigaltstack = 186,
  SYS_madvise = 219,
  SYS_gettid = 236,
  SYS_futex = 238,
  SYS_sched_getaffinity = 240,
  SYS_tgkill = 241,
  SYS_exit_group = 248,
  SYS_clock_gettime = 260,
  SYS_openat = 288,
  SYS_pipe2 = 325,
  SYS_getrandom = 349,
};

template <long N>
inline long raw6(long a1, long a2, long a3, long a4, long a5, long a6) {
  // s390x has no six-register mmap: its mmap reads the arguments from memory.
  long block[6] = {a1, a2, a3, a4, a5, a6};
  if constexpr (N == SYS_mmap) a1 = long(reinterpret_cast<uintptr_t>(block));
  register long r2 asm("r2") = a1;
  register long r3 asm("r3") = a2;
  register long r4 asm("r4") = a3;
  register long r5 asm("r5") = a4;
  register long r6 asm("r6") = a5;
  register long r7 asm("r7") = a6;
  asm volatile("lghi %%r1,%1\n\tsvc 0"
               : "+r"(r2)
               : "i"(N), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
               : "r1", "cc", "memory");
  return r2;
}

using KSigaction = LinuxKSigaction;
// The kernel returns from handlers through the vDSO's (or its own) sigreturn.
inline void (*sigrestorer())() { return nullptr; }

// ucontext_t: uc_flags, uc_link, uc_stack (24 bytes), then at 40 _sigregs
// { psw { mask, addr }, gprs[16], acrs[16], fpregs } (asm/ucontext.h,
// asm/sigcontext.h). The frame pointer gort walks from is sp (r15): see
// arch/s390x/arch_port.h; the link register is r14.
inline constexpr size_t kUctxPC = 40 + 8, kUctxLR = 40 + 16 + 14 * 8, kUctxSP = 40 + 16 + 15 * 8,
                        kUctxFP = kUctxSP;

// Store 0 to *wait and end the thread with no stack use in between (the
// waiter may free this stack as soon as it sees the 0). s390x orders stores.
[[noreturn]] inline void exit_thread(uint32_t* wait) {
  register uint32_t* r2 asm("r2") = wait;
  asm volatile(
      "ltgr %%r2,%%r2\n\tjz 1f\n\tmvhi 0(%%r2),0\n"
      "1:\tlghi %%r2,0\n\tlghi %%r1,%1\n\tsvc 0\n\t.hword 0"
      :
      : "r"(r2), "i"(SYS_exit)
      : "r1", "cc", "memory");
  __builtin_unreachable();
}

// The vDSO's clock_gettime (vdso_linux.cpp): the kernel's name for it here.
inline constexpr char kVdsoClockGettime[] = "__kernel_clock_gettime";

}  // namespace gort::sys
