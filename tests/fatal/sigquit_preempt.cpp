// tests/fatal/sigquit_preempt.cpp — SIGQUIT's dump of a goroutine stopped by
// async preemption shows where it was: the function it was spinning in and
// that function's callers, through the trampoline's frame (Go's traceback
// of an asyncPreempt'ed goroutine). Run with GOMAXPROCS=1: once main runs
// again while spin_here spins, the spinner is parked, runnable, in
// gort_async_preempt.
#include <gort/gort.h>

#include "runtime2.h"

namespace {
uint32_t started;
}  // namespace
// Nothing sets it, but with external linkage the compiler cannot know that:
// clang took the loop on a never-written internal variable for an infinite
// loop without side effects, undefined behaviour, and compiled it away.
uint32_t spin_stop;

// A leaf with no calls: on arm64 and riscv64 its return address is only in
// the link register when it is interrupted.
extern "C" __attribute__((noinline)) uint64_t spin_here(uint64_t n) {
  __atomic_store_n(&started, 1u, __ATOMIC_RELAXED);
  while (!__atomic_load_n(&spin_stop, __ATOMIC_RELAXED)) n = n * 3 + 1;
  return n;
}

extern "C" __attribute__((noinline)) void spin_caller() {
  uint64_t n = spin_here(7);
  asm volatile("" ::"r"(n));
}

int main(int, char**) {
  gort::go([] { spin_caller(); });
  for (int i = 0; i < 1000000 && !__atomic_load_n(&started, __ATOMIC_RELAXED); i++) gort::gosched();
  gort::os_raise(gort::kSIGQUIT);
  return 0;
}
