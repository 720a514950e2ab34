// runtime/print.cpp — number formatting and buffered writes for gort::print.
#include "gort/gort.h"
#include "port.h"
#include "runtime.h"

namespace gort {

void Printer::bytes(const char* p, size_t n) {
  while (n > 0) {
    if (n_ == sizeof buf_) flush();
    size_t k = sizeof buf_ - n_;
    if (k > n) k = n;
    for (size_t i = 0; i < k; i++) buf_[n_ + i] = p[i];
    n_ += k;
    p += k;
    n -= k;
  }
}

// Writes everything buffered; a short write is retried, a failed one dropped
// (there is nowhere left to report it).
void Printer::flush() {
  const char* p = buf_;
  size_t n = n_;
  n_ = 0;
  while (n > 0) {
    long r = os_write(fd_, p, n);
    if (r == -4) continue;  // EINTR (the same value on every supported OS)
    // Standard output is the program's (Go's fmt): a broken pipe there ends
    // it by SIGPIPE. Standard error carries the runtime's own reports.
    if (fd_ == 1) sigpipe(fd_, r);
    if (r <= 0) return;
    p += r;
    n -= size_t(r);
  }
}

void print_arg(Printer& p, const char* s) {
  if (!s) s = "<nil>";
  size_t n = 0;
  while (s[n]) n++;
  p.bytes(s, n);
}

static void put_unsigned(Printer& p, uint64_t v, unsigned base, const char* prefix) {
  char tmp[24];
  int i = sizeof tmp;
  do {
    tmp[--i] = "0123456789abcdef"[v % base];
    v /= base;
  } while (v);
  print_arg(p, prefix);
  p.bytes(tmp + i, sizeof tmp - size_t(i));
}

void print_arg(Printer& p, uint64_t v) { put_unsigned(p, v, 10, ""); }
void print_arg(Printer& p, int64_t v) {
  if (v < 0)
    put_unsigned(p, 0 - uint64_t(v), 10, "-");
  else
    put_unsigned(p, uint64_t(v), 10, "");
}
void print_arg(Printer& p, Hex h) { put_unsigned(p, h.v, 16, "0x"); }
void print_arg(Printer& p, const void* ptr) { put_unsigned(p, uintptr_t(ptr), 16, "0x"); }

// Go's print(float64): sign, one digit, '.', six digits, 'e', sign, three
// digits; NaN and ±Inf spelled as Go spells them.
void print_arg(Printer& p, double v) {
  if (v != v) return print_arg(p, "NaN");
  if (v + v == v && v != 0) return print_arg(p, v < 0 ? "-Inf" : "+Inf");
  char buf[14] = "+d.dddddde+dd";
  int e = 0;
  if (v == 0) {
    if (1 / v < 0) buf[0] = '-';
  } else {
    if (v < 0) {
      v = -v;
      buf[0] = '-';
    }
    while (v >= 10) {
      e++;
      v /= 10;
    }
    while (v < 1) {
      e--;
      v *= 10;
    }
    double h = 5.0;  // round to 7 significant digits
    for (int i = 0; i < 7; i++) h /= 10;
    v += h;
    if (v >= 10) {
      e++;
      v /= 10;
    }
  }
  for (int i = 0; i < 7; i++) {
    int d = int(v);
    buf[i + 2] = char(d + '0');
    v = (v - d) * 10;
  }
  buf[1] = buf[2];
  buf[2] = '.';
  buf[10] = e < 0 ? '-' : '+';
  if (e < 0) e = -e;
  char exp[3] = {char('0' + e / 100), char('0' + e / 10 % 10), char('0' + e % 10)};
  p.bytes(buf, 11);
  p.bytes(exp, 3);
}

}  // namespace gort
