// bench/garbage — the collector in a steady state, beside Go's (twin:
// bench/garbage/garbage.go). 8 goroutines each own a table of 64-byte
// objects, 32 MiB live in all, and replace a pseudo-random entry n/8 times:
// every replaced object is garbage. Prints
//
//   garbage goroutines=8 live_kb=32768 n=16000000 ns_per_alloc=... gcs=... maxpause_us=...
//
// ns_per_alloc is the churn's wall time over n (allocation, marking and
// sweeping together), gcs and maxpause_us the cycles it took and their
// longest stop-the-world pause. At the end every live object must still
// hold what was written in it (a live object freed and reused would not),
// or the program exits 2.
//
//   garbage [small]      (small: n and the live heap / 100)
#include <gort/gort.h>
#include <gort/sync.h>

#include "../bench.h"
#include "../gcbench.h"

namespace {
struct Obj {
  Obj** table;  // a pointer for the marker to follow (to a live table)
  int64_t stamp, check, slot;
  int64_t pad[4];
};
static_assert(sizeof(Obj) == 64);

constexpr int kGoroutines = 8;

Obj* fresh(Obj** table, int64_t slot, int64_t stamp) {
  Obj* o = gort::make<Obj>();
  o->table = table;
  o->stamp = stamp;
  o->check = ~stamp;
  o->slot = slot;
  return o;
}

void verify(Obj** table, int64_t slots) {
  for (int64_t s = 0; s < slots; s++) {
    Obj* o = table[s];
    if (o->table != table || o->slot != s || o->check != ~o->stamp)
      bench::fail("garbage: a live object's slot", o->slot, s);
  }
}
}  // namespace

int main(int, char**) {
  const int64_t scale = bench::small() ? 100 : 1;
  const int64_t live = (int64_t(32) << 20) / scale;
  const int64_t slots = live / int64_t(sizeof(Obj)) / kGoroutines;  // per goroutine
  const int64_t n = 16000000 / scale;

  Obj*** tables = gort::make_array<Obj**>(kGoroutines);
  gort::WaitGroup filled;
  filled.add(kGoroutines);
  for (int g = 0; g < kGoroutines; g++)
    gort::go([&filled, tables, slots, g] {
      Obj** t = gort::make_array<Obj*>(slots);
      for (int64_t s = 0; s < slots; s++) t[s] = fresh(t, s, s);
      tables[g] = t;
      filled.done();
    });
  filled.wait();

  gort::MemStats before, after;
  gort::read_mem_stats(&before);
  int64_t t0 = gort::nanotime();
  gort::WaitGroup done;
  done.add(kGoroutines);
  for (int g = 0; g < kGoroutines; g++)
    gort::go([&done, tables, slots, n, g] {
      Obj** t = tables[g];
      uint64_t x = 0x9e3779b97f4a7c15u * uint64_t(g + 1);  // xorshift64 state
      for (int64_t i = 0; i < n / kGoroutines; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t s = int64_t(x % uint64_t(slots));
        t[s] = fresh(t, s, (int64_t(g) << 40) | i);
      }
      done.done();
    });
  done.wait();
  int64_t ns = gort::nanotime() - t0;
  gort::read_mem_stats(&after);

  for (int g = 0; g < kGoroutines; g++) verify(tables[g], slots);
  bench::Cycles c = bench::cycles(before, after);
  gort::println("garbage goroutines=", kGoroutines, " live_kb=", live >> 10, " n=", n,
                " ns_per_alloc=", bench::Tenths{ns, n}, " gcs=", c.n,
                " maxpause_us=", bench::Tenths{int64_t(c.maxpause_ns), 1000});
  return 0;
}
