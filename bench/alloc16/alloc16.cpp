// bench/alloc16 — 10M allocations of a 16-byte pointer-free object, on 1 and
// on 2 threads (the per-M caches should scale). ns/op is wall time over all
// allocations. Twin: bench/alloc16/alloc16.go. gort has no GC yet: nothing is
// freed, where Go's numbers include its collector.
#include <gort/gort.h>

#include "runtime.h"

namespace {
struct Pair {
  int64_t a, b;
};
constexpr int64_t kN = 10000000;
Pair* volatile sink;

void work(void* n) {
  for (int64_t i = reinterpret_cast<int64_t>(n); i > 0; i--) sink = gort::make<Pair>();
}

void run(int threads) {
  int64_t t0 = gort::nanotime();
  gort::M* ms[2];
  for (int i = 1; i < threads; i++) ms[i] = gort::newm(work, reinterpret_cast<void*>(kN / threads));
  work(reinterpret_cast<void*>(kN / threads));
  for (int i = 1; i < threads; i++) gort::joinm(ms[i]);
  int64_t ns = gort::nanotime() - t0;
  int64_t tenths = ns * 10 / kN;
  gort::println("alloc16 threads=", threads, " n=", kN, " ns/op=", tenths / 10, ".", tenths % 10);
}
}  // namespace

template <>
inline constexpr bool gort::pointer_free<Pair> = true;

int main(int, char**) {
  run(1);
  run(2);
  return 0;
}
