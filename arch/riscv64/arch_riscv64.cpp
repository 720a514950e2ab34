// arch/riscv64/arch_riscv64.cpp — CPU features from the OS's hwcap, fresh contexts.
#include "ctx_riscv64.h"
#include "port.h"

namespace gort {

// AT_HWCAP on riscv64 has one bit per single-letter ISA extension ('A' = bit 0).
static constexpr uint64_t ext(char c) { return uint64_t(1) << (c - 'A'); }

void arch_cpuinit(const AuxInfo& aux, CpuFeatures* f) {
  uint64_t h = aux.hwcap;
  f->atomics = h & ext('A');
  f->fma = h & ext('F');
  f->vector = h & ext('V');
}

static_assert(CTX_SIZE % 16 == 0 && CTX_FS0 + 96 <= CTX_SIZE);
static_assert(PREEMPT_FRAME - PREEMPT_X1 == 528 && PREEMPT_RECORD + 16 == PREEMPT_FRAME,
              "arch_preempt_frame in arch_port.h");

uintptr_t arch_preempt_frame_size() { return PREEMPT_FRAME; }
static_assert(CTX_RA == 0 && CTX_S0 == 8, "arch_ctx_frame in arch_port.h");

void* arch_makectx(void* stack_hi, void (*fn)(void*), void* arg) {
  uintptr_t top = uintptr_t(stack_hi) & ~uintptr_t(15);
  auto* frame = reinterpret_cast<uint64_t*>(top - CTX_SIZE);
  for (int i = 0; i < CTX_SIZE / 8; i++) frame[i] = 0;
  frame[CTX_RA / 8] = uint64_t(&gort_ctxstart);
  frame[CTX_S0 / 8 + 1] = uint64_t(fn);
  frame[CTX_S0 / 8 + 2] = uint64_t(arg);
  return frame;
}

}  // namespace gort
