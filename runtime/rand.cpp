// runtime/rand.cpp — the runtime's random source (Go's cheaprand family):
// wyrand, whose state is a counter, so one atomic add makes it thread-safe.
#include "atomic.h"
#include "runtime.h"

namespace gort {

namespace {
uint64_t state;

uint64_t mix(uint64_t a, uint64_t b) {
  unsigned __int128 r = (unsigned __int128)a * b;
  return uint64_t(r) ^ uint64_t(r >> 64);
}
}  // namespace

void randinit(const uint8_t* seed16) {
  uint64_t a = 0, b = 0;
  for (int i = 0; i < 8; i++) {
    a = a << 8 | seed16[i];
    b = b << 8 | seed16[8 + i];
  }
  atomic::store(&state, mix(a ^ 0xa0761d6478bd642full, b ^ 0xe7037ed1a0b428dbull));
}

uint64_t rand64() {
  uint64_t s = atomic::xadd(&state, uint64_t(0xa0761d6478bd642full));
  return mix(s, s ^ 0xe7037ed1a0b428dbull);
}

}  // namespace gort
