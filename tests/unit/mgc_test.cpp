// tests/unit/mgc_test.cpp — the collector's pure parts: GOGC and
// GOMEMLIMIT as Go reads them, gctrace's number formats (Go's itoaDiv and
// fmtNSAsMS), and the multiply that finds an object's index in its span.
#include "mgc.h"

#include <catch2/catch.hpp>
#include <string>

#include "sizeclasses.h"

using gort::Str;

TEST_CASE("GOGC: an integer or off; negative is off") {
  int32_t v = 0;
  CHECK(gort::parse_gogc(Str("100"), &v));
  CHECK(v == 100);
  CHECK(gort::parse_gogc(Str("0"), &v));
  CHECK(v == 0);
  CHECK(gort::parse_gogc(Str("off"), &v));
  CHECK(v == -1);
  CHECK(gort::parse_gogc(Str("-5"), &v));
  CHECK(v == -1);
  CHECK(gort::parse_gogc(Str("2000"), &v));
  CHECK(v == 2000);
  v = 7;
  for (const char* bad : {"", "10%", "abc", "Off", "1e3", "99999999999"}) {
    CHECK_FALSE(gort::parse_gogc(Str(bad), &v));
    CHECK(v == 7);
  }
}

TEST_CASE("GOMEMLIMIT: Go's byte counts") {
  int64_t v = 0;
  struct Case {
    const char* s;
    int64_t want;
  };
  for (Case c : {Case{"0", 0}, Case{"1024", 1024}, Case{"1024B", 1024}, Case{"512MiB", 512ll << 20},
                 Case{"1GiB", 1ll << 30}, Case{"3KiB", 3072}, Case{"2TiB", 2ll << 40},
                 Case{"off", INT64_MAX}, Case{"9223372036854775807", INT64_MAX}}) {
    INFO(c.s);
    CHECK(gort::parse_memlimit(Str(c.s), &v));
    CHECK(v == c.want);
  }
  v = 5;
  for (const char* bad : {"", "B", "MiB", "1MB", "1 GiB", "-1", "1.5GiB", "1gib", "1KB",
                          "9223372036854775808", "8388608TiB", "1GiBB"}) {
    INFO(bad);
    CHECK_FALSE(gort::parse_memlimit(Str(bad), &v));
    CHECK(v == 5);
  }
}

namespace {
std::string divs(uint64_t n, int dec) {
  char b[32];
  size_t k = gort::fmt_itoa_div(b, n, dec);
  return std::string(b, k);
}
std::string ms(uint64_t ns) {
  char b[32];
  size_t k = gort::fmt_ns_as_ms(b, ns);
  return std::string(b, k);
}
}  // namespace

TEST_CASE("gctrace numbers: Go's itoaDiv and fmtNSAsMS") {
  CHECK(divs(0, 0) == "0");
  CHECK(divs(12345, 3) == "12.345");
  CHECK(divs(5, 3) == "0.005");
  CHECK(divs(1000, 3) == "1.000");
  CHECK(divs(42, 0) == "42");
  CHECK(ms(0) == "0");
  CHECK(ms(999) == "0");
  CHECK(ms(1000) == "0.001");
  CHECK(ms(15000) == "0.015");
  CHECK(ms(123456) == "0.12");
  CHECK(ms(1234567) == "1.2");
  CHECK(ms(9999999) == "9.9");
  CHECK(ms(10000000) == "10");
  CHECK(ms(123456789) == "123");
}

TEST_CASE("span_divmul divides every offset of every size class exactly") {
  for (int c = 1; c < gort::kNumSizeClasses; c++) {
    const auto& sc = gort::kSizeClasses.c[c];
    uint32_t dm = gort::span_divmul(sc.size);
    uint64_t span = sc.npages * gort::kPageSize;
    bool ok = true;
    for (uint64_t off = 0; off < span && ok; off++) ok = ((off * dm) >> 32) == off / sc.size;
    INFO("class " << c << " size " << sc.size);
    CHECK(ok);
  }
}
