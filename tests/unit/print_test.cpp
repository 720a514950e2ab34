// tests/unit/print_test.cpp — gort::print's formats (Go's print builtin), with
// os_write replaced by a capture so no runtime boot is needed.
#include <catch2/catch.hpp>
#include <climits>
#include <cstdint>
#include <string>

#include "gort/gort.h"
#include "port.h"
#include "runtime.h"

namespace {
std::string captured;
int captured_fd = -1;
}  // namespace

// The hosted test's stand-in for the port: record instead of writing.
long gort::os_write(int fd, const void* p, size_t n) {
  captured_fd = fd;
  captured.append(static_cast<const char*>(p), n);
  return long(n);
}
// Writes here never fail, so the SIGPIPE check has nothing to do.
void gort::sigpipe(int, long) {}

namespace {
template <typename... A>
std::string fmt(const A&... a) {
  captured.clear();
  gort::print(a...);
  return captured;
}
}  // namespace

TEST_CASE("print formats integers of every width and sign") {
  CHECK(fmt(0) == "0");
  CHECK(fmt(-7) == "-7");
  CHECK(fmt(INT64_MIN) == "-9223372036854775808");
  CHECK(fmt(UINT64_MAX) == "18446744073709551615");
  CHECK(fmt(static_cast<short>(-3), static_cast<unsigned char>(200)) == "-3200");
}

TEST_CASE("print formats strings, chars, bools, hex and pointers") {
  CHECK(fmt("a", 'b', true, false) == "abtruefalse");
  CHECK(fmt(static_cast<const char*>(nullptr)) == "<nil>");
  CHECK(fmt(gort::Hex{255}) == "0xff");
  CHECK(fmt(reinterpret_cast<const void*>(0x1000)) == "0x1000");
}

TEST_CASE("print formats floats as Go's print does") {
  CHECK(fmt(1.5) == "+1.500000e+000");
  CHECK(fmt(0.0) == "+0.000000e+000");
  CHECK(fmt(-0.0) == "-0.000000e+000");
  CHECK(fmt(-2.5e-10) == "-2.500000e-010");
  CHECK(fmt(123456789.0) == "+1.234568e+008");
  CHECK(fmt(9.9999999) == "+1.000000e+001");
  CHECK(fmt(1e300 * 1e300) == "+Inf");
  CHECK(fmt(-(1e300 * 1e300)) == "-Inf");
  CHECK(fmt(0.0 / 0.0 * 0 + __builtin_nan("")) == "NaN");
}

TEST_CASE("println adds a newline; eprint goes to fd 2; long output is not cut") {
  captured.clear();
  gort::println("x", 1);
  CHECK(captured == "x1\n");
  CHECK(captured_fd == 1);
  captured.clear();
  gort::eprint("e");
  CHECK(captured_fd == 2);
  std::string big(1000, 'z');
  CHECK(fmt(big.c_str()) == big);
}
