// tests/unit/memops_test.cpp — the runtime's memmove/memset/memcmp against
// libc's, over every alignment, length and overlap in a window.
#include "memops.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {
std::vector<unsigned char> pattern(size_t n, unsigned seed) {
  std::vector<unsigned char> v(n);
  for (size_t i = 0; i < n; i++) v[i] = static_cast<unsigned char>(seed * 31 + i * 7 + (i >> 3));
  return v;
}
}  // namespace

TEST_CASE("mem_move matches memmove for every offset pair and length, overlapping or not") {
  const size_t N = 96;
  for (size_t dst = 0; dst < 24; dst++)
    for (size_t src = 0; src < 24; src++)
      for (size_t len = 0; len + (dst > src ? dst : src) < N; len += 5) {
        auto a = pattern(N, unsigned(dst + src)), b = a;
        gort::mem_move(a.data() + dst, a.data() + src, len);
        std::memmove(b.data() + dst, b.data() + src, len);
        INFO("dst=" << dst << " src=" << src << " len=" << len);
        REQUIRE(a == b);
      }
}

TEST_CASE("mem_set fills exactly the range at any alignment") {
  for (size_t off = 0; off < 16; off++)
    for (size_t len = 0; len < 70; len++) {
      auto a = pattern(96, 3), b = a;
      gort::mem_set(a.data() + off, 0xa5, len);
      std::memset(b.data() + off, 0xa5, len);
      REQUIRE(a == b);
    }
}

TEST_CASE("mem_cmp orders by the first differing byte, as unsigned") {
  const unsigned char x[] = {1, 2, 3, 0x80}, y[] = {1, 2, 4, 0x00};
  CHECK(gort::mem_cmp(x, y, 0) == 0);
  CHECK(gort::mem_cmp(x, y, 2) == 0);
  CHECK(gort::mem_cmp(x, y, 3) < 0);
  CHECK(gort::mem_cmp(y, x, 3) > 0);
  const unsigned char p[] = {0x80}, q[] = {0x7f};
  CHECK(gort::mem_cmp(p, q, 1) > 0);
}
