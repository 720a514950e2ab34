// tests/rt/gc_heap.cpp — the collector gives memory back and is paced as Go's.
//
//   gc_heap reclaim MIB   allocates MIB MiB in all with 16 MiB live: HeapInuse
//                         stays under 64 MiB, RSS under 192 MiB
//   gc_heap off           (GOGC=off) no cycle runs and the heap grows;
//                         set_gc_percent turns the collector back on
//   gc_heap limit         (GOGC=off GOMEMLIMIT=64MiB) the heap is held near
//                         the limit by cycles the limit starts
//   gc_heap stats         NumGC, NumForcedGC, PauseNs, PauseEnd, PauseTotalNs,
//                         LastGC and NextGC agree with each other
//
// Bounds come from allocation counts, never from time.
#include "gcutil.h"

namespace {

using gctest::streq;

constexpr uint64_t kMiB = 1 << 20;

// A live set of n 8 KiB noscan blocks, held by a heap array.
struct Live {
  uint8_t** blocks;
  size_t n;
};
Live* live;
void make_live(uint64_t bytes) {
  live = gort::make<Live>();
  live->n = bytes / 8192;
  live->blocks = gort::make_array<uint8_t*>(live->n);
  for (size_t i = 0; i < live->n; i++) {
    live->blocks[i] = gort::make_array<uint8_t>(8192);
    live->blocks[i][0] = uint8_t(i);
    live->blocks[i][8191] = uint8_t(i >> 8);
  }
}
bool live_intact() {
  for (size_t i = 0; i < live->n; i++)
    if (live->blocks[i][0] != uint8_t(i) || live->blocks[i][8191] != uint8_t(i >> 8)) return false;
  return true;
}

struct Peak {
  uint64_t inuse = 0, heap_alloc = 0, mapped = 0;
  int64_t rss = 0;
  void sample() {
    gort::MemStats m;
    gort::read_mem_stats(&m);
    if (m.HeapInuse > inuse) inuse = m.HeapInuse;
    if (m.HeapAlloc > heap_alloc) heap_alloc = m.HeapAlloc;
    if (m.Sys - m.HeapReleased > mapped) mapped = m.Sys - m.HeapReleased;
    int64_t r = gctest::rss_bytes();
    if (r > rss) rss = r;
  }
};

// Allocates `total` bytes of garbage in objects of many sizes (scan and
// noscan, small and large), replacing a live block now and then; samples
// the heap every 16 MiB.
Peak churn(uint64_t total) {
  Peak peak;
  uint64_t s = 88172645463325252ull, done = 0, next_sample = 0;
  while (done < total) {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    uint64_t r = s % 1000;
    size_t size = r < 2 ? 256 * 1024 + s % (1 << 20) : r < 50 ? 1024 + s % 30000 : 16 + s % 1000;
    auto* p = static_cast<uint64_t*>(gort::alloc(size, r & 1));
    p[0] = done;  // touch it
    done += size;
    if (r == 7) {
      size_t i = (s >> 20) % live->n;
      uint8_t* b = gort::make_array<uint8_t>(8192);
      b[0] = uint8_t(i), b[8191] = uint8_t(i >> 8);
      live->blocks[i] = b;
    }
    if (done >= next_sample) {
      peak.sample();
      next_sample = done + 16 * kMiB;
    }
  }
  peak.sample();
  return peak;
}

void reclaim(uint64_t total_mib) {
  tap::plan(4);
  make_live(16 * kMiB);
  gort::MemStats a, b;
  gort::read_mem_stats(&a);
  Peak p = churn(total_mib * kMiB);
  gort::read_mem_stats(&b);
  tap::diag("allocated ", (b.TotalAlloc - a.TotalAlloc) / kMiB, " MiB in ", b.NumGC - a.NumGC,
            " cycles: peak HeapInuse ", p.inuse / kMiB, " MiB, HeapAlloc ", p.heap_alloc / kMiB,
            " MiB, Sys-HeapReleased ", p.mapped / kMiB, " MiB, RSS ", p.rss / int64_t(kMiB),
            " MiB");
  tap::ok(b.TotalAlloc - a.TotalAlloc >= total_mib * kMiB && b.NumGC > a.NumGC,
          "the allocations ran, with collections");
  tap::ok(p.inuse < 64 * kMiB, "HeapInuse stays under 64 MiB with 16 MiB live");
  if (p.rss < 0)
    tap::skip("RSS stays bounded", "no /proc/self/statm");
  else
    tap::ok(p.rss < int64_t(192 * kMiB), "RSS stays under 192 MiB");
  tap::ok(live_intact(), "the live set is intact");
}

void off() {
  tap::plan(5);
  tap::ok(gort::set_gc_percent(-1) == -1, "GOGC=off reads back as -1");
  gort::MemStats a, b;
  gort::read_mem_stats(&a);
  // 256 MiB of garbage: past any heap goal the default GOGC would give.
  for (int i = 0; i < 256 * 16; i++) gort::alloc(64 * 1024, true);
  gort::read_mem_stats(&b);
  tap::diag("GOGC=off: NumGC ", a.NumGC, " -> ", b.NumGC, ", HeapAlloc ", a.HeapAlloc / kMiB,
            " -> ", b.HeapAlloc / kMiB, " MiB");
  tap::ok(b.NumGC == a.NumGC, "no cycle runs by itself with GOGC=off");
  tap::ok(b.HeapAlloc >= a.HeapAlloc + 256 * kMiB, "the heap grows by all that was allocated");
  gort::set_gc_percent(100);
  gort::gc();
  gort::read_mem_stats(&b);
  tap::ok(b.HeapAlloc < 64 * kMiB, "gort::gc() then frees it");
  gort::read_mem_stats(&a);
  for (int i = 0; i < 128 * 16; i++) gort::alloc(64 * 1024, true);
  gort::read_mem_stats(&b);
  tap::ok(b.NumGC > a.NumGC && b.NumForcedGC == a.NumForcedGC,
          "after set_gc_percent(100) the pacer starts cycles again");
}

void limit() {
  tap::plan(5);
  int64_t lim = gort::set_memory_limit(-1);
  tap::ok(lim == 64 * int64_t(kMiB), "GOMEMLIMIT=64MiB reads back as 67108864");
  tap::ok(gort::set_gc_percent(-1) == -1, "with GOGC=off");
  make_live(16 * kMiB);
  gort::MemStats a, b;
  gort::read_mem_stats(&a);
  Peak p = churn(1024 * kMiB);
  gort::read_mem_stats(&b);
  tap::diag("1 GiB allocated under a 64 MiB limit: ", b.NumGC - a.NumGC, " cycles, peak HeapInuse ",
            p.inuse / kMiB, " MiB, Sys-HeapReleased ", p.mapped / kMiB, " MiB");
  tap::ok(b.NumGC > a.NumGC, "the limit starts cycles though GOGC=off");
  // The limit is soft (as in Go): it covers all the runtime's memory and a
  // cycle finishes what it started, so allow a quarter more.
  tap::ok(p.inuse <= uint64_t(lim) + uint64_t(lim) / 4, "HeapInuse stays near the limit");
  tap::ok(live_intact(), "the live set is intact");
}

int64_t walltime() {
  int64_t sec;
  int32_t nsec;
  gort::os_walltime(&sec, &nsec);
  return sec * 1000000000 + nsec;
}

void stats() {
  tap::plan(9);
  make_live(8 * kMiB);
  gort::MemStats a, b;
  gort::read_mem_stats(&a);
  int64_t t0 = walltime();
  const int kForced = 300;  // past the 256-entry rings
  for (int i = 0; i < kForced; i++) gort::gc();
  int64_t t1 = walltime();
  gort::read_mem_stats(&b);
  tap::ok(b.NumForcedGC - a.NumForcedGC == kForced && b.NumGC - a.NumGC >= kForced,
          "each gort::gc() is one more NumGC and NumForcedGC");
  tap::ok(b.EnableGC && b.GCCPUFraction >= 0 && b.GCCPUFraction <= 1,
          "EnableGC, and GCCPUFraction is a fraction");
  uint32_t n = b.NumGC;
  uint64_t last = b.PauseEnd[(n + 255) % 256];
  tap::ok(b.LastGC == last && int64_t(last) >= t0 && int64_t(last) <= t1,
          "LastGC is the last cycle's PauseEnd, within the calls");
  bool ends_ordered = true, pauses = true;
  uint64_t sum = 0;
  for (uint32_t k = 0; k < 255; k++) {
    uint32_t i = n - k;  // cycle i's entries, newest first
    ends_ordered &= b.PauseEnd[(i + 255) % 256] >= b.PauseEnd[(i + 254) % 256];
    pauses &= b.PauseNs[(i + 255) % 256] > 0;
    sum += b.PauseNs[(i + 255) % 256];
  }
  tap::ok(ends_ordered, "PauseEnd grows from cycle to cycle around the ring");
  tap::ok(pauses, "each cycle recorded a pause");
  tap::ok(b.PauseTotalNs >= sum && b.PauseTotalNs - a.PauseTotalNs >= sum,
          "PauseTotalNs covers the pauses in the ring");
  // Right after a cycle, HeapAlloc is the live heap (8 MiB and some) and the
  // goal is above it: GOGC=100 aims at twice it, GOGC=200 at three times.
  uint64_t goal100 = b.NextGC;
  tap::ok(goal100 > b.HeapAlloc && goal100 >= 12 * kMiB, "NextGC is above the live heap");
  gort::set_gc_percent(200);
  gort::gc();
  gort::read_mem_stats(&b);
  tap::diag("heap ", b.HeapAlloc / 1024, " KiB, goal ", goal100 / 1024, " KiB at GOGC=100, ",
            b.NextGC / 1024, " KiB at GOGC=200");
  tap::ok(b.NextGC > goal100 && b.NextGC >= 20 * kMiB, "a larger GOGC sets a larger NextGC");
  tap::ok(live_intact(), "the live set is intact");
}

}  // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (streq(mode, "reclaim"))
    reclaim(uint64_t(gctest::int_arg(argc, argv, 2, 10240)));
  else if (streq(mode, "off"))
    off();
  else if (streq(mode, "limit"))
    limit();
  else if (streq(mode, "stats"))
    stats();
  else
    gort::fatal("usage: gc_heap reclaim MIB | off | limit | stats");
  return tap::done();
}
