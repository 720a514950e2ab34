// tests/rt/preempt_fp.cpp — async preemption is invisible to the code it
// interrupts, whatever registers that code keeps live: x87 long double
// (amd64), 128-bit floating point through libgcc (__multf3, __divtf3,
// __addtf3: long double on arm64 and riscv64, __float128 on amd64), 128-bit
// integer division (__udivmodti4, __divmodti4), and vectors built for AVX2/FMA
// and AVX-512 where the CPU has them (tests/rt/preempt_fp_vec.cpp).
//
// Workers run chunks of every kind, each checked against exact integer
// arithmetic, and yield only every kBurst chunks, so that sysmon preempts
// them inside chunks and goroutines resumed by an ordinary switch run right
// after a preempted one (a dirty FPU left by the trampoline shows there).
// The run ends when kPreempts preemptions have happened (or after kMaxRounds
// bursts per worker, and then the first check fails): counts, never time.
#include "atomic.h"
#include "preempt.h"
#include "runtime2.h"
#include "tap.h"

#if defined(__x86_64__)
extern "C" void vec_avx2_chunk(uint64_t seed, uint32_t n, double* out);
extern "C" void vec_avx512_chunk(uint64_t seed, uint32_t n, double* out);
#endif

namespace {
constexpr int kWorkers = 4;
constexpr uint64_t kPreempts = 200;
constexpr int kBurst = 1024;
constexpr int kMaxRounds = 5000;
constexpr uint32_t kN = 512;  // iterations per chunk

// libgcc's soft float and 128-bit division exist only in gcc builds (the
// clang-built ports link no compiler runtime; they do not run here anyway).
#if defined(__GNUC__) && !defined(__clang__)
#define HAVE_LIBGCC 1
#if defined(__x86_64__)
using Quad = __float128;
#define HAVE_QUAD 1
#elif !defined(__powerpc64__)
using Quad = long double;  // IEEE binary128 on arm64 and riscv64 Linux
static_assert(sizeof(long double) == 16 && __LDBL_MANT_DIG__ == 113);
#define HAVE_QUAD 1
#endif
// ppc64le: libgcc's binary128 routines (__addkf3, ...) are IFUNCs, which
// need the IRELATIVE relocations a C library's startup applies and the
// hwcap words of its TCB; gort supplies neither (docs/ports/ppc64le.md).
// Its long double, IBM double-double, is libgcc code without IFUNCs.
#endif

// A 128-bit long double (arm64, riscv64) is soft float too.
#if HAVE_LIBGCC || __LDBL_MANT_DIG__ < 113
#define HAVE_LONG_DOUBLE 1
#endif

enum Kind { kLongDouble, kQuad, kInt128, kAvx2, kAvx512, kKinds };
const char* const kNames[kKinds] = {"long double", "128-bit float (libgcc)",
                                    "128-bit integer division (libgcc)", "AVX2/FMA vectors",
                                    "AVX-512 vectors"};
bool enabled[kKinds];
uint64_t wrong[kKinds], chunks[kKinds];
uint64_t start_count;

bool done_preempting() {
  return __atomic_load_n(&gort_preempt_count, __ATOMIC_RELAXED) >= start_count + kPreempts;
}

#if HAVE_LONG_DOUBLE
// Seven sums live across the loop (on amd64 they fill the x87 stack), each
// checked against the same sum in integers; every product is checked too.
__attribute__((noinline)) uint64_t long_double_chunk(uint64_t seed) {
  long double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0;
  uint64_t t = 0, bad = 0;
  for (uint32_t i = 1; i <= kN; i++) {
    uint64_t x = (seed + i) & 0x3fffffff;
    long double lx = x;
    s0 += lx;
    s1 += lx * 2;
    s2 += lx * 3;
    s3 += lx * 5;
    s4 += lx * 7;
    s5 += lx * 11;
    s6 += lx * 13;
    t += x;
    long double p = lx * (long double)(x + 7);
    bad += uint64_t(p) != x * (x + 7);
  }
  const long double s[] = {s0, s1, s2, s3, s4, s5, s6};
  const uint64_t k[] = {1, 2, 3, 5, 7, 11, 13};
  for (int j = 0; j < 7; j++) bad += uint64_t(s[j]) != t * k[j];
  return bad;
}
#endif

#if HAVE_QUAD
__attribute__((noinline)) uint64_t quad_chunk(uint64_t seed) {
  uint64_t bad = 0;
  for (uint32_t i = 1; i <= kN; i++) {
    uint64_t a = (seed * 0x9e3779b97f4a7c15ull + i) >> 14;  // 50 bits
    uint64_t b = (seed + i * 0x2545f4914f6cdd1dull) >> 14;
    Quad qa = a, qb = b | 1;
    Quad q = qa * qb;  // < 2^100: exact in 113 bits
    bad += (unsigned __int128)q != (unsigned __int128)a * (b | 1);
    bad += uint64_t(q / qb) != a;
    bad += (unsigned __int128)(q + qa) != (unsigned __int128)a * ((b | 1) + 1);
  }
  return bad;
}
#endif

#if HAVE_LIBGCC
__attribute__((noinline)) uint64_t int128_chunk(uint64_t seed) {
  uint64_t bad = 0;
  for (uint32_t i = 1; i <= kN; i++) {
    uint64_t x = seed * 0x9e3779b97f4a7c15ull + i, y = x * 0x2545f4914f6cdd1dull;
    unsigned __int128 n = (unsigned __int128)(x | 1) << 64 | y;
    unsigned __int128 d = (unsigned __int128)((y >> 40) | 1) << 64 | (x ^ y);  // > 2^64
    unsigned __int128 q = n / d, r = n % d;
    bad += q * d + r != n || r >= d;
    __int128 sn = -(__int128)(n >> 1), sd = (__int128)(d >> 3);
    __int128 sq = sn / sd, sr = sn % sd;
    bad += sq * sd + sr != sn || sr > 0;
  }
  return bad;
}
#endif

#if defined(__x86_64__)
uint64_t vec_chunk(uint64_t seed, int lanes, int accs) {
  seed &= 0xffffff;  // every sum exact in a double
  double out[24 * 8];
  if (lanes == 4)
    vec_avx2_chunk(seed, kN, out);
  else
    vec_avx512_chunk(seed, kN, out);
  uint64_t bad = 0;
  for (int l = 0; l < lanes; l++) {
    // sum over i in [1, kN] of (seed + l + i)
    uint64_t base = (seed + l) * kN + uint64_t(kN) * (kN + 1) / 2;
    for (int j = 0; j < accs; j++) bad += out[j * lanes + l] != double(base * (j + 1));
  }
  return bad;
}

struct Cpuid {
  uint32_t a, b, c, d;
};
Cpuid cpuid(uint32_t leaf, uint32_t sub) {
  Cpuid r;
  asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(sub));
  return r;
}
bool cpu_has_avx512f() {
  if (cpuid(0, 0).a < 7 || !(cpuid(1, 0).c & (1u << 27))) return false;
  uint32_t lo, hi;
  asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (cpuid(7, 0).b & (1u << 16)) && (lo & 0xe6) == 0xe6;  // opmask, zmm saved by the OS
}
#endif

uint64_t run_chunk(int kind, [[maybe_unused]] uint64_t seed) {
  switch (kind) {
#if HAVE_LONG_DOUBLE
    case kLongDouble: return long_double_chunk(seed);
#endif
#if HAVE_QUAD
    case kQuad: return quad_chunk(seed);
#endif
#if HAVE_LIBGCC
    case kInt128: return int128_chunk(seed);
#endif
#if defined(__x86_64__)
    case kAvx2: return vec_chunk(seed, 4, 12);
    case kAvx512: return vec_chunk(seed, 8, 24);
#endif
    default: return 0;
  }
}

void worker(int id) {
  uint64_t seed = uint64_t(id) << 40;
  uint64_t my_wrong[kKinds] = {}, my_chunks[kKinds] = {};
  for (int round = 0; round < kMaxRounds && !done_preempting(); round++) {
    for (int c = 0; c < kBurst; c++) {
      for (int k = 0; k < kKinds; k++) {
        if (!enabled[k]) continue;
        my_wrong[k] += run_chunk(k, seed++);
        my_chunks[k]++;
      }
    }
    gort::gosched();
  }
  for (int k = 0; k < kKinds; k++) {
    __atomic_add_fetch(&wrong[k], my_wrong[k], __ATOMIC_RELAXED);
    __atomic_add_fetch(&chunks[k], my_chunks[k], __ATOMIC_RELAXED);
  }
}
}  // namespace

int main(int, char**) {
  tap::plan(1 + kKinds);
#if HAVE_LONG_DOUBLE
  enabled[kLongDouble] = true;
#endif
#if HAVE_QUAD
  enabled[kQuad] = true;
#endif
#if HAVE_LIBGCC
  enabled[kInt128] = true;
#endif
#if defined(__x86_64__)
  enabled[kAvx2] = gort::boot.cpu.vector && gort::boot.cpu.fma;
  enabled[kAvx512] = cpu_has_avx512f();
#endif
  start_count = __atomic_load_n(&gort_preempt_count, __ATOMIC_RELAXED);
  gort::WaitGroup wg;
  wg.add(kWorkers);
  for (int i = 0; i < kWorkers; i++)
    gort::go([i, &wg] {
      worker(i + 1);
      wg.done();
    });
  wg.wait();
  uint64_t n = __atomic_load_n(&gort_preempt_count, __ATOMIC_RELAXED) - start_count;
  tap::diag("preemptions: ", n);
  tap::ok(n >= kPreempts, "the workers were preempted many times");
  for (int k = 0; k < kKinds; k++) {
    if (!enabled[k]) {
      tap::skip(kNames[k], "not on this CPU or compiler");
      continue;
    }
    tap::diag(kNames[k], ": ", wrong[k], " wrong in ", chunks[k], " chunks of ", kN);
    tap::ok(wrong[k] == 0, kNames[k]);
  }
  return tap::done();
}
