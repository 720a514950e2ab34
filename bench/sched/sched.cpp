// bench/sched — the scheduler beside Go's (twin: bench/sched/sched.go):
//   spawn      1M goroutines spawned and joined (WaitGroup): ns per goroutine
//   ctxswitch  two goroutines calling gosched 1M times each: ns per switch
//              (they alternate only with GOMAXPROCS=1)
//   parked     RSS per goroutine with 100k parked
//
//   sched [small] [spawn|ctxswitch|parked]...
//
// No names runs all three (parked last: its goroutines never wake); "small"
// divides every n by 100.
#include <gort/chan.h>
#include <gort/gort.h>
#include <gort/sync.h>
#include <gort/time.h>

#include "../bench.h"
#include "port.h"  // os_open, os_read: gort has no public open yet

namespace {
int64_t scale = 1;

int64_t rss() {  // resident bytes (/proc/self/statm), or -1
  int fd = gort::os_open("/proc/self/statm", false);
  if (fd < 0) return -1;
  char buf[128];
  long n = gort::os_read(fd, buf, sizeof buf - 1);
  int i = 0;
  while (i < n && buf[i] != ' ') i++;
  int64_t pages = 0;
  for (i++; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) pages = pages * 10 + (buf[i] - '0');
  return pages * 4096;
}

void print_ns(const char* what, int64_t n, const char* unit, int64_t ns) {
  int64_t tenths = ns * 10 / n;
  gort::println(what, " n=", n, " ", unit, "=", tenths / 10, ".", tenths % 10);
}

void spawn() {
  const int64_t n = 1000000 / scale;
  gort::WaitGroup wg;
  wg.add(n);
  int64_t t0 = gort::nanotime();
  for (int64_t i = 0; i < n; i++) gort::go([&wg] { wg.done(); });
  wg.wait();
  print_ns("spawn", n, "ns/goroutine", gort::nanotime() - t0);
}

void ctxswitch() {
  const int64_t n = 1000000 / scale;  // gosched calls per goroutine
  gort::WaitGroup wg;
  wg.add(2);
  int64_t t0 = gort::nanotime();
  for (int k = 0; k < 2; k++)
    gort::go([&wg, n] {
      for (int64_t i = 0; i < n; i++) gort::gosched();
      wg.done();
    });
  wg.wait();
  print_ns("ctxswitch", 2 * n, "ns/switch", gort::nanotime() - t0);
}

void parked() {
  const int64_t n = 100000 / scale;
  int64_t before = rss();
  gort::WaitGroup all;
  all.add(n);
  auto block = gort::make_chan<int>();  // never sent on
  for (int64_t i = 0; i < n; i++)
    gort::go([&all, block]() mutable {
      all.done();
      block.recv();
    });
  all.wait();
  gort::sleep(10 * gort::Millisecond);  // let the last ones block, as the twin does
  gort::println("parked n=", n, " bytes/goroutine=", (rss() - before) / n);
}
}  // namespace

int main(int, char**) {
  if (bench::small()) scale = 100;
  static const bench::Bench benches[] = {
      {"spawn", spawn}, {"ctxswitch", ctxswitch}, {"parked", parked}};
  bench::run_named(benches);
  return 0;
}
