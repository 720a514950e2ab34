// tests/rt/preempt_fp_vec.cpp — the vector half of tests/rt/preempt_fp.cpp,
// built with -mavx2 -mfma on amd64 (what -march=native gives on most x86
// CPUs): many accumulators kept in ymm (and, in the AVX-512 function, zmm0-31)
// registers for a whole chunk. Called only when the CPU and the OS support them.
#include <stdint.h>

#if defined(__x86_64__)
typedef double v4d __attribute__((vector_size(32)));
typedef double v8d __attribute__((vector_size(64)));

// acc_j = sum over i in [1, n] of (seed + i + lane) * (j + 1), per lane;
// out gets the 4 lanes of each of the 12 accumulators.
extern "C" __attribute__((noinline)) void vec_avx2_chunk(uint64_t seed, uint32_t n, double* out) {
#define ACC(j) v4d a##j = {};
#define STEP(j) a##j = x * double(j + 1) + a##j;  // vfmadd with -mfma
#define OUT(j) \
  for (int l = 0; l < 4; l++) out[j * 4 + l] = a##j[l];
#define EACH(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11)
  EACH(ACC)
  v4d x = {double(seed), double(seed + 1), double(seed + 2), double(seed + 3)};
  const v4d one = {1, 1, 1, 1};
  for (uint32_t i = 1; i <= n; i++) {
    x += one;
    EACH(STEP)
    asm volatile("" : "+x"(x));  // one iteration at a time: the sums stay live
  }
  EACH(OUT)
#undef EACH
#undef ACC
#undef STEP
#undef OUT
}

// The same with 8 lanes and 24 accumulators: more than 16 registers, so
// zmm16-31 are live too.
extern "C" __attribute__((noinline, target("avx512f"))) void vec_avx512_chunk(uint64_t seed,
                                                                              uint32_t n,
                                                                              double* out) {
#define ACC(j) v8d a##j = {};
#define STEP(j) a##j = x * double(j + 1) + a##j;
#define OUT(j) \
  for (int l = 0; l < 8; l++) out[j * 8 + l] = a##j[l];
// clang-format off
#define EACH(M) M(0) M(1) M(2) M(3) M(4) M(5) M(6) M(7) M(8) M(9) M(10) M(11) \
  M(12) M(13) M(14) M(15) M(16) M(17) M(18) M(19) M(20) M(21) M(22) M(23)
  // clang-format on
  EACH(ACC)
  v8d x;
  for (int l = 0; l < 8; l++) x[l] = double(seed + l);
  v8d one;
  for (int l = 0; l < 8; l++) one[l] = 1;
  for (uint32_t i = 1; i <= n; i++) {
    x += one;
    EACH(STEP)
    asm volatile("" : "+v"(x));
  }
  EACH(OUT)
#undef EACH
#undef ACC
#undef STEP
#undef OUT
}
#endif
