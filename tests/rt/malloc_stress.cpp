// tests/rt/malloc_stress.cpp — seeded random allocations across every size
// class and some large sizes, on several goroutines, objects dropped at
// random (some handed to another goroutine first) while the collector runs
// paced by the allocations: no two live objects overlap, contents survive
// every cycle, memory is zeroed when handed out (a slot the sweep freed
// included), and MemStats counts what the test counted.
#include "atomic.h"
#include "malloc.h"
#include "runtime.h"
#include "tap.h"

namespace {
constexpr int kMaxThreads = 8;
int nthreads = 4;
constexpr int kOps = 20000;
constexpr int kLive = 256;

struct Obj {
  uint64_t* p = nullptr;
  size_t words = 0;
  uint64_t tag = 0;
};

// Objects handed from each goroutine to the next, dropped by the receiver.
Obj handoff[kMaxThreads][kLive];
uint32_t handoff_n[kMaxThreads];
gort::RtMutex handoff_lock;

uint64_t allocs, frees, bad_zero, bad_content;

uint64_t xorshift(uint64_t* s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

size_t pick_size(uint64_t r) {
  int cls = 1 + int(r % 67);
  if (r % 97 == 0) return size_t(40000 + (r >> 8) % 300000);  // large
  uint32_t hi = gort::kSizeClasses.c[cls].size, lo = gort::kSizeClasses.c[cls - 1].size;
  return lo + 1 + (r >> 16) % (hi - lo);  // lands in class cls
}

bool check(const Obj& o) {
  for (size_t i = 0; i < o.words; i++)
    if (o.p[i] != o.tag + i) return false;
  return true;
}

void release(const Obj& o) {
  if (!check(o)) gort::atomic::xadd(&bad_content, uint64_t(1));
  gort::atomic::xadd(&frees, uint64_t(1));
}

void worker(void* arg) {
  int id = int(reinterpret_cast<uintptr_t>(arg));
  uint64_t seed = 0x9e3779b97f4a7c15ull * uint64_t(id + 1);
  Obj live[kLive] = {};
  for (int op = 0; op < kOps; op++) {
    uint64_t r = xorshift(&seed);
    Obj& o = live[r % kLive];
    if (o.p) {
      if (r & 0x100) {
        release(o);
      } else {  // pass it on: the next thread frees it
        gort::LockGuard g(&handoff_lock);
        int to = (id + 1) % nthreads;
        if (handoff_n[to] < kLive)
          handoff[to][handoff_n[to]++] = o;
        else
          release(o);
      }
      o = Obj{};
    }
    size_t size = pick_size(xorshift(&seed));
    o.words = size / 8;
    o.p = static_cast<uint64_t*>(gort::alloc(size, false));
    gort::atomic::xadd(&allocs, uint64_t(1));
    auto* bytes = reinterpret_cast<uint8_t*>(o.p);
    for (size_t i = 0; i < size; i++)
      if (bytes[i]) {
        gort::atomic::xadd(&bad_zero, uint64_t(1));
        break;
      }
    o.tag = (uint64_t(id) << 56) ^ (uint64_t(op) << 20);
    for (size_t i = 0; i < o.words; i++) o.p[i] = o.tag + i;
    if (op % 64 == 0) {
      gort::LockGuard g(&handoff_lock);
      while (handoff_n[id]) release(handoff[id][--handoff_n[id]]);
    }
  }
  for (auto& o : live)
    if (o.p) release(o);
}
}  // namespace

__attribute__((noinline)) void run() {
  gort::WaitGroup wg;
  wg.add(nthreads);
  for (int i = 0; i < nthreads; i++)
    gort::go([i, &wg] {
      worker(reinterpret_cast<void*>(uintptr_t(i)));
      wg.done();
    });
  wg.wait();
  for (int t = 0; t < nthreads; t++)
    while (handoff_n[t]) release(handoff[t][--handoff_n[t]]);
  for (auto& row : handoff)
    for (auto& o : row) o = Obj{};  // a global still pointing would keep it
  tap::clear_stack();
}
// argv[1]: the number of goroutines (1..8); GOMAXPROCS is the test's.
int main(int argc, char** argv) {
  if (argc > 1) nthreads = argv[1][0] - '0';
  if (nthreads < 1 || nthreads > kMaxThreads) gort::fatal("goroutines: 1..8");
  tap::plan(5);
  gort::MemStats before, after;
  gort::read_mem_stats(&before);
  run();
  gort::gc();
  gort::read_mem_stats(&after);

  tap::ok(bad_zero == 0, "every object is zeroed when handed out");
  tap::ok(bad_content == 0, "no live object was overwritten: none overlap");
  tap::ok(allocs == uint64_t(nthreads) * kOps && frees == allocs && after.NumGC > before.NumGC,
          "every object allocated was dropped, while the collector ran");
  // The goroutines' closures and WaitGroup are the test's own allocations.
  tap::ok(after.Mallocs - before.Mallocs >= allocs && after.Mallocs - before.Mallocs <= allocs + 64,
          "MemStats Mallocs matches the test's count");
  // Conservative: a stale word may keep a few objects; never more than
  // one goroutine's live set.
  tap::ok(after.Frees - before.Frees + kLive >= allocs &&
              after.HeapObjects <= before.HeapObjects + kLive,
          "the collector freed what was dropped");
  tap::diag("Frees ", after.Frees - before.Frees, " of ", allocs, "; HeapObjects ",
            before.HeapObjects, " -> ", after.HeapObjects, "; ", after.NumGC - before.NumGC,
            " cycles");
  return tap::done();
}
