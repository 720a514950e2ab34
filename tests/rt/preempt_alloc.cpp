// tests/rt/preempt_alloc.cpp — a goroutine that spends nearly all its time
// inside the runtime (allocating and freeing in a loop, where it cannot be
// preempted) still gives its P up when asked: the request is taken when it
// leaves the allocator (Go's releasem). At GOMAXPROCS=1 main can only run
// again that way; without it, main never finishes (the test times out).
#include "atomic.h"
#include "tap.h"

namespace {
uint32_t stop;
uint64_t rounds;
}  // namespace

int main(int, char**) {
  tap::plan(2);
  gort::go([] {
    for (uint64_t s = 1; !gort::atomic::load(&stop); s++) {
      size_t size = (s * 2654435761u) % 40000 + 1;  // small and large objects
      auto* p = static_cast<unsigned char*>(gort::alloc(size, true));
      p[0] = 1;
      gort::atomic::store(&rounds, s);
    }
  });
  // 100 times, and until the other has run (with more than one P it may
  // start elsewhere only later).
  for (int i = 0; i < 100 || (gort::atomic::load(&rounds) == 0 && i < 10000000); i++)
    gort::gosched();
  tap::ok(true, "main ran 100 times beside a goroutine allocating in a loop");
  tap::ok(gort::atomic::load(&rounds) > 0, "and the allocating goroutine ran too");
  gort::atomic::store(&stop, 1u);
  return tap::done();
}
