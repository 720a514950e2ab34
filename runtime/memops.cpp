// runtime/memops.cpp — see memory.h. Word-at-a-time where both sides align.
// Built with -fno-tree-loop-distribute-patterns (gcc) or -fno-builtin (clang),
// so these loops are never turned back into calls to themselves.
#include "memops.h"

#include <stdint.h>

namespace gort {

namespace {
using W = uintptr_t;
constexpr uintptr_t kW = sizeof(W);
bool aligned(const void* a, const void* b) {
  return ((uintptr_t(a) | uintptr_t(b)) & (kW - 1)) == 0;
}
}  // namespace

void* mem_move(void* dst, const void* src, size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  auto* s = static_cast<const unsigned char*>(src);
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) {  // forward is safe
    if (aligned(d, s)) {
      for (; n >= kW; n -= kW, d += kW, s += kW)
        *reinterpret_cast<W*>(d) = *reinterpret_cast<const W*>(s);
    }
    while (n--) *d++ = *s++;
  } else {  // overlapping with dst above src: copy backwards
    d += n;
    s += n;
    if (aligned(d, s)) {
      for (; n >= kW; n -= kW) {
        d -= kW;
        s -= kW;
        *reinterpret_cast<W*>(d) = *reinterpret_cast<const W*>(s);
      }
    }
    while (n--) *--d = *--s;
  }
  return dst;
}

void* mem_set(void* dst, int c, size_t n) {
  auto* d = static_cast<unsigned char*>(dst);
  unsigned char b = static_cast<unsigned char>(c);
  for (; n && (uintptr_t(d) & (kW - 1)); n--) *d++ = b;
  W w = W(b) * (~W(0) / 0xff);  // b in every byte
  for (; n >= kW; n -= kW, d += kW) *reinterpret_cast<W*>(d) = w;
  while (n--) *d++ = b;
  return dst;
}

int mem_cmp(const void* a, const void* b, size_t n) {
  auto* x = static_cast<const unsigned char*>(a);
  auto* y = static_cast<const unsigned char*>(b);
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

}  // namespace gort
