// os/linux/sys_linux_amd64.h — raw Linux system calls on amd64.
// Trap: syscall; number in rax; args rdi rsi rdx r10 r8 r9; result in rax,
// -4095..-1 meaning -errno; the kernel clobbers rcx and r11.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "consts_linux.h"

namespace gort::sys {

using Consts = LinuxConsts;  // no constant of this CPU differs

enum : long {
  SYS_read = 0,
  SYS_write = 1,
  SYS_close = 3,
  SYS_mmap = 9,
  SYS_mprotect = 10,
  SYS_munmap = 11,
  SYS_rt_sigaction = 13,
  SYS_rt_sigprocmask = 14,
  SYS_rt_sigreturn = 15,
  SYS_madvise = 28,
  SYS_getpid = 39,
  SYS_clone = 56,
  SYS_exit = 60,
  SYS_fcntl = 72,
  SYS_sigaltstack = 131,
  SYS_arch_prctl = 158,
  SYS_gettid = 186,
  SYS_futex = 202,
  SYS_sched_getaffinity = 204,
  SYS_clock_gettime = 228,
  SYS_exit_group = 231,
  SYS_tgkill = 234,
  SYS_openat = 257,
  SYS_pipe2 = 293,
  SYS_getrandom = 318,
};
#define GORT_LINUX_HAS_ARCH_PRCTL 1
inline constexpr long kARCH_SET_FS = 0x1002;

template <long N>
inline long raw6(long a1, long a2, long a3, long a4, long a5, long a6) {
  register long r10 asm("r10") = a4;
  register long r8 asm("r8") = a5;
  register long r9 asm("r9") = a6;
  long ret;
  asm volatile("movl %1, %%eax\n\tsyscall"
               : "=a"(ret)
               : "i"(N), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return ret;
}

// The kernel's struct sigaction for rt_sigaction (not libc's).
using KSigaction = LinuxKSigaction;
// amd64 has no kernel-provided signal return path: SA_RESTORER is required.
extern "C" void gort_sigreturn_tramp();
inline void (*sigrestorer())() { return &gort_sigreturn_tramp; }

// ucontext_t: uc_flags, uc_link, uc_stack (24 bytes), then mcontext gregs[]:
// ... rbp = gregs[10], rip = gregs[16].
inline constexpr size_t kUctxFP = 40 + 10 * 8, kUctxSP = 40 + 15 * 8, kUctxPC = 40 + 16 * 8,
                        kUctxLR = 0;  // no lr

// Store 0 to *wait and end the thread with no stack use in between (the
// waiter may free this stack as soon as it sees the 0).
[[noreturn]] inline void exit_thread(uint32_t* wait) {
  asm volatile(
      "testq %%rdi, %%rdi\n\tjz 1f\n\tmovl $0, (%%rdi)\n"
      "1:\txorl %%edi, %%edi\n\tmovl %1, %%eax\n\tsyscall\n\tud2"
      :
      : "D"(wait), "i"(SYS_exit)
      : "memory");
  __builtin_unreachable();
}

// The vDSO's clock_gettime (vdso_linux.cpp): the kernel's name for it here.
inline constexpr char kVdsoClockGettime[] = "__vdso_clock_gettime";

}  // namespace gort::sys
