// bench/gcbench.h — what the garbage-collector benchmarks (bintree, garbage,
// gcpause) share: the GC cycles of a stretch of the run, the process's peak
// RSS, and a/b printed with one decimal as their Go twins print it.
#pragma once

#include <gort/gort.h>

#include "port.h"  // os_open, os_read: gort has no public open yet

namespace bench {

// a/b with one decimal (b > 0), as the Go side's "%d.%d".
struct Tenths {
  int64_t a, b;
};
inline void print_arg(gort::Printer& p, Tenths t) {
  int64_t x = t.a * 10 / t.b;
  gort::print_arg(p, x / 10);
  gort::print_arg(p, '.');
  gort::print_arg(p, x % 10);
}

[[noreturn]] inline void fail(const char* what, int64_t got, int64_t want) {
  gort::eprint(what, ": got ", got, ", want ", want, "\n");
  gort::fatal("wrong result");
}

// The GC cycles completed between two read_mem_stats: how many, and the
// longest stop-the-world pause among them (of the last 256: the older ones
// have left MemStats.PauseNs, as in Go).
struct Cycles {
  uint32_t n;
  uint64_t maxpause_ns;
};
inline Cycles cycles(const gort::MemStats& before, const gort::MemStats& after) {
  Cycles c = {after.NumGC - before.NumGC, 0};
  for (uint32_t k = 0; k < c.n && k < 256; k++) {
    uint64_t p = after.PauseNs[(after.NumGC - k + 255) % 256];  // cycle NumGC-k
    if (p > c.maxpause_ns) c.maxpause_ns = p;
  }
  return c;
}

// The process's peak resident set in KiB (VmHWM of /proc/self/status, what
// getrusage's ru_maxrss reports on Linux), or -1.
inline int64_t peak_rss_kb() {
  int fd = gort::os_open("/proc/self/status", false);
  if (fd < 0) return -1;
  char buf[4096];
  long n = 0;
  for (long r;
       n < long(sizeof buf) - 1 && (r = gort::os_read(fd, buf + n, sizeof buf - 1 - n)) > 0;)
    n += r;
  gort::os_close(fd);
  buf[n > 0 ? n : 0] = 0;
  for (long i = 0; i < n; i++) {
    if ((i == 0 || buf[i - 1] == '\n') && buf[i] == 'V' && buf[i + 1] == 'm' && buf[i + 2] == 'H' &&
        buf[i + 3] == 'W' && buf[i + 4] == 'M' && buf[i + 5] == ':') {
      int64_t kb = 0;
      for (i += 6; buf[i] == ' ' || buf[i] == '\t'; i++) {
      }
      for (; buf[i] >= '0' && buf[i] <= '9'; i++) kb = kb * 10 + (buf[i] - '0');
      return kb;
    }
  }
  return -1;
}

}  // namespace bench
