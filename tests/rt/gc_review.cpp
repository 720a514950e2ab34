// tests/rt/gc_review.cpp — collector bugs a hostile review found, kept
// fixed (docs/GC.md):
//
//   - the TLS of every M is a root, also on the cycle that makes helper
//     threads (an allm walk by index skipped the oldest Ms then);
//   - a finalizer on a small pointer-free object, which shares a 16-byte
//     tiny block with others, is allowed (as Go allows it) and runs once,
//     with its own address, after the whole block became unreachable;
//   - MemStats: dead tiny objects leave HeapObjects where it was;
//   - the heap stays near its goal while goroutines race to start cycles;
//   - gort::gc() from many goroutines at once, beside allocation: a cycle
//     started just after another ended must find the sweep's cursor reset
//     (it stopped the world on unswept spans: "unswept span at the start
//     of a cycle"), and no live list loses a node.
#include <gort/sync.h>

#include "tap.h"

namespace {

struct Node {
  Node* next;
  uint64_t v;
};

// A list only a thread_local of another M points to (its goroutine is
// locked there), then GOMAXPROCS raised: the cycle that makes the new
// helper threads used to walk allm by index after they were pushed on its
// head, and so skipped the oldest Ms and their TLS.
thread_local Node* tls_list;
constexpr int kTls = 1000;

__attribute__((noinline)) void tls_build() {
  Node* h = nullptr;
  for (int i = 0; i < kTls; i++) {
    Node* n = gort::make<Node>();
    n->next = h;
    n->v = uint64_t(i);
    h = n;
  }
  tls_list = h;
}

__attribute__((noinline)) bool tls_check() {
  int64_t want = kTls - 1;
  for (Node* n = tls_list; n; n = n->next, want--)
    if (n->v != uint64_t(want)) return false;
  return want == -1;
}

void tls_root() {
  int32_t procs = gort::set_gomaxprocs(1);
  gort::lock_os_thread();  // main keeps m0: the worker gets an M of its own
  auto ready = gort::make_chan<int>(0), cont = gort::make_chan<int>(0),
       res = gort::make_chan<int>(0);
  gort::go([=]() mutable {
    gort::lock_os_thread();
    tls_build();
    tap::clear_stack();
    ready.send(1);
    cont.recv();
    for (int i = 0; i < 4 * kTls; i++) gort::make<Node>()->v = 0x5555;  // reuse what died
    res.send(tls_check() ? 1 : 0);
    gort::unlock_os_thread();
  });
  ready.recv();
  gort::gc();               // one P: no helper thread yet
  gort::set_gomaxprocs(8);  // the next cycle makes 7
  gort::gc();
  cont.send(1);
  bool ok = res.recv() == 1;
  gort::unlock_os_thread();
  gort::set_gomaxprocs(procs);
  tap::ok(ok, "a thread_local of a locked goroutine's M is a root on the cycle that makes helpers");
}

constexpr int kTiny = 64;
uint32_t tiny_runs[kTiny];
uint32_t tiny_wrong;

// The objects live only in this goroutine's frames, gone when it exits.
void make_tiny_objects() {
  gort::WaitGroup wg;
  wg.add(1);
  gort::go([&wg] {
    for (int i = 0; i < kTiny; i++) {
      int32_t* p = gort::make<int32_t>(1000 + i);
      gort::set_finalizer(p, [](int32_t* q) {
        int i = *q - 1000;
        if (i < 0 || i >= kTiny) {
          __atomic_add_fetch(&tiny_wrong, 1u, __ATOMIC_RELAXED);
          return;
        }
        __atomic_add_fetch(&tiny_runs[i], 1u, __ATOMIC_RELAXED);
      });
    }
    wg.done();
  });
  wg.wait();
}

int tiny_ran() {
  int n = 0;
  for (uint32_t r : tiny_runs) n += __atomic_load_n(&r, __ATOMIC_RELAXED) != 0;
  return n;
}

void tiny_finalizers() {
  make_tiny_objects();
  // A block a stale word still holds waits for a later cycle: many short
  // waits rather than a few long ones.
  for (int c = 0; c < 200 && tiny_ran() < kTiny; c++) {
    tap::clear_stack();
    gort::gc();
    for (int y = 0; y < 1000 && tiny_ran() < kTiny; y++) gort::gosched();
  }
  for (int c = 0; c < 3; c++) gort::gc();
  bool once = true;
  for (uint32_t r : tiny_runs) once &= __atomic_load_n(&r, __ATOMIC_RELAXED) == 1;
  tap::diag(tiny_ran(), " of ", kTiny, " tiny objects finalized");
  tap::ok(once && tiny_wrong == 0,
          "a finalizer on a tiny object runs once, with its own address and value");
}

// Tiny objects die a block at a time: the sweep counts one free per block,
// so each tiny object placed in a block already counted is counted freed
// at once (Go's tinyAllocCount). HeapObjects fell behind by 3 of every 4
// 4-byte objects otherwise, for ever.
__attribute__((noinline)) void tiny_churn(int n) {
  for (int i = 0; i < n; i++) gort::make<int32_t>(i);
}

void tiny_stats() {
  constexpr int kN = 200000;
  gort::MemStats a, b;
  gort::gc();
  gort::read_mem_stats(&a);
  tiny_churn(kN);
  tap::clear_stack();
  gort::gc();
  gort::gc();
  gort::read_mem_stats(&b);
  tap::diag("HeapObjects ", a.HeapObjects, " -> ", b.HeapObjects, " after ", kN,
            " tiny objects died; Mallocs +", b.Mallocs - a.Mallocs, ", Frees +", b.Frees - a.Frees);
  // A few blocks may be kept by stale words; a leak of the count is kN/2 or more.
  tap::ok(b.Mallocs - a.Mallocs >= uint64_t(kN) && b.HeapObjects < a.HeapObjects + kN / 100 &&
              b.HeapObjects == b.Mallocs - b.Frees,
          "dead tiny objects leave HeapObjects (Mallocs - Frees) where it was");
}

void concurrent_gc(int rounds) {
  constexpr int kG = 8;
  constexpr int kPer = 40;
  gort::WaitGroup wg;
  uint32_t bad = 0;
  for (int g = 0; g < kG; g++) {
    wg.add(1);
    gort::go([&wg, &bad, g, rounds] {
      Node* head = nullptr;
      for (int i = 0; i < rounds; i++) {
        for (int k = 0; k < kPer; k++) {
          Node* n = gort::make<Node>();
          n->next = head;
          n->v = uint64_t(g) << 32 | uint64_t(i * kPer + k);
          head = n;
        }
        gort::make_array<Node*>(64);  // garbage
        if (g % 2 == 0)
          gort::gc();
        else
          gort::gosched();
      }
      int64_t want = int64_t(rounds) * kPer - 1;
      for (Node* n = head; n; n = n->next, want--)
        if (n->v != (uint64_t(g) << 32 | uint64_t(want))) {
          __atomic_add_fetch(&bad, 1u, __ATOMIC_RELAXED);
          break;
        }
      if (want != -1) __atomic_add_fetch(&bad, 1u, __ATOMIC_RELAXED);
      wg.done();
    });
  }
  wg.wait();
  tap::ok(bad == 0, "gc() from several goroutines at once keeps every live list whole");
}

// Goroutines that reach the heap goal while another is starting a cycle
// wait for that cycle: they allocated on unchecked while the starter was
// descheduled before stopping the world, and the heap ran gigabytes past a
// goal of megabytes (at GOMAXPROCS=1, in about one run of this check in
// six without the wait). HeapSys never shrinks: it shows the peak.
void no_runaway(int rounds) {
  gort::MemStats a, b;
  gort::gc();
  gort::read_mem_stats(&a);
  gort::WaitGroup wg;
  for (int g = 0; g < 4; g++) {
    wg.add(1);
    gort::go([&wg, rounds] {
      for (int i = 0; i < rounds * 1000; i++) {
        if (i % 7 == 0)
          gort::make_array<char>(40000);  // a large object: pages, untouched
        else
          gort::make_array<Node*>(size_t(8 + i % 50));
      }
      wg.done();
    });
  }
  wg.wait();
  gort::read_mem_stats(&b);
  uint64_t grew = b.HeapSys - a.HeapSys;
  tap::diag("HeapSys +", grew >> 20, " MB over ", b.NumGC - a.NumGC, " cycles, goal ",
            b.NextGC >> 20, " MB");
  tap::ok(grew < (256u << 20),
          "the heap stays near its goal while goroutines race to start cycles");
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 200;
  if (argc > 1) {
    rounds = 0;
    for (const char* s = argv[1]; *s; s++) rounds = rounds * 10 + (*s - '0');
  }
  tap::plan(5);
  tls_root();
  tiny_finalizers();
  tiny_stats();
  concurrent_gc(rounds);
  no_runaway(rounds);
  return tap::done();
}
