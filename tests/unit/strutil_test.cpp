// tests/unit/strutil_test.cpp — decimal parsing and the string view.
#include "strutil.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>

TEST_CASE("parse_int reads whole decimal numbers across int64's range") {
  int64_t v = 0;
  CHECK(gort::parse_int("0", &v));
  CHECK(v == 0);
  CHECK(gort::parse_int("-42", &v));
  CHECK(v == -42);
  CHECK(gort::parse_int("9223372036854775807", &v));
  CHECK(v == INT64_MAX);
  CHECK(gort::parse_int("-9223372036854775808", &v));
  CHECK(v == INT64_MIN);
}

TEST_CASE("parse_int rejects empty, partial, signed-only and overflowing input") {
  int64_t v = 7;
  for (const char* bad :
       {"", "-", "1x", "x1", " 1", "+1", "9223372036854775808", "-9223372036854775809", "1.0"}) {
    INFO(bad);
    CHECK_FALSE(gort::parse_int(bad, &v));
  }
  CHECK(v == 7);
}

TEST_CASE("Str compares by content and length") {
  CHECK(gort::Str("abc") == gort::Str("abc"));
  CHECK_FALSE(gort::Str("abc") == gort::Str("abd"));
  CHECK_FALSE(gort::Str("ab") == gort::Str("abc"));
  CHECK(gort::Str("GORTDEBUG=x").starts_with("GORTDEBUG="));
  CHECK(gort::Str("abc", 2) == gort::Str("ab"));
}

TEST_CASE("StrBuf joins words with spaces and never overflows") {
  char buf[8];
  gort::StrBuf<sizeof buf> s(buf);
  s.word(true, "abc").word(false, "no").word(true, "defgh");
  CHECK(std::strlen(buf) == 7);
  CHECK(std::strcmp(buf, "abc def") == 0);
}
