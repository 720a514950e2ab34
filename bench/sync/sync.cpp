// bench/sync — a contended gort::Mutex beside Go's sync.Mutex (twin:
// bench/sync/sync.go):
//   mutex  4 goroutines per P share one Mutex, 10M lock/unlock pairs in
//          all, each guarding an increment: ns per pair (wall time / n)
//
//   sync [small]     "small" divides n by 100 (the test's run)
#include <gort/gort.h>
#include <gort/sync.h>

#include "../bench.h"

int main(int, char**) {
  int64_t n = 10000000;
  if (bench::small()) n /= 100;
  const int64_t g = 4 * int64_t(gort::gomaxprocs_now());
  gort::Mutex mu;
  gort::WaitGroup wg;
  int64_t count = 0;
  wg.add(g);
  int64_t t0 = gort::nanotime();
  for (int64_t i = 0; i < g; i++) {
    int64_t k = (i + 1) * n / g - i * n / g;
    gort::go([k, &mu, &wg, &count] {
      for (int64_t j = k; j > 0; j--) {
        mu.lock();
        count++;
        mu.unlock();
      }
      wg.done();
    });
  }
  wg.wait();
  int64_t ns = gort::nanotime() - t0;
  if (count != n) {
    gort::eprint("mutex count: got ", count, ", want ", n, "\n");
    gort::fatal("wrong result");
  }
  int64_t t = ns * 10 / n;
  gort::println("mutex goroutines=", g, " n=", n, " count=", count, " ns/op=", t / 10, ".", t % 10);
  return 0;
}
