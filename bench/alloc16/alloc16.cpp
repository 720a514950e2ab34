// bench/alloc16 — 10M allocations of a 16-byte pointer-free object, on 1 and
// on 2 Ps (GOMAXPROCS set to the count, one goroutine per P: the per-P
// caches should scale). ns/op is wall time over all allocations, the
// collector's work included on both sides; gcs the cycles it took. Twin:
// bench/alloc16/alloc16.go.
//
//   alloc16 [small]      (small: 100k allocations)
#include <gort/gort.h>
#include <gort/sync.h>

#include "../bench.h"

namespace {
struct Pair {
  int64_t a, b;
};
int64_t n = 10000000;
Pair* volatile sink;

void work(int64_t k) {
  for (int64_t i = k; i > 0; i--) sink = gort::make<Pair>();
}

void run(int threads) {
  gort::set_gomaxprocs(threads);
  gort::MemStats before, after;
  gort::read_mem_stats(&before);
  int64_t t0 = gort::nanotime();
  gort::WaitGroup wg;
  wg.add(threads - 1);
  for (int i = 1; i < threads; i++)
    gort::go([&wg, threads] {
      work(n / threads);
      wg.done();
    });
  work(n / threads);
  wg.wait();
  int64_t ns = gort::nanotime() - t0;
  gort::read_mem_stats(&after);
  int64_t tenths = ns * 10 / n;
  gort::println("alloc16 threads=", threads, " n=", n, " ns/op=", tenths / 10, ".", tenths % 10,
                " gcs=", after.NumGC - before.NumGC);
}
}  // namespace

template <>
inline constexpr bool gort::pointer_free<Pair> = true;

int main(int, char**) {
  if (bench::small()) n /= 100;
  run(1);
  run(2);
  return 0;
}
