// runtime/gcvalues.cpp — the value syntax of GOGC and GOMEMLIMIT, as Go
// reads them, and gctrace's number formats (Go's itoaDiv and fmtNSAsMS).
// Pure functions, no port calls: the hosted unit tests compile them as is.
#include "mgc.h"

namespace gort {

bool parse_gogc(Str s, int32_t* out) {
  if (s == Str("off")) {
    *out = -1;
    return true;
  }
  int64_t v;
  if (!parse_int(s, &v) || v > INT32_MAX || v < INT32_MIN) return false;
  *out = v < 0 ? -1 : int32_t(v);
  return true;
}

bool parse_memlimit(Str s, int64_t* out) {
  if (s == Str("off")) {
    *out = INT64_MAX;
    return true;
  }
  // Go's parseByteCount: digits, then B, KiB, MiB, GiB or TiB, or nothing.
  struct Unit {
    const char* suffix;
    int shift;
  };
  constexpr Unit kUnits[] = {{"KiB", 10}, {"MiB", 20}, {"GiB", 30}, {"TiB", 40}, {"B", 0}};
  int shift = 0;
  for (const Unit& u : kUnits) {
    Str suf(u.suffix);
    if (s.n > suf.n && Str(s.p + s.n - suf.n, suf.n) == suf) {
      s.n -= suf.n;
      shift = u.shift;
      break;
    }
  }
  if (s.n == 0) return false;
  uint64_t v = 0;
  for (size_t i = 0; i < s.n; i++) {
    if (s.p[i] < '0' || s.p[i] > '9') return false;
    v = v * 10 + uint64_t(s.p[i] - '0');
    if (v > uint64_t(INT64_MAX)) return false;
  }
  if (shift && v > (uint64_t(INT64_MAX) >> shift)) return false;
  *out = int64_t(v << shift);
  return true;
}

size_t fmt_itoa_div(char* buf, uint64_t n, int dec) {
  char tmp[32];
  size_t i = 0;
  do {
    if (dec > 0 && int(i) == dec) tmp[i++] = '.';
    tmp[i++] = char('0' + n % 10);
    n /= 10;
  } while (n || int(i) <= dec);
  for (size_t k = 0; k < i; k++) buf[k] = tmp[i - 1 - k];
  buf[i] = 0;
  return i;
}

size_t fmt_ns_as_ms(char* buf, uint64_t ns) {
  if (ns >= 10000000) return fmt_itoa_div(buf, ns / 1000000, 0);
  uint64_t x = ns / 1000;  // two significant digits, at most three decimals
  if (x == 0) {
    buf[0] = '0';
    buf[1] = 0;
    return 1;
  }
  int dec = 3;
  while (x >= 100) {
    x /= 10;
    dec--;
  }
  return fmt_itoa_div(buf, x, dec);
}

}  // namespace gort
