// runtime/mgcscavenge.cpp — the background scavenger (Go's bgscavenge):
// returns heap pages and pooled goroutine stacks that have been free for a
// while to the OS, so RSS falls after a burst. Its thread starts when the
// heap or the stack pool first frees memory (a program that never frees pays
// nothing), wakes every 250 ms, and releases free spans idle for 500 ms or
// more and pooled stacks unused for a whole period. gort::free_os_memory
// releases everything at once.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "runtime.h"
#include "stack.h"

namespace gort {

namespace {
constexpr int64_t kScavengePeriod = 250 * 1000 * 1000;
constexpr int64_t kScavengeIdle = 500 * 1000 * 1000;
uint32_t started;
uint32_t never;  // the scavenger sleeps on this word; nothing sets it

void bgscavenge(void*) {
  for (;;) {
    os_futexsleep(&never, 0, kScavengePeriod);
    mheap_scavenge(kScavengeIdle);
    stack_scavenge(false);  // pooled stacks unused for a whole period
  }
}
}  // namespace

void start_scavenger() {
  if (atomic::load_relaxed(&started) || !atomic::cas(&started, 0u, 1u)) return;
  newm(bgscavenge, nullptr);
}

void free_os_memory() {
  mheap_scavenge(0);
  stack_scavenge(true);
}

}  // namespace gort
