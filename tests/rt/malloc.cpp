// tests/rt/malloc.cpp — the allocator: Go's byte counts, object placement,
// zeroing, tiny blocks, large objects, and MemStats.
#include "malloc.h"

#include "runtime.h"
#include "tap.h"

namespace {
uint64_t total_alloc_of(void (*f)()) {
  gort::MemStats a, b;
  gort::read_mem_stats(&a);
  f();
  gort::read_mem_stats(&b);
  return b.TotalAlloc - a.TotalAlloc;
}

struct Point {
  double x, y;
  Point(double a, double b) : x(a), y(b) {}
};
struct Node {
  Node* next;
  int v;
};
}  // namespace

template <>
inline constexpr bool gort::pointer_free<Point> = true;

// Allocates a large object and leaves no pointer to it behind (not even in
// the caller's registers: it is all in this frame); *b: stats just after.
__attribute__((noinline)) void large_object(gort::MemStats* b) {
  gort::MemStats a;
  gort::read_mem_stats(&a);
  auto* big = static_cast<uint64_t*>(gort::alloc(3 << 20, false));
  gort::read_mem_stats(b);
  bool bigzero = true;
  for (size_t i = 0; i < (3 << 20) / 8; i += 97) bigzero &= big[i] == 0;
  tap::ok(uintptr_t(big) % gort::kPageSize == 0 && bigzero && b->HeapInuse - a.HeapInuse == 3 << 20,
          "a large object is whole zeroed pages");
  big[5] = 7;
}

int main(int, char**) {
  tap::plan(14);

  // Go's B/op for make([]int, n): the size class, or whole pages.
  tap::ok(total_alloc_of([] { gort::make_array<int64_t>(1024); }) == 8192,
          "make([]int,1024) counts 8192 bytes");
  tap::ok(total_alloc_of([] { gort::make_array<int64_t>(1025); }) == 9472,
          "make([]int,1025) counts 9472 bytes");
  tap::ok(total_alloc_of([] { gort::make_array<int64_t>(1048576); }) == 8388608,
          "make([]int,1048576) counts 8388608 bytes");
  tap::ok(total_alloc_of([] { gort::make_array<int64_t>(1048577); }) == 8396800,
          "make([]int,1048577) counts 8396800 bytes");

  Point* p = gort::make<Point>(1.5, -2.0);
  gort::MSpan* ps = gort::span_of(p);
  tap::ok(p->x == 1.5 && p->y == -2.0 && ps && (ps->spanclass & 1),
          "make<T> constructs a pointer-free T in a noscan span");
  Node* n = gort::make<Node>();
  gort::MSpan* ns = gort::span_of(n);
  tap::ok(n->next == nullptr && ns && !(ns->spanclass & 1) && ns->elemsize == 16,
          "a struct with a pointer goes to a scan span of its class");

  // Tiny allocator: 1- to 8-byte noscan objects share 16-byte blocks.
  const int kTiny = 4000;
  static uint8_t* t[kTiny];  // static: a 32 KiB frame is past clang ports' guard
  gort::MemStats a, b;
  gort::read_mem_stats(&a);
  for (int i = 0; i < kTiny; i++)
    t[i] = static_cast<uint8_t*>(gort::alloc(size_t(1 + i % 4), true));
  gort::read_mem_stats(&b);
  bool zero = true, sep = true;
  for (int i = 0; i < kTiny; i++) {
    zero &= t[i][0] == 0;
    t[i][0] = uint8_t(i);
  }
  for (int i = 0; i < kTiny; i++) sep &= t[i][0] == uint8_t(i);
  uint64_t blocks = (b.TotalAlloc - a.TotalAlloc) / 16;
  tap::ok(zero && sep && b.Mallocs - a.Mallocs == kTiny,
          "tiny objects are zeroed, distinct, and each counted in Mallocs");
  tap::ok(blocks * 16 == b.TotalAlloc - a.TotalAlloc && blocks < kTiny / 2,
          "tiny objects pack into 16-byte blocks");

  tap::ok(gort::alloc(0, true) == gort::alloc(0, false) && gort::alloc(0, true) != nullptr,
          "zero-byte allocations share one address");

  gort::read_mem_stats(&a);
  large_object(&b);
  tap::clear_stack();
  gort::gc();  // the collector frees it: nothing points to it any more
  gort::MemStats c;
  gort::read_mem_stats(&c);
  tap::ok(c.HeapInuse + (3 << 20) <= b.HeapInuse && c.Frees >= b.Frees + 1,
          "a large object nothing points to is freed, its pages returned");
  auto* again = static_cast<uint64_t*>(gort::alloc(3 << 20, false));
  tap::ok(again[5] == 0, "reused pages are zeroed again");

  int* arr = new int[100];
  arr[99] = 1;
  delete[] arr;
  Node* nn = new Node{nullptr, 3};
  tap::ok(nn->v == 3 && gort::span_of(nn) != nullptr, "operator new allocates on the gort heap");
  delete nn;

  gort::read_mem_stats(&c);
  tap::ok(c.Sys >= c.HeapSys && c.HeapSys == c.HeapIdle + c.HeapInuse &&
              c.HeapAlloc <= c.HeapInuse && c.HeapObjects == c.Mallocs - c.Frees,
          "MemStats fields are consistent");
  return tap::done();
}
