// arch/riscv64/arch_port.h — inline part of the riscv64 port (see runtime/port.h).
#pragma once
#include <stdint.h>

namespace gort {

inline constexpr char kArchName[] = "riscv64";
inline constexpr uintptr_t kStackAlign = 16;

// tp is an ordinary register the ABI reserves for the thread pointer.
inline void* arch_gettp() {
  void* t;
  asm volatile("mv %0, tp" : "=r"(t));
  return t;
}
inline bool arch_settp(void* t) {
  asm volatile("mv tp, %0" ::"r"(t));
  return true;
}
// The word at tp + Off, in one instruction through tp itself (which
// preemption never carries from one thread to another).
template <intptr_t Off>
inline void* arch_tls_load() {
  void* v;
  asm volatile("ld %0, %1(tp)" : "=r"(v) : "i"(Off));
  return v;
}

// No pause hint in RV64GC (Zihintpause is optional); a compiler barrier keeps
// the loop from being folded away.
inline void arch_procyield(uint32_t n) {
  while (n--) asm volatile("" ::: "memory");
}

// With -fno-omit-frame-pointer, s0 is the frame's top (its CFA):
// [fp-8] = return address, [fp-16] = caller's fp.
inline uintptr_t arch_frame_next(uintptr_t fp, uintptr_t* pc) {
  *pc = reinterpret_cast<const uintptr_t*>(fp)[-1];
  return reinterpret_cast<const uintptr_t*>(fp)[-2];
}
// Two kinds of leaf, whose caller is at ra. gcc saves only s0 in a leaf, at
// [fp-8] where others keep ra: a stack address there (never a return
// address) marks one; the walk goes on from that saved s0. A leaf with no
// frame at all (asm) leaves s0 its caller's, whose [fp-8] is the caller's
// own return address, not ra; the walk goes on from fp. Where [fp-8] is ra,
// fp is the interrupted function's own frame: no leaf. (Like arm64's, a
// heuristic: the traceback also wants ra in another function than pc.)
inline bool arch_leaf_candidate(uintptr_t fp, uintptr_t ra, uintptr_t lo, uintptr_t hi,
                                uintptr_t* next_fp) {
  uintptr_t saved = reinterpret_cast<const uintptr_t*>(fp)[-1];
  if (!ra || saved == ra) return false;
  *next_fp = saved >= lo && saved < hi ? saved : fp;
  return true;
}
// The frame pointer and pc a context saved by gort_swapctx resumes with.
inline void arch_ctx_frame(const void* sp, uintptr_t* fp, uintptr_t* pc) {
  *fp = static_cast<const uintptr_t*>(sp)[1];  // CTX_S0
  *pc = static_cast<const uintptr_t*>(sp)[0];  // CTX_RA
}

// Makes the calling function save s1-s11 and fs0-fs11 in its frame, below
// its frame record (runtime/syscall.cpp: the collector scans them while the
// call blocks). Not __builtin_unwind_init: clang's also saves gp and tp
// between ra and s0, so [fp-16] is no longer the caller's fp and tracebacks
// stop there, and restores tp on the way out, so a goroutine that leaves a
// system call on another thread would take back the first thread's tp.
#define GORT_ARCH_SPILL_CALLEE_SAVED()                                                          \
  asm volatile("" ::                                                                            \
                   : "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "fs0", \
                     "fs1", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9", "fs10",     \
                     "fs11", "memory")

// The RISC-V psABI has no red zone.
inline constexpr uintptr_t kArchRedZone = 0;
// No instruction loads pc and sp without a scratch register: the trampoline
// returns through a trap the SIGILL handler completes.
inline constexpr bool kPreemptTrapReturn = true;

// Makes a signalled thread run target with sp, below the red zone and
// 16-aligned, at a head {interrupted pc, interrupted sp}; ra untouched.
inline void arch_preempt_push(uintptr_t* sp, uintptr_t* pc, uintptr_t target, uintptr_t redzone) {
  preempt_head_push<16, 0>(sp, pc, target, redzone);
}
// gort_async_preempt's s0 is the head's address: [s0-16] = interrupted s0,
// [s0-8] = interrupted pc; the interrupted ra is saved 528 bytes below.
inline void arch_preempt_frame(uintptr_t fp, uintptr_t* pc, uintptr_t* ifp, uintptr_t* lr) {
  *ifp = reinterpret_cast<const uintptr_t*>(fp)[-2];
  *pc = reinterpret_cast<const uintptr_t*>(fp)[-1];
  *lr = reinterpret_cast<const uintptr_t*>(fp - 528)[0];
}
// At the trap, sp is back at the head arch_preempt_push wrote.
inline void arch_preempt_resume(uintptr_t* sp, uintptr_t* pc) { preempt_head_resume<0>(sp, pc); }

inline uint64_t arch_cputicks() {
  uint64_t t;
  asm volatile("rdtime %0" : "=r"(t));  // rdcycle may trap on Linux >= 6.6
  return t;
}

// ---- Static TLS (ELF TLS ABI variant I, RISC-V: TCB size 0;
// runtime/port.h's TlsBlock): the TLS data starts at tp. gort's TlsBlock
// sits below tp.
inline constexpr int kTlsVariant = 1;
inline constexpr uintptr_t kTlsTcbSize = 0;
inline constexpr intptr_t kTlsBlockOffset = -32;  // TlsBlock at [tp-32, tp)

}  // namespace gort
