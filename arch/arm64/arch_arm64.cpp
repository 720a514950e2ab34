// arch/arm64/arch_arm64.cpp — CPU features from the OS's hwcap, fresh contexts.
#include "ctx_arm64.h"
#include "port.h"

namespace gort {

// Bits of AT_HWCAP as Linux and FreeBSD define them for arm64 (the same values).
namespace hwcap {
inline constexpr uint64_t kFP = 1u << 0, kASIMD = 1u << 1, kAES = 1u << 3, kCRC32 = 1u << 7,
                          kATOMICS = 1u << 8, kSVE = 1u << 22;
}

// Read by gort_async_preempt: the SVE vector length in bytes, 0 without SVE
// (then the q registers are the whole vector state).
extern "C" {
uint64_t gort_arm64_sve = 0;
}

uintptr_t arch_preempt_frame_size() { return PREEMPT_FRAME + PREEMPT_SVE_VLS * gort_arm64_sve; }

void arch_cpuinit(const AuxInfo& aux, CpuFeatures* f) {
  uint64_t h = aux.hwcap;
  if (h & hwcap::kSVE) {
    uint64_t vl;
    asm volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
    gort_arm64_sve = vl;
  }
  f->aes = h & hwcap::kAES;
  f->crc32 = h & hwcap::kCRC32;
  f->atomics = h & hwcap::kATOMICS;
  f->vector = h & hwcap::kSVE;
  f->fma = h & hwcap::kFP;  // FMADD is part of the base FP unit
}

static_assert(CTX_SIZE % 16 == 0 && CTX_D8 + 64 == CTX_SIZE);
static_assert(PREEMPT_RECORD - PREEMPT_X0 - 30 * 8 == 560, "arch_preempt_frame in arch_port.h");
static_assert(PREEMPT_FRAME == PREEMPT_RECORD + 16 && PREEMPT_FRAME % 16 == 0);
static_assert(CTX_X29 == 10 * 8 && CTX_X30 == 11 * 8, "arch_ctx_frame in arch_port.h");

void* arch_makectx(void* stack_hi, void (*fn)(void*), void* arg) {
  uintptr_t top = uintptr_t(stack_hi) & ~uintptr_t(15);
  auto* frame = reinterpret_cast<uint64_t*>(top - CTX_SIZE);
  for (int i = 0; i < CTX_SIZE / 8; i++) frame[i] = 0;
  frame[CTX_X19 / 8] = uint64_t(fn);
  frame[CTX_X20 / 8] = uint64_t(arg);
  frame[CTX_X30 / 8] = uint64_t(&gort_ctxstart);
  return frame;
}

}  // namespace gort
