// arch/ppc64le/arch_port.h — inline part of the ppc64le port (see runtime/port.h).
// Little-endian POWER8+, ELFv2 ABI.
#pragma once
#include <stdint.h>

namespace gort {

inline constexpr char kArchName[] = "ppc64le";
inline constexpr uintptr_t kStackAlign = 16;

// r13 is the thread pointer; the ABI reserves it from the compiler.
inline void* arch_gettp() {
  void* t;
  asm volatile("mr %0, 13" : "=r"(t));
  return t;
}
inline bool arch_settp(void* t) {
  asm volatile("mr 13, %0" ::"r"(t) : "memory");
  return true;
}
// The word at r13 + Off in one D-form load through r13 itself (which
// preemption never carries from one thread to another).
template <intptr_t Off>
inline void* arch_tls_load() {
  static_assert(Off >= -32768 && Off < 32768, "a D-form displacement");
  void* v;
  asm volatile("ld %0, %1(13)" : "=r"(v) : "i"(Off));
  return v;
}

// "or 27,27,27": the ISA's yield hint (lower this thread's priority a moment).
inline void arch_procyield(uint32_t n) {
  while (n--) asm volatile("or 27,27,27" ::: "memory");
}

// With -fno-omit-frame-pointer gcc keeps r31 = the frame's bottom (its sp
// after the prologue's stdu), whose first word is the back chain (the
// caller's frame); a function's return address is saved at 16 in its
// caller's frame (the ELFv2 LR save doubleword). The return address is read
// through the back chain, so a chain that does not climb (0 at the outermost
// frame) is not followed.
inline uintptr_t arch_frame_next(uintptr_t fp, uintptr_t* pc) {
  uintptr_t next = reinterpret_cast<const uintptr_t*>(fp)[0];
  *pc = next > fp ? reinterpret_cast<const uintptr_t*>(next)[2] : 0;
  return next;
}
// gcc gives a leaf a frame (r31 = its sp) but never saves lr for it, so the
// interrupted code may be a leaf whose caller is at lr and whose caller's
// frame is the back chain. (A non-leaf after its first call has lr inside
// itself, which the core tells apart by name.)
inline bool arch_leaf_candidate(uintptr_t fp, uintptr_t lr, uintptr_t, uintptr_t hi,
                                uintptr_t* next_fp) {
  uintptr_t next = reinterpret_cast<const uintptr_t*>(fp)[0];
  if (!lr || next <= fp || next >= hi) return false;
  *next_fp = next;
  return true;
}
// The frame pointer and pc a context saved by gort_swapctx resumes with.
inline void arch_ctx_frame(const void* sp, uintptr_t* fp, uintptr_t* pc) {
  *fp = static_cast<const uintptr_t*>(sp)[21];  // CTX_R31
  *pc = static_cast<const uintptr_t*>(sp)[2];   // CTX_LR
}

// ELFv2: 288 bytes below r1 are the function's own (gcc's epilogues reload
// r31 from there after popping the frame).
inline constexpr uintptr_t kArchRedZone = 288;
// Every POWER branch to a computed address goes through lr or ctr, both of
// which compiled code keeps live (ctr: counted loops; lr: leaves): the
// trampoline returns through a trap the SIGILL handler completes.
inline constexpr bool kPreemptTrapReturn = true;

// Makes a signalled thread run target with r1, below the red zone and
// 16-aligned, at a head {interrupted sp, interrupted pc}; lr and ctr untouched.
inline void arch_preempt_push(uintptr_t* sp, uintptr_t* pc, uintptr_t target, uintptr_t redzone) {
  preempt_head_push<16, 1>(sp, pc, target, redzone);
}
// gort_async_preempt's frame at fp (its r1, ctx_ppc64le.h): the interrupted
// r31 and lr in its save area, the interrupted pc in the head above it.
inline void arch_preempt_frame(uintptr_t fp, uintptr_t* pc, uintptr_t* ifp, uintptr_t* lr) {
  const auto* f = reinterpret_cast<const uintptr_t*>(fp);
  *ifp = f[(32 + 31 * 8) / 8];  // PREEMPT_GPR + r31
  *lr = f[296 / 8];             // PREEMPT_LR
  *pc = f[1376 / 8 + 1];        // the head's pc, at PREEMPT_FRAME
}
// At the trap, r1 is back at the head arch_preempt_push wrote.
inline void arch_preempt_resume(uintptr_t* sp, uintptr_t* pc) { preempt_head_resume<1>(sp, pc); }

// The time base (mftb), readable in user mode; 512 MHz on POWER8 and later.
inline uint64_t arch_cputicks() {
  uint64_t t;
  asm volatile("mfspr %0, 268" : "=r"(t));
  return t;
}

// ---- Static TLS (ELF TLS ABI variant I, PowerPC; runtime/port.h's
// TlsBlock): the TLS data starts at r13 - 0x7000 (the ABI biases the thread
// pointer so 16-bit signed offsets reach 64 KiB of it), with no TCB before
// it that static code reads. gort's TlsBlock sits just below the data, where
// a C library keeps its TCB.
inline constexpr int kTlsVariant = 1;
inline constexpr uintptr_t kTlsTcbSize = 0;
#define GORT_ARCH_TLS_TP_OFFSET 1
inline constexpr intptr_t kTlsTpOffset = 0x7000;
inline constexpr intptr_t kTlsBlockOffset = -0x7000 - 32;  // TlsBlock at [tp-0x7020, tp-0x7000)

}  // namespace gort
