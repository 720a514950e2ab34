// <gort/gort.h> — what a gort program uses.
//
// A gort program is an ordinary `int main(int argc, char** argv)`. The runtime's
// own entry (rt0) boots first, then calls main and exits with its status.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "traits.h"

// The runtime calls the program's `int main(int, char**)` by its C name. In
// freestanding mode clang treats main as an ordinary (mangled) function, so
// give it that name here; gcc already does.
#if defined(__clang__) && !__STDC_HOSTED__
#define GORT_STR_(x) #x
#define GORT_STR(x) GORT_STR_(x)
int main(int, char**) __asm__(GORT_STR(__USER_LABEL_PREFIX__) "main");
#undef GORT_STR
#undef GORT_STR_
#endif

namespace gort {

// ---- Printing without libc, in the spirit of Go's print/println builtins.
// Each call is buffered and written with as few write(2) calls as possible.
class Printer {
 public:
  explicit Printer(int fd) : fd_(fd) {}
  ~Printer() { flush(); }
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;
  void bytes(const char* p, size_t n);
  void flush();

 private:
  int fd_;
  size_t n_ = 0;
  char buf_[256];
};

// Prints v in hexadecimal with a 0x prefix.
struct Hex {
  uint64_t v;
};

void print_arg(Printer& p, const char* s);
void print_arg(Printer& p, int64_t v);
void print_arg(Printer& p, uint64_t v);
void print_arg(Printer& p, Hex h);
void print_arg(Printer& p, const void* ptr);
void print_arg(Printer& p, double v);  // Go's print format: +1.500000e+000
inline void print_arg(Printer& p, char* s) { print_arg(p, static_cast<const char*>(s)); }
inline void print_arg(Printer& p, bool b) { print_arg(p, b ? "true" : "false"); }
inline void print_arg(Printer& p, char c) { p.bytes(&c, 1); }
template <typename T>
requires gort::is_integral_v<T> &&
    (!gort::is_same_v<T, bool>)&&(!gort::is_same_v<T, char>)void print_arg(Printer& p, T v) {
  if constexpr (gort::is_signed_v<T>)
    print_arg(p, int64_t(v));
  else
    print_arg(p, uint64_t(v));
}
inline void print_arg(Printer& p, float v) { print_arg(p, double(v)); }

template <typename... A>
void fprint(int fd, const A&... a) {
  Printer p(fd);
  (print_arg(p, a), ...);
}
template <typename... A>
void print(const A&... a) {
  fprint(1, a...);
}
template <typename... A>
void println(const A&... a) {
  fprint(1, a..., '\n');
}
template <typename... A>
void eprint(const A&... a) {
  fprint(2, a...);
}

// ---- Fatal errors: "fatal error: <msg>" on stderr, exit status 2 (as Go).
[[noreturn]] void fatal(const char* msg);

// ---- Process facts.
int nargs();                        // argc
const char* arg(int i);             // argv[i], or nullptr out of range
const char* getenv(const char* k);  // value of k, or nullptr if unset
int ncpu();                         // CPUs this process may run on
int64_t nanotime();                 // monotonic clock, ns
uintptr_t pagesize();               // physical page size

}  // namespace gort
