// arch/amd64/arch_port.h — inline part of the amd64 port (see runtime/port.h).
#pragma once
#include <stdint.h>

namespace gort {

inline constexpr char kArchName[] = "amd64";
inline constexpr uintptr_t kStackAlign = 16;

// The TLS block's first word points to itself, so %fs:0 yields its address
// without needing rdfsbase (which the kernel may not enable).
inline void* arch_gettp() {
  void* tp;
  asm volatile("movq %%fs:0, %0" : "=r"(tp));
  return tp;
}
// The fs base is a privileged register: the OS sets it (arch_prctl, sysarch).
inline bool arch_settp(void*) { return false; }
// The word at tp + Off, in one instruction: a preemption cannot fall
// between finding the thread pointer and reading through it.
template <intptr_t Off>
inline void* arch_tls_load() {
  void* v;
  asm volatile("movq %%fs:%c1, %0" : "=r"(v) : "i"(Off));
  return v;
}

inline void arch_procyield(uint32_t n) {
  while (n--) asm volatile("pause" ::: "memory");
}

// Frame-pointer chain (everything is built with -fno-omit-frame-pointer):
// [fp] = caller's fp, [fp+8] = return address.
inline uintptr_t arch_frame_next(uintptr_t fp, uintptr_t* pc) {
  *pc = reinterpret_cast<const uintptr_t*>(fp)[1];
  return reinterpret_cast<const uintptr_t*>(fp)[0];
}
// An interrupted leaf may have built no frame (gcc omits leaf frame
// pointers on x86): rbp is still its caller's, and its return address is the
// word at sp, which callers pass as lr (0 where sp is unknown). Like arm64's,
// a heuristic: a non-leaf whose word at sp is another function's code
// address shows one extra frame.
inline bool arch_leaf_candidate(uintptr_t fp, uintptr_t lr, uintptr_t, uintptr_t,
                                uintptr_t* next_fp) {
  if (!lr || reinterpret_cast<const uintptr_t*>(fp)[1] == lr) return false;
  *next_fp = fp;
  return true;
}
// The frame pointer and pc a context saved by gort_swapctx resumes with.
inline void arch_ctx_frame(const void* sp, uintptr_t* fp, uintptr_t* pc) {
  *fp = static_cast<const uintptr_t*>(sp)[6];  // CTX_RBP
  *pc = static_cast<const uintptr_t*>(sp)[7];  // CTX_PC
}

// The SysV ABI's red zone; gort_async_preempt's `ret $128` skips it back.
inline constexpr uintptr_t kArchRedZone = 128;
// `ret $imm` restores rsp and rip with no scratch register: no trap needed.
inline constexpr bool kPreemptTrapReturn = false;

// Makes a signalled thread run target below its red zone: rsp moves down
// redzone+8 bytes and the pc goes to [rsp], as a call would push it.
inline void arch_preempt_push(uintptr_t* sp, uintptr_t* pc, uintptr_t target, uintptr_t redzone) {
  *sp -= redzone + 8;
  *reinterpret_cast<uintptr_t*>(*sp) = *pc;
  *pc = target;
}
// gort_async_preempt's frame is a frame record: [rbp] = interrupted rbp,
// [rbp+8] = interrupted pc (ctx_amd64.h, PREEMPT_RBP and PREEMPT_PC); the
// interrupted sp is above the pc and the red zone. lr: the word at that sp
// (a frameless leaf's return address).
inline void arch_preempt_frame(uintptr_t fp, uintptr_t* pc, uintptr_t* ifp, uintptr_t* lr) {
  *ifp = reinterpret_cast<const uintptr_t*>(fp)[0];
  *pc = reinterpret_cast<const uintptr_t*>(fp)[1];
  *lr = *reinterpret_cast<const uintptr_t*>(fp + 16 + kArchRedZone);
}
inline void arch_preempt_resume(uintptr_t*, uintptr_t*) {}

inline uint64_t arch_cputicks() {
  uint32_t lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (uint64_t(hi) << 32) | lo;
}

// ---- Static TLS (ELF TLS ABI variant II; runtime/port.h's TlsBlock): the
// program's TLS data ends at the thread pointer; tp addresses the TCB, whose
// first word is tp itself. gort's TlsBlock is that TCB.
inline constexpr int kTlsVariant = 2;
inline constexpr uintptr_t kTlsTcbSize = 0;     // variant II: no TCB before the data
inline constexpr intptr_t kTlsBlockOffset = 0;  // TlsBlock at tp

}  // namespace gort
