// arch/amd64/arch_amd64.cpp — CPU feature detection and fresh contexts.
#include "ctx_amd64.h"
#include "port.h"

namespace gort {

namespace {
struct Cpuid {
  uint32_t a, b, c, d;
};
Cpuid cpuid(uint32_t leaf, uint32_t sub) {
  Cpuid r;
  asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(sub));
  return r;
}
uint64_t xcr0(uint32_t ecx1) {
  if (!(ecx1 & (1u << 27))) return 0;  // no OSXSAVE: no XSAVE, no AVX
  uint32_t lo, hi;
  asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t(hi) << 32) | lo;
}
// AVX state is usable only if the OS saves it (XCR0 bits 1, 2).
bool os_saves_avx(uint32_t ecx1) { return (xcr0(ecx1) & 6) == 6; }

// AMX tile state (bits 17, 18) is armed per process on request (Linux's
// ARCH_REQ_XCOMP_PERM; gort never asks): XRSTOR of it would fault.
constexpr uint64_t kXsaveNotSaved = (uint64_t(1) << 17) | (uint64_t(1) << 18);

// The standard-format XSAVE area for mask: legacy region and header, then
// every component at the offset CPUID leaf 0xD gives it. When mask is all
// XCR0 enables, leaf 0xD's first sub-leaf says so in one cpuid (each is a
// trip to the hypervisor in a VM, a microsecond or two of every start).
uint64_t xsave_size(uint64_t mask, uint64_t enabled) {
  if (mask == enabled) return (uint64_t(cpuid(0xd, 0).b) + 63) & ~uint64_t(63);
  uint64_t size = 576;
  for (uint32_t i = 2; i < 63; i++) {
    if (!(mask & (uint64_t(1) << i))) continue;
    Cpuid c = cpuid(0xd, i);
    if (c.a + c.b > size) size = c.a + c.b;
  }
  return (size + 63) & ~uint64_t(63);
}
}  // namespace

// Read by gort_async_preempt: the XSAVE component mask (0: fxsave64 instead),
// the area's size, and an area whose header marks every component initial
// (with the default x87 control word and MXCSR for the fxsave path).
extern "C" {
uint64_t gort_xsave_mask = 0;
uint64_t gort_xsave_size = 0;
struct alignas(64) XsaveInit {
  uint16_t fcw = 0x037f;  // x87 control word: all exceptions masked, extended precision
  uint8_t pad[22] = {};
  uint32_t mxcsr = 0x1f80;  // all exceptions masked, round to nearest
  uint8_t rest[548] = {};   // XSTATE_BV = 0: every component initial
} gort_xinit_area;
}
static_assert(sizeof(XsaveInit) == 576);

namespace {
// What the trampoline saves is found at the first preemption, not at boot:
// each cpuid is a trip to the hypervisor in a VM, microseconds of every
// program's start, and most short programs are never preempted. Racing
// handlers find the same values.
uint32_t xsave_probed;
void probe_xsave() {
  Cpuid l1 = cpuid(1, 0);
  if (cpuid(0, 0).a >= 0xd && xcr0(l1.c) && (l1.c & (1u << 26))) {  // XSAVE, enabled by the OS
    uint64_t enabled = xcr0(l1.c);
    gort_xsave_size = xsave_size(enabled & ~kXsaveNotSaved, enabled);
    gort_xsave_mask = enabled & ~kXsaveNotSaved;
  }
  __atomic_store_n(&xsave_probed, 1u, __ATOMIC_RELEASE);
}
}  // namespace

uintptr_t arch_preempt_frame_size() {
  if (!__atomic_load_n(&xsave_probed, __ATOMIC_ACQUIRE)) probe_xsave();
  uint64_t area = gort_xsave_mask ? gort_xsave_size : PREEMPT_FXSAVE;
  return 8 + 8 * PREEMPT_GPRS + 64 + area;  // pc, registers, alignment, area
}

// amd64 ignores the OS hwcap words: cpuid is authoritative in user mode.
void arch_cpuinit(const AuxInfo&, CpuFeatures* f) {
  uint32_t maxleaf = cpuid(0, 0).a;
  Cpuid l1 = cpuid(1, 0);
  bool sse42 = l1.c & (1u << 20);
  f->aes = l1.c & (1u << 25);
  f->crc32 = sse42;
  f->fma = (l1.c & (1u << 12)) && os_saves_avx(l1.c);
  f->atomics = true;
  if (maxleaf >= 7) f->vector = (cpuid(7, 0).b & (1u << 5)) && os_saves_avx(l1.c);  // AVX2
}

static_assert(CTX_SIZE % 16 == 0);
static_assert(kRedZone == PREEMPT_SKIP, "ret $PREEMPT_SKIP in gort_async_preempt");
static_assert(PREEMPT_RBP == 0 && PREEMPT_PC == 8, "arch_preempt_frame in arch_port.h");
static_assert(CTX_RBP == 6 * 8 && CTX_PC == 7 * 8, "arch_ctx_frame in arch_port.h");

void* arch_makectx(void* stack_hi, void (*fn)(void*), void* arg) {
  // ret pops CTX_PC into gort_ctxstart with sp = frame + CTX_SIZE, which must
  // be 16-aligned there so its `call` leaves the ABI's alignment for fn.
  uintptr_t top = (uintptr_t(stack_hi) & ~uintptr_t(15)) - 16;
  auto* frame = reinterpret_cast<uint8_t*>(top - CTX_SIZE);
  auto put = [&](int off, uint64_t v) { *reinterpret_cast<uint64_t*>(frame + off) = v; };
  put(CTX_FPCSR, 0x1f80u | (uint64_t(0x037f) << 32));  // default MXCSR and x87 CW
  put(CTX_R15, 0);
  put(CTX_R14, 0);
  put(CTX_R13, uint64_t(fn));
  put(CTX_R12, uint64_t(arg));
  put(CTX_RBX, 0);
  put(CTX_RBP, 0);
  put(CTX_PC, uint64_t(&gort_ctxstart));
  return frame;
}

}  // namespace gort
