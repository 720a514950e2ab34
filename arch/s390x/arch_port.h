// arch/s390x/arch_port.h — inline part of the s390x port (see runtime/port.h).
// s390x is big-endian.
#pragma once
#include <stdint.h>

namespace gort {

inline constexpr char kArchName[] = "s390x";
inline constexpr uintptr_t kStackAlign = 8;  // the ELF ABI's stack alignment

// The thread pointer is the access-register pair a0:a1 (high, low word).
// stam/lam move both in one instruction: two ears could read a0 on one thread
// and a1 on another if a preemption moved the goroutine between them.
inline void* arch_gettp() {
  uint64_t t;
  asm volatile("stam %%a0,%%a1,%0" : "=Q"(t));
  return reinterpret_cast<void*>(t);
}
inline bool arch_settp(void* tp) {
  uint64_t t = uint64_t(tp);
  asm volatile("lam %%a0,%%a1,%0" ::"Q"(t));
  return true;
}
// The word at tp + Off. No instruction loads through the access registers:
// read them, load, read them again and start over if they changed (a
// goroutine preempted in between resumes on another thread).
template <intptr_t Off>
inline void* arch_tls_load() {
  uint64_t tmp;
  void *tp, *v;
  asm volatile(
      "1: stam %%a0,%%a1,%2\n"
      "   lg %0,%2\n"
      "   lg %1,%3(%0)\n"
      "   stam %%a0,%%a1,%2\n"
      "   cg %0,%2\n"
      "   jne 1b"
      : "=&a"(tp), "=&r"(v), "=Q"(tmp)
      : "i"(Off)
      : "cc", "memory");
  return v;
}

// No spin-wait hint in user mode; a compiler barrier keeps the loop.
inline void arch_procyield(uint32_t n) {
  while (n--) asm volatile("" ::: "memory");
}

// Frames (ELF ABI with -mbackchain): a function's fp is its incoming sp, as
// __builtin_frame_address(0) gives it: its caller's frame, whose first word
// (the back chain) is the caller's own incoming sp and whose register save
// area holds, at +112, the r14 (return address) the function saved.
inline uintptr_t arch_frame_next(uintptr_t fp, uintptr_t* pc) {
  *pc = reinterpret_cast<const uintptr_t*>(fp)[14];  // +112
  return reinterpret_cast<const uintptr_t*>(fp)[0];
}
// An interrupted function's fp, from the signal context, is its sp (r15).
// If it built a frame and saved r14 there, that frame's back chain leads to
// a save area holding lr: not a leaf. Otherwise it is taken as a leaf that
// built no frame: sp is its fp, and its caller's (at lr) is sp's back chain.
// (A leaf that built a frame without saving r14 shows one stale frame.)
inline bool arch_leaf_candidate(uintptr_t sp, uintptr_t lr, uintptr_t lo, uintptr_t hi,
                                uintptr_t* next_fp) {
  if (!lr) return false;
  uintptr_t chain = reinterpret_cast<const uintptr_t*>(sp)[0];
  if (chain < lo || chain + 16 * 8 > hi || chain % 8) return false;  // its save area in the stack
  if (reinterpret_cast<const uintptr_t*>(chain)[14] == lr) {         // framed, r14 as saved
    *next_fp = reinterpret_cast<const uintptr_t*>(chain)[0];
    return true;
  }
  *next_fp = chain;
  return true;
}
// The fp and pc a context saved by gort_swapctx resumes with: the caller of
// gort_swapctx at r14, whose fp is the back chain of its own frame (at the
// saved r15).
inline void arch_ctx_frame(const void* sp, uintptr_t* fp, uintptr_t* pc) {
  uintptr_t caller_sp = static_cast<const uintptr_t*>(sp)[9];  // CTX_R15
  *fp = caller_sp ? *reinterpret_cast<const uintptr_t*>(caller_sp) : 0;
  *pc = static_cast<const uintptr_t*>(sp)[8];  // CTX_R14
}

// Nothing below sp is live in the s390x ELF ABI (the callee's save area is
// above the caller's sp).
inline constexpr uintptr_t kArchRedZone = 0;
// Branches take their target in a register: the trampoline returns through
// a trap the SIGILL handler completes.
inline constexpr bool kPreemptTrapReturn = true;

// Makes a signalled thread run target with sp at a head {interrupted pc,
// interrupted sp}, 8-aligned, below the interrupted sp; r14 untouched.
inline void arch_preempt_push(uintptr_t* sp, uintptr_t* pc, uintptr_t target, uintptr_t redzone) {
  preempt_head_push<8, 0>(sp, pc, target, redzone);
}
// gort_async_preempt's fp (the back chain of its frame) is the head; the
// interrupted r14 is saved 608 bytes below it (ctx_s390x.h).
inline void arch_preempt_frame(uintptr_t fp, uintptr_t* pc, uintptr_t* ifp, uintptr_t* lr) {
  *pc = reinterpret_cast<const uintptr_t*>(fp)[0];
  *ifp = reinterpret_cast<const uintptr_t*>(fp)[1];
  *lr = reinterpret_cast<const uintptr_t*>(fp - 608)[0];
}
// At the trap, sp is back at the head arch_preempt_push wrote.
inline void arch_preempt_resume(uintptr_t* sp, uintptr_t* pc) { preempt_head_resume<0>(sp, pc); }

// The TOD clock (bit 51 = 1 microsecond), unprivileged.
inline uint64_t arch_cputicks() {
  uint64_t t;
  asm volatile("stckf %0" : "=Q"(t) : : "cc");
  return t;
}

// ---- Static TLS (ELF TLS ABI variant II, as on x86; runtime/port.h's
// TlsBlock): the TLS data ends at tp, which addresses the TCB: gort's TlsBlock.
inline constexpr int kTlsVariant = 2;
inline constexpr uintptr_t kTlsTcbSize = 0;
inline constexpr intptr_t kTlsBlockOffset = 0;  // TlsBlock at tp

}  // namespace gort
