// arch/arm64/arch_port.h — inline part of the arm64 port (see runtime/port.h).
#pragma once
#include <stdint.h>

namespace gort {

inline constexpr char kArchName[] = "arm64";
inline constexpr uintptr_t kStackAlign = 16;

inline void* arch_gettp() {
  void* tp;
  asm volatile("mrs %0, tpidr_el0" : "=r"(tp));
  return tp;
}
// tpidr_el0 is writable at EL0.
inline bool arch_settp(void* tp) {
  asm volatile("msr tpidr_el0, %0" ::"r"(tp));
  return true;
}
// The word at tp + Off. No single instruction loads
// through tpidr_el0, and a goroutine preempted between the mrs and the load
// would resume on another thread with the old pointer: read tpidr_el0 again
// after the load and start over if it changed.
template <intptr_t Off>
inline void* arch_tls_load() {
  void *tp, *v, *again;
  asm volatile(
      "1: mrs %0, tpidr_el0\n"
      "   ldur %1, [%0, %3]\n"
      "   mrs %2, tpidr_el0\n"
      "   cmp %0, %2\n"
      "   b.ne 1b"
      : "=&r"(tp), "=&r"(v), "=&r"(again)
      : "i"(Off)
      : "cc", "memory");
  return v;
}

inline void arch_procyield(uint32_t n) {
  while (n--) asm volatile("yield" ::: "memory");
}

// Frame records (AAPCS64): [fp] = caller's fp, [fp+8] = lr.
inline uintptr_t arch_frame_next(uintptr_t fp, uintptr_t* pc) {
  *pc = reinterpret_cast<const uintptr_t*>(fp)[1];
  return reinterpret_cast<const uintptr_t*>(fp)[0];
}
// An interrupted leaf keeps its return address in lr and builds no frame
// record: x29 is still its caller's, whose saved lr differs. next_fp: where
// the walk goes on after the caller's frame at lr.
inline bool arch_leaf_candidate(uintptr_t fp, uintptr_t lr, uintptr_t, uintptr_t,
                                uintptr_t* next_fp) {
  if (!lr || reinterpret_cast<const uintptr_t*>(fp)[1] == lr) return false;
  *next_fp = fp;
  return true;
}
// The frame pointer and pc a context saved by gort_swapctx resumes with.
inline void arch_ctx_frame(const void* sp, uintptr_t* fp, uintptr_t* pc) {
  *fp = static_cast<const uintptr_t*>(sp)[10];  // CTX_X29
  *pc = static_cast<const uintptr_t*>(sp)[11];  // CTX_X30
}

// AAPCS64 on Linux and FreeBSD has no red zone (Darwin's 128 bytes come
// from os_port.h).
inline constexpr uintptr_t kArchRedZone = 0;
// No instruction loads pc and sp without a scratch register: the trampoline
// returns through a trap the SIGILL handler completes.
inline constexpr bool kPreemptTrapReturn = true;

// Makes a signalled thread run target with sp, below the red zone and
// 16-aligned, at a head {interrupted pc, interrupted sp}; lr untouched.
inline void arch_preempt_push(uintptr_t* sp, uintptr_t* pc, uintptr_t target, uintptr_t redzone) {
  preempt_head_push<16, 0>(sp, pc, target, redzone);
}
// gort_async_preempt's x29 addresses its frame record {interrupted x29, pc};
// the interrupted x30 is 560 bytes below (ctx_arm64.h).
inline void arch_preempt_frame(uintptr_t fp, uintptr_t* pc, uintptr_t* ifp, uintptr_t* lr) {
  *ifp = reinterpret_cast<const uintptr_t*>(fp)[0];
  *pc = reinterpret_cast<const uintptr_t*>(fp)[1];
  *lr = reinterpret_cast<const uintptr_t*>(fp - 560)[0];
}
// At the trap, sp is back at the head arch_preempt_push wrote.
inline void arch_preempt_resume(uintptr_t* sp, uintptr_t* pc) { preempt_head_resume<0>(sp, pc); }

// The generic timer's virtual count: readable at EL0 on Linux, FreeBSD, Darwin.
inline uint64_t arch_cputicks() {
  uint64_t t;
  asm volatile("isb; mrs %0, cntvct_el0" : "=r"(t));
  return t;
}

// ---- Static TLS (ELF TLS ABI variant I, AArch64; runtime/port.h's
// TlsBlock): tp addresses a 16-byte TCB (unused by static code) and the TLS
// data starts at tp + round_up(16, p_align). gort's TlsBlock sits below tp.
inline constexpr int kTlsVariant = 1;
inline constexpr uintptr_t kTlsTcbSize = 16;
inline constexpr intptr_t kTlsBlockOffset = -32;  // TlsBlock at [tp-32, tp)

}  // namespace gort
