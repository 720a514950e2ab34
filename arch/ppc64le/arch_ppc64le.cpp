// arch/ppc64le/arch_ppc64le.cpp — CPU features from the OS's hwcap, fresh contexts.
#include "ctx_ppc64le.h"
#include "port.h"

namespace gort {

// Bits of AT_HWCAP and AT_HWCAP2 (Linux's asm/cputable.h).
namespace hwcap {
inline constexpr uint64_t kALTIVEC = 0x10000000, kVSX = 0x00000080;
inline constexpr uint64_t kARCH_2_07 = 0x80000000, kVEC_CRYPTO = 0x02000000,
                          kARCH_3_00 = 0x00800000;
}  // namespace hwcap

void arch_cpuinit(const AuxInfo& aux, CpuFeatures* f) {
  // ELFv2 little-endian code assumes POWER8 (VMX and VSX): the trampoline
  // saves them unconditionally. A CPU without them could not run gort's code.
  if ((aux.hwcap & (hwcap::kALTIVEC | hwcap::kVSX)) != (hwcap::kALTIVEC | hwcap::kVSX))
    fatal("ppc64le: the CPU lacks VMX or VSX (POWER8 is the ELFv2 baseline)");
  f->aes = aux.hwcap2 & hwcap::kVEC_CRYPTO;
  f->crc32 = aux.hwcap2 & hwcap::kARCH_2_07;   // vpmsum, Go's crc32 on POWER8
  f->atomics = false;                          // larx/stcx. loops, no single-instruction RMW
  f->vector = aux.hwcap2 & hwcap::kARCH_3_00;  // POWER9's vector additions
  f->fma = true;                               // fmadd is part of the base FP unit
}

static_assert(CTX_SIZE % 16 == 0 && CTX_V20 % 16 == 0 && CTX_V20 + 12 * 16 == CTX_SIZE);
static_assert(CTX_F14 == CTX_R14 + 18 * 8 && CTX_V20 == CTX_F14 + 18 * 8);
static_assert(CTX_R31 == CTX_R14 + 17 * 8 && CTX_R31 == 21 * 8 && CTX_LR == 2 * 8,
              "arch_ctx_frame in arch_port.h");
static_assert(PREEMPT_GPR + 32 * 8 == PREEMPT_CR && PREEMPT_VSCR % 16 == 0 &&
              PREEMPT_VSR % 16 == 0 && PREEMPT_VSR + 64 * 16 == PREEMPT_FRAME &&
              PREEMPT_FRAME % 16 == 0);
static_assert(PREEMPT_GPR + 31 * 8 == 280 && PREEMPT_LR == 296 && PREEMPT_FRAME == 1376,
              "arch_preempt_frame in arch_port.h");

uintptr_t arch_preempt_frame_size() { return PREEMPT_FRAME; }

void* arch_makectx(void* stack_hi, void (*fn)(void*), void* arg) {
  uintptr_t top = uintptr_t(stack_hi) & ~uintptr_t(15);
  // fn's caller header (back chain 0 ends tracebacks), then the saved frame.
  auto* hdr = reinterpret_cast<uint64_t*>(top - CTX_CALLER_HDR);
  for (int i = 0; i < CTX_CALLER_HDR / 8; i++) hdr[i] = 0;
  auto* frame = reinterpret_cast<uint64_t*>(top - CTX_CALLER_HDR - CTX_SIZE);
  for (int i = 0; i < CTX_SIZE / 8; i++) frame[i] = 0;
  uint64_t toc;
  asm("mr %0, 2" : "=r"(toc));
  frame[CTX_BACKCHAIN / 8] = uint64_t(hdr);
  frame[CTX_LR / 8] = uint64_t(&gort_ctxstart);
  frame[CTX_R2 / 8] = toc;
  frame[CTX_R14 / 8] = uint64_t(fn);
  frame[CTX_R14 / 8 + 1] = uint64_t(arg);
  return frame;
}

}  // namespace gort
