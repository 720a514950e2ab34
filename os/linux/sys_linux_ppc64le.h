// os/linux/sys_linux_ppc64le.h — raw Linux system calls on ppc64le.
// Trap: sc; number in r0; args r3..r8; result in r3. On failure the kernel
// sets cr0.SO and r3 holds the POSITIVE errno: raw6 returns -errno as the
// other ports do. The kernel may change r0, r4..r12, ctr, xer and cr0.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "consts_linux.h"

namespace gort::sys {

// powerpc's asm/mman.h: MAP_NORESERVE is 0x40 (0x4000 elsewhere).
struct Consts : LinuxConsts {
  static constexpr long kMAP_NORESERVE = 0x40;
};

// arch/powerpc/include/uapi/asm/unistd.h (kernel/syscalls/syscall.tbl).
enum : long {
  SYS_exit = 1,
  SYS_read = 3,
  SYS_write = 4,
  SYS_close = 6,
  SYS_getpid = 20,
  SYS_fcntl = 55,
  SYS_mmap = 90,
  SYS_munmap = 91,
  SYS_clone = 120,
  SYS_mprotect = 125,
  SYS_rt_sigreturn = 172,
  SYS_rt_sigaction = 173,
  SYS_rt_sigprocmask = 174,
  SYS_sigaltstack = 185,
  SYS_madvise = 205,
  SYS_gettid = 207,
  SYS_futex = 221,
  SYS_sched_getaffinity = 223,
  SYS_exit_group = 234,
  SYS_clock_gettime = 246,
  SYS_tgkill = 250,
  SYS_openat = 286,
  SYS_pipe2 = 317,
  SYS_getrandom = 359,
};

template <long N>
inline long raw6(long a1, long a2, long a3, long a4, long a5, long a6) {
  register long r3 asm("r3") = a1;
  register long r4 asm("r4") = a2;
  register long r5 asm("r5") = a3;
  register long r6 asm("r6") = a4;
  register long r7 asm("r7") = a5;
  register long r8 asm("r8") = a6;
  asm volatile("li 0, %6\n\tsc\n\tbns+ 1f\n\tneg 3, 3\n1:"
               : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8)
               : "i"(N)
               : "r0", "r9", "r10", "r11", "r12", "ctr", "xer", "cr0", "memory");
  return r3;
}

// The kernel's struct sigaction; powerpc ignores sa_restorer and returns
// from handlers through the vDSO (or a trampoline on the signal frame).
using KSigaction = LinuxKSigaction;
inline void (*sigrestorer())() { return nullptr; }

// ucontext: uc_flags, uc_link, uc_stack (24), uc_sigmask and 15 spare
// sigsets (128), then at 168 sigcontext { _unused[4], signal, _pad0,
// handler, oldmask, regs, gp_regs[48] at +64 }: gp_regs at 232, r1 = [1],
// r31 = [31], PT_NIP = 32, PT_LNK = 36 (asm/ptrace.h).
inline constexpr size_t kUctxGPR = 232;
inline constexpr size_t kUctxFP = kUctxGPR + 31 * 8, kUctxSP = kUctxGPR + 1 * 8,
                        kUctxPC = kUctxGPR + 32 * 8, kUctxLR = kUctxGPR + 36 * 8;

// Store 0 to *wait and end the thread with no stack use in between (the
// waiter may free this stack as soon as it sees the 0).
[[noreturn]] inline void exit_thread(uint32_t* wait) {
  register uint32_t* r3 asm("r3") = wait;
  asm volatile(
      "cmpdi 3, 0\n\tbeq 1f\n\tlwsync\n\tli 4, 0\n\tstw 4, 0(3)\n"
      "1:\tli 3, 0\n\tli 0, %1\n\tsc\n\ttrap"
      : "+r"(r3)
      : "i"(SYS_exit)
      : "r0", "r4", "cr0", "memory");
  __builtin_unreachable();
}

// The vDSO's clock_gettime (vdso_linux.cpp): the kernel's name for it here.
// It returns 0, or a positive errno with cr0.SO set (then the system call).
inline constexpr char kVdsoClockGettime[] = "__kernel_clock_gettime";

}  // namespace gort::sys
