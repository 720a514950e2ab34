// runtime/strutil.h — the few string helpers the freestanding runtime needs.
// Pure functions, no port calls: the hosted unit tests compile them as is.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace gort {

inline size_t cstrlen(const char* s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

// A view of n bytes, not NUL-terminated (GORTDEBUG items, env values).
struct Str {
  const char* p = nullptr;
  size_t n = 0;
  Str() = default;
  Str(const char* s, size_t len) : p(s), n(len) {}
  Str(const char* s) : p(s), n(cstrlen(s)) {}  // NOLINT: implicit from literals
  bool operator==(Str o) const {
    if (n != o.n) return false;
    for (size_t i = 0; i < n; i++)
      if (p[i] != o.p[i]) return false;
    return true;
  }
  bool starts_with(Str o) const { return n >= o.n && Str(p, o.n) == o; }
};

// Parses a whole decimal number (optional leading '-') into *out. False on an
// empty string, a stray character, or overflow of int64.
bool parse_int(Str s, int64_t* out);

// Appends words to a fixed, always NUL-terminated buffer, separated by spaces;
// silently stops at the end of the buffer (used for short summaries only).
template <size_t N>
struct StrBuf {
  char* buf;
  size_t len = 0;
  explicit StrBuf(char* b) : buf(b) { buf[0] = 0; }
  StrBuf& put(const char* w) {
    if (len && len + 1 < N) buf[len++] = ' ';
    for (; *w && len + 1 < N; w++) buf[len++] = *w;
    buf[len] = 0;
    return *this;
  }
  StrBuf& word(bool cond, const char* w) { return cond ? put(w) : *this; }
};

}  // namespace gort
