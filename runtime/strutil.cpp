// runtime/strutil.cpp — see strutil.h.
#include "strutil.h"

namespace gort {

bool parse_int(Str s, int64_t* out) {
  size_t i = 0;
  bool neg = false;
  if (s.n > 0 && s.p[0] == '-') {
    neg = true;
    i = 1;
  }
  if (i == s.n) return false;
  uint64_t v = 0;
  const uint64_t limit = neg ? uint64_t(INT64_MAX) + 1 : uint64_t(INT64_MAX);
  for (; i < s.n; i++) {
    char c = s.p[i];
    if (c < '0' || c > '9') return false;
    uint64_t d = uint64_t(c - '0');
    if (v > (limit - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = neg ? int64_t(0 - v) : int64_t(v);
  return true;
}

}  // namespace gort
