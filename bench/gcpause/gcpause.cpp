// bench/gcpause — one forced cycle over a 1 GiB live heap of small objects,
// beside Go's (twin: bench/gcpause/gcpause.go). The heap is 1024 complete
// binary trees of 32-byte nodes (two pointers, two ints), 2^25 - 1024
// nodes, built with the collector off by one goroutine per P. Then two
// forced cycles (gort::gc(), Go's runtime.GC()); the second is measured:
//
//   gcpause live_mb=1024 objects=33553408 pause_us=... gc_ms=...
//           mark_mb_per_s_per_p=... heap_mb=...        (one line)
//
// pause_us is the cycle's stop-the-world pause (MemStats.PauseNs), gc_ms the
// wall time of the whole call (gort marks with the world stopped, Go
// concurrently: gc_ms is what compares), mark_mb_per_s_per_p the live heap
// over gc_ms per P (sweep included), heap_mb HeapAlloc after the cycle (what
// the collector kept, at least the live heap). Every node is then walked
// and checked.
//
//   gcpause [small]      (small: 10 trees, 10 MiB)
#include <gort/gort.h>
#include <gort/sync.h>

#include "../bench.h"
#include "../gcbench.h"

namespace {
struct Node {
  Node* left;
  Node* right;
  int64_t depth, check;
};
static_assert(sizeof(Node) == 32);

constexpr int kDepth = 14;  // 2^15 - 1 nodes, 1 MiB, per tree

Node* build(int depth) {
  Node* n = gort::make<Node>();
  n->depth = depth;
  n->check = ~int64_t(depth);
  if (depth > 0) {
    n->left = build(depth - 1);
    n->right = build(depth - 1);
  }
  return n;
}

int64_t walk(const Node* n, int depth) {
  if (n->depth != depth || n->check != ~int64_t(depth))
    bench::fail("gcpause: a node's depth", n->depth, depth);
  if (depth == 0) return 1;
  return 1 + walk(n->left, depth - 1) + walk(n->right, depth - 1);
}
}  // namespace

int main(int, char**) {
  const int64_t trees = bench::small() ? 10 : 1024;
  const int64_t per_tree = (int64_t(1) << (kDepth + 1)) - 1;
  gort::set_gc_percent(-1);

  Node** roots = gort::make_array<Node*>(trees);
  const int procs = gort::gomaxprocs_now();
  gort::WaitGroup built;
  built.add(procs);
  for (int p = 0; p < procs; p++)
    gort::go([&built, roots, trees, procs, p] {
      for (int64_t t = p; t < trees; t += procs) roots[t] = build(kDepth);
      built.done();
    });
  built.wait();

  gort::MemStats before, after;
  gort::gc();
  gort::read_mem_stats(&before);
  int64_t t0 = gort::nanotime();
  gort::gc();
  int64_t ns = gort::nanotime() - t0;
  gort::read_mem_stats(&after);
  if (after.NumGC != before.NumGC + 1)
    bench::fail("gcpause: cycles in gc()", after.NumGC - before.NumGC, 1);
  uint64_t pause = after.PauseNs[(after.NumGC + 255) % 256];

  int64_t objects = 0;
  for (int64_t t = 0; t < trees; t++) objects += walk(roots[t], kDepth);
  if (objects != trees * per_tree) bench::fail("gcpause: nodes", objects, trees * per_tree);
  const int64_t live_mb = (objects * int64_t(sizeof(Node)) + (1 << 19)) >> 20;
  // Nothing is allocated after the cycle, so nodes it freed by mistake
  // would still read right: HeapAlloc below the live heap is what shows it.
  const int64_t heap_mb = int64_t((after.HeapAlloc + (1 << 19)) >> 20);
  if (heap_mb < live_mb) bench::fail("gcpause: MiB kept by the cycle", heap_mb, live_mb);
  gort::println("gcpause live_mb=", live_mb, " objects=", objects,
                " pause_us=", bench::Tenths{int64_t(pause), 1000},
                " gc_ms=", bench::Tenths{ns, 1000000},
                " mark_mb_per_s_per_p=", bench::Tenths{live_mb * 1000000000, ns * procs},
                " heap_mb=", heap_mb);
  return 0;
}
