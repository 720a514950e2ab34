// arch/s390x/arch_s390x.cpp — CPU features from the OS's hwcap, fresh contexts.
#include "ctx_s390x.h"
#include "port.h"

namespace gort {

// Bits of AT_HWCAP on Linux s390x (arch/s390/include/asm/elf.h).
namespace hwcap {
inline constexpr uint64_t kMSA = 1u << 3, kVXRS = 1u << 11;
}

// Read by gort_async_preempt: nonzero when the kernel has the vector
// facility on (v0..v31 then hold f0..f15 in their left halves).
extern "C" {
uint64_t gort_s390x_vx = 0;
}

void arch_cpuinit(const AuxInfo& aux, CpuFeatures* f) {
  gort_s390x_vx = (aux.hwcap & hwcap::kVXRS) != 0;
  f->atomics = true;  // compare-and-swap and interlocked-access are z/Architecture base
  f->fma = true;      // MADBR is part of binary floating point
  f->vector = gort_s390x_vx;
}

static_assert(CTX_R14 == 8 * 8 && CTX_R15 == 9 * 8, "arch_ctx_frame in arch_port.h");
static_assert(CTX_SIZE % 8 == 0 && CTX_FPC + 8 == CTX_SIZE && CTX_F8 + 64 == CTX_FPC);
static_assert(SAVE_R14 == 14 * 8, "arch_frame_next in arch_port.h");
static_assert(PREEMPT_FRAME - (PREEMPT_GPRS + 14 * 8) == 608, "arch_preempt_frame in arch_port.h");
static_assert(PREEMPT_V0 + 32 * 16 == PREEMPT_FRAME && PREEMPT_GPRS >= SAVE_AREA);

uintptr_t arch_preempt_frame_size() { return PREEMPT_FRAME; }

void* arch_makectx(void* stack_hi, void (*fn)(void*), void* arg) {
  uintptr_t top = uintptr_t(stack_hi) & ~uintptr_t(15);
  // fn's callee save area at the top, its back chain 0: the frame chain ends.
  auto* area = reinterpret_cast<uint64_t*>(top - SAVE_AREA);
  for (int i = 0; i < SAVE_AREA / 8; i++) area[i] = 0;
  auto* frame = reinterpret_cast<uint64_t*>(top - SAVE_AREA - CTX_SIZE);
  for (int i = 0; i < CTX_SIZE / 8; i++) frame[i] = 0;
  frame[CTX_R6 / 8] = uint64_t(fn);
  frame[CTX_R6 / 8 + 1] = uint64_t(arg);
  frame[CTX_R14 / 8] = uint64_t(&gort_ctxstart);
  frame[CTX_R15 / 8] = uint64_t(area);
  return frame;
}

}  // namespace gort
