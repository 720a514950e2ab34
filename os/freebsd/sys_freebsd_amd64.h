// os/freebsd/sys_freebsd_amd64.h — raw FreeBSD system calls on amd64.
// Trap: syscall; number in rax; args rdi rsi rdx r10 r8 r9; on error the
// carry flag is set and rax holds errno (normalised here to -errno); rdx may
// carry a second result; rcx and r11 are clobbered.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "sys_freebsd.h"

namespace gort::sys {

template <long N>
inline long raw6(long a1, long a2, long a3, long a4, long a5, long a6) {
  register long rdx asm("rdx") = a3;
  register long r10 asm("r10") = a4;
  register long r8 asm("r8") = a5;
  register long r9 asm("r9") = a6;
  long ret;
  asm volatile("movl %2, %%eax\n\tsyscall\n\tjnc 1f\n\tnegq %%rax\n1:"
               : "=a"(ret), "+r"(rdx)
               : "i"(N), "D"(a1), "S"(a2), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory", "cc");
  return ret;
}

#define GORT_FREEBSD_SET_FSBASE 1
inline constexpr long kAMD64_SET_FSBASE = 129;

// ucontext_t: uc_sigmask (16 bytes), then mcontext { mc_onstack, mc_rdi, mc_rsi,
// mc_rdx, mc_rcx, mc_r8, mc_r9, mc_rax, mc_rbx, mc_rbp, ... mc_rip (word 20) }.
inline constexpr size_t kUctxFP = 16 + 9 * 8, kUctxPC = 16 + 20 * 8, kUctxSP = 16 + 23 * 8,
                        kUctxLR = 0;  // no lr

// Store 0 to *wait, then thr_exit(NULL), with no stack use in between.
[[noreturn]] inline void exit_thread(uint32_t* wait) {
  asm volatile(
      "testq %%rdi, %%rdi\n\tjz 1f\n\tmovl $0, (%%rdi)\n"
      "1:\txorl %%edi, %%edi\n\tmovl %1, %%eax\n\tsyscall\n\tud2"
      :
      : "D"(wait), "i"(SYS_thr_exit)
      : "memory");
  __builtin_unreachable();
}

// thr_new sets the fs base to tls_base itself.
inline constexpr uintptr_t kThrNewTpBias = 0;

}  // namespace gort::sys
