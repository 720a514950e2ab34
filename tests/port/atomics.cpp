// tests/port/atomics.cpp — atomics hold under two threads hammering one word.
#include "atomic.h"
#include "tap.h"
#include "thread.h"

namespace {
constexpr int kIters = 200000;
uint64_t counter64;
uint32_t counter32;
uint64_t cas_counter;
uint32_t xchg_token = 1;
uint64_t xchg_seen;
uint32_t go;

void hammer(void*) {
  while (!gort::atomic::load(&go)) gort::arch_procyield(10);
  for (int i = 0; i < kIters; i++) {
    gort::atomic::xadd(&counter64, uint64_t(1));
    gort::atomic::xadd(&counter32, 1u);
    for (;;) {
      uint64_t v = gort::atomic::load(&cas_counter);
      if (gort::atomic::cas(&cas_counter, v, v + 1)) break;
    }
    // A token passed by exchange is never duplicated or lost.
    if (gort::atomic::xchg(&xchg_token, 0u) == 1) {
      gort::atomic::xadd(&xchg_seen, uint64_t(1));
      gort::atomic::store(&xchg_token, 1u);
    }
  }
}
}  // namespace

int main(int, char**) {
  tap::watchdog("atomics", 3000);
  tap::plan(5);
  tap::Thread a, b;
  bool started = tap::spawn(&a, hammer, nullptr) && tap::spawn(&b, hammer, nullptr);
  tap::ok(started, "two threads start");
  gort::atomic::store(&go, 1u);
  tap::join(&a);
  tap::join(&b);
  tap::ok(gort::atomic::load(&counter64) == 2 * kIters, "xadd on a 64-bit word loses no update");
  tap::ok(gort::atomic::load(&counter32) == 2 * kIters, "xadd on a 32-bit word loses no update");
  tap::ok(gort::atomic::load(&cas_counter) == 2 * kIters, "cas loops lose no update");
  tap::ok(gort::atomic::load(&xchg_token) == 1 && xchg_seen > 0, "xchg never duplicates the token");
  return tap::done();
}
