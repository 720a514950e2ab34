// tests/rt/preempt_regs.cpp — every register survives async preemption.
// preempt_regs (tests/port/regs_<arch>.S) loads every integer, FP/vector and
// control register with a pattern, spins (no calls) until the runtime's
// preemption counter has gone up kPerCall times, and stores them all back;
// several goroutines do so at once with different patterns, so a register
// the trampoline loses shows another goroutine's value (or the scheduler's).
// The flags (amd64 rflags' status bits and DF, arm64 nzcv and fpsr) stay
// live across the spin too, which sets none, and the OS's red zone below sp
// (128 bytes on amd64 and Darwin arm64, none elsewhere) holds a canary that
// no preemption may touch (arch_preempt_push must start below it). Every worker's calls need kCalls
// * kPerCall preemptions in a row. Also checked: the thread pointer afterwards is the current
// thread's (getg() still finds this goroutine), even after moving to another M.
#include "preempt.h"
#include "runtime2.h"
#include "tap.h"

extern "C" void preempt_regs(const uint64_t* in, uint64_t* out, uint32_t flags, uintptr_t redzone);

namespace {
constexpr int kWorkers = 3, kCalls = 8;
constexpr uint64_t kPerCall = 4;

// Buffer layout (words), shared with the asm: general registers at 0..31
// (by number on arm64 and riscv64; amd64: rax rbx rcx rdx rsi rdi rbp r8..r15,
// then rflags at 31), vector register i at 32+8i, AVX-512 k0..k7 at 288,
// x87 stack at 296, MXCSR and the x87 control word at 304 and 305 (amd64);
// fpcr at 31 (arm64), fcsr at 0 (riscv64); s390x: fpc, the program mask and
// a2..a15 in the low halves of 16, 17 and 18..31, fn in vn's left half, and
// at 286 whether the ABI's save area at the loop's sp changed (0: no);
// ppc64le: rn at word n, vsn at 32+2n (64 registers of 2 words), cr lr ctr
// xer vrsave fpscr vscr at 288..294, and at 295 the count of red-zone words
// that changed (want 0); the
// red zone's canary at
// 306..321 (word 306 nearest sp on arm64, farthest on amd64), nzcv and fpsr
// at 322 and 323 (arm64).
constexpr int kWords = 324, kVec = 32, kK = 288, kRZ = 306;
[[maybe_unused]] constexpr int kNZCV = 322;
// The red zone the ABI gives (SysV amd64 and Darwin arm64: 128 bytes; AAPCS64
// elsewhere and RISC-V: none), as the ABI documents say, not as the port
// says: a port that forgets it must fail here.
#if defined(__x86_64__) || (defined(__aarch64__) && defined(__APPLE__))
constexpr uintptr_t kAbiRedZone = 128;
#elif defined(__powerpc64__)
constexpr uintptr_t kAbiRedZone = 288;  // ELFv2; the asm checks it itself (word 295)
#else
constexpr uintptr_t kAbiRedZone = 0;
#endif
#if defined(__x86_64__) || defined(__aarch64__)
constexpr int kRZWords = int(kAbiRedZone / 8);  // the canary words 306.. the asm fills
#else
constexpr int kRZWords = 0;
#endif
[[maybe_unused]] constexpr int kX87 = 296;

#if defined(__x86_64__)
constexpr int kCounterReg = 4, kTargetReg = 3, kScratchReg = 2;
constexpr uint64_t kFlagBits = 0x8d5;  // rflags' CF PF AF ZF SF OF
bool cpu_flag(uint32_t leaf, int reg, int bit) {
  uint32_t r[4];
  asm volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
  return r[reg] & (1u << bit);
}
uint32_t vec_flags() {
  if (!cpu_flag(1, 2, 27)) return 0;  // OSXSAVE
  uint32_t lo, hi;
  asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if (cpu_flag(7, 1, 16) && (lo & 0xe6) == 0xe6) return 2;  // AVX-512F
  return cpu_flag(1, 2, 28) && (lo & 6) == 6 ? 1 : 0;       // AVX
}
#elif defined(__aarch64__)
constexpr int kCounterReg = 16, kTargetReg = 15, kScratchReg = 17;
// SVE with the 64-byte vector length the buffer's layout assumes (QEMU's
// default); other lengths test the q registers only.
uint32_t vec_flags() {
  if (!(gort::boot.aux.hwcap & (1u << 22))) return 0;
  uint64_t vl;
  asm volatile(".arch_extension sve\n\trdvl %0, #1" : "=r"(vl));
  return vl == 64 ? 4 : 0;
}
#elif defined(__s390x__)
constexpr int kCounterReg = 12, kTargetReg = 13, kScratchReg = 0, kSaveArea = 286;
// The vector facility, as the kernel reports it (HWCAP_S390_VXRS).
uint32_t vec_flags() { return gort::boot.aux.hwcap & (1u << 11) ? 1 : 0; }
#elif defined(__powerpc64__)
constexpr int kCounterReg = 30, kTargetReg = 29, kScratchReg = 12;
constexpr int kPpcCr = 288, kPpcXer = 291, kPpcFpscr = 293, kPpcVscr = 294, kPpcRedZone = 295;
uint32_t vec_flags() { return 0; }
#else
constexpr int kCounterReg = 30, kTargetReg = 29, kScratchReg = 5;
uint32_t vec_flags() { return 0; }
#endif

// Words the asm loads and stores (others are left as they were).
bool checked(int w, uint32_t flags) {
  if (w == kScratchReg) return false;  // checked on its own
  if (w >= kRZ && w < kRZ + 16) return w < kRZ + kRZWords;
#if defined(__x86_64__)
  if (w < 15 || w == 31 || (w >= kX87 && w < kRZ)) return true;
  if (w >= kVec && w < kK) {
    int reg = (w - kVec) / 8, part = (w - kVec) % 8;
    return flags & 2 ? true : reg < 16 && part < (flags & 1 ? 4 : 2);
  }
  return w >= kK && w < kX87 && (flags & 2);
#elif defined(__aarch64__)
  if (w < 32) return w != kScratchReg;
  if (w < kK) return flags & 4 ? true : (w - kVec) % 8 < 2;
  if (w >= kNZCV) return true;
  return flags & 4 && w < kK + 16;               // p0..p15
#elif defined(__s390x__)
  if (w < 32) return w != 15 && w != kScratchReg;  // sp
  if (w == kSaveArea) return true;
  if (w >= kK) return false;
  return flags & 1 ? (w - kVec) % 8 < 2 : (w - kVec) % 8 == 0 && w < kVec + 8 * 16;
#elif defined(__powerpc64__)
  (void)flags;
  if (w < 32) return w != 1 && w != 13 && w != kScratchReg;  // sp, tp
  return w < kVec + 128 || (w >= kPpcCr && w <= kPpcRedZone);
#else
  (void)flags;
  if (w >= kRZ) return false;
  if (w < 32) return w != 2 && w != 3 && w != 4 && w != kScratchReg;  // sp, gp, tp
  return w < kK && (w - kVec) % 8 == 0;
#endif
}

void fill(uint64_t* in, uint64_t seed, uint64_t target) {
  uint64_t x = seed;
  for (int w = 0; w < kWords; w++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift
    in[w] = x;
  }
  in[kCounterReg] = uint64_t(&gort_preempt_count);
  in[kTargetReg] = target;
#if defined(__x86_64__)
  for (int i = 0; i < 8; i++) in[kX87 + i] = int64_t(in[kX87 + i]) >> 2;  // exact in 64 bits
  for (int i = 0; i < 8; i++) in[kK + i] &= 0xffff;
  in[304] = 0x1f80 | (seed & 3) << 13;                    // MXCSR: a rounding mode
  in[305] = (0x037f & ~0xc00) | ((seed >> 2) & 3) << 10;  // x87 control word
  in[31] = 0x2 | 0x400 | (seed & kFlagBits);              // reserved 1, DF, status bits
  in[kTargetReg] = -target;                               // the spin adds it
#elif defined(__aarch64__)
  in[31] = (seed & 3) << 22 | (seed & 4) << 23;  // fpcr: RMode, DN
  in[kNZCV] = (seed >> 8 & 15) << 28;            // N Z C V
  in[kNZCV + 1] = seed >> 16 & 0x0800009f;       // fpsr: QC IDC IXC UFC OFC DZC IOC
#elif defined(__s390x__)
  in[16] = (seed >> 8 & 0xf8) << 16 | (seed & 3);  // fpc: IEEE flags, rounding mode
  in[17] = (seed >> 2 & 7) << 24;  // program mask: decimal overflow, HFP underflow/significance
  for (int w = 18; w < 32; w++) in[w] &= 0xffffffffu;  // a2..a15
  in[kSaveArea] = 0;
#elif defined(__powerpc64__)
  in[kPpcCr] &= 0xffffffff;
  in[kPpcXer] &= 0xe000007f;                               // SO OV CA, the string count
  in[kPpcCr + 4] &= 0xffffffff;                            // vrsave
  in[kPpcFpscr] = seed & 7;                                // RN, NI (no exception enabled)
  in[kPpcVscr] = (seed >> 3 & 1) << 16 | (seed >> 4 & 1);  // NJ, SAT
  in[kPpcRedZone] = 0;
#else
  in[0] = (seed % 5) << 5 | (seed >> 3 & 31);  // fcsr: frm, fflags
#endif
}

int bad_calls, bad_tp, moved;
uint64_t first_bad[2];

void worker(int id, gort::WaitGroup* wg) {
  static uint64_t in[kWorkers][kWords], out[kWorkers][kWords];
  uint32_t flags = vec_flags();
  for (int c = 0; c < kCalls; c++) {
    gort::G* me = gort::getg();
    gort::M* m = me->m;
    uint64_t target = __atomic_load_n(&gort_preempt_count, __ATOMIC_RELAXED) + kPerCall;
    fill(in[id], 0x9e3779b97f4a7c15ull * (id * 100 + c + 1), target);
    for (int w = 0; w < kWords; w++) out[id][w] = ~in[id][w];
    preempt_regs(in[id], out[id], flags, kAbiRedZone);
    bool ok = true;
    for (int w = 0; w < kWords; w++) {
      if (!checked(w, flags)) continue;
#if defined(__x86_64__)
      if (w == 31) {  // rflags: the status bits and DF are ours
        if ((out[id][w] & (kFlagBits | 0x400)) != (in[id][w] & (kFlagBits | 0x400))) {
          if (ok && !first_bad[0]) first_bad[0] = w, first_bad[1] = out[id][w];
          ok = false;
        }
        continue;
      }
      if (w == 304 || w == 305) {  // stmxcsr and fnstcw store 4 and 2 bytes
        uint64_t mask = w == 304 ? 0xffffffffu : 0xffffu;
        if ((out[id][w] & mask) != in[id][w]) ok = false;
        continue;
      }
#elif defined(__s390x__)
      if (w >= 16 && w < 32) {                   // 4-byte registers; ipm adds the condition code
        uint64_t mask = w == 17 ? 0x0f000000u : 0xffffffffu;
        if ((out[id][w] & mask) != in[id][w]) ok = false;
        continue;
      }
#elif defined(__powerpc64__)
      if (w == kPpcCr) {  // cr7 holds the spin loop's compare
        if ((out[id][w] ^ in[id][w]) & ~uint64_t(0xf)) ok = false;
        continue;
      }
#endif
      if (out[id][w] != in[id][w]) {
        if (ok && !first_bad[0]) first_bad[0] = w, first_bad[1] = out[id][w];
        ok = false;
      }
    }
#if defined(__x86_64__)
    if (out[id][kScratchReg] != 0) ok = false;  // the spin's last rcx
#elif defined(__aarch64__)
    if (int64_t(out[id][kScratchReg]) < 0) ok = false;  // count - target
#else
    if (out[id][kScratchReg] < target) ok = false;  // the count last read
#endif
    if (!ok) __atomic_add_fetch(&bad_calls, 1, __ATOMIC_RELAXED);
    if (gort::getg() != me) __atomic_add_fetch(&bad_tp, 1, __ATOMIC_RELAXED);
    if (me->m != m) __atomic_add_fetch(&moved, 1, __ATOMIC_RELAXED);
  }
  wg->done();
}
}  // namespace

int main(int, char**) {
  tap::watchdog("preempt_regs", 6000);
  tap::plan(4);
  tap::ok(gort::kRedZone == kAbiRedZone, "the port's red zone (kRedZone) is the ABI's");
  uint64_t start = __atomic_load_n(&gort_preempt_count, __ATOMIC_RELAXED);
  gort::WaitGroup wg;
  wg.add(kWorkers);
  for (int i = 0; i < kWorkers; i++) gort::go([i, &wg] { worker(i, &wg); });
  wg.wait();
  uint64_t preemptions = __atomic_load_n(&gort_preempt_count, __ATOMIC_RELAXED) - start;
  tap::diag("preemptions: ", preemptions, ", red zone bytes ", gort::kRedZone, ", vector flags ",
            vec_flags(), ", calls that resumed on another M: ", moved);
  if (bad_calls) tap::diag("first bad word ", first_bad[0], ": ", gort::Hex{first_bad[1]});
  tap::ok(bad_calls == 0, "every register survived preemption in an asm loop");
  tap::ok(preemptions >= kCalls * kPerCall, "at least 32 async preemptions hit the spinning loops");
  tap::ok(bad_tp == 0, "the thread pointer is the current thread's afterwards");
  return tap::done();
}
