// tests/fatal/leaf_traceback.cpp — a traceback through a true leaf (asm, no
// frame; its return address still in the link register, or at [sp] on
// amd64) shows the leaf AND its caller and the caller's caller
// (arch_leaf_candidate and the link register the port reads):
//   preempted  a goroutine spinning in leaf_spin is preempted (GOMAXPROCS=1:
//              main runs only once it is) and SIGQUIT dumps it, through
//              gort_async_preempt's frame (arch_preempt_frame's lr);
//   trap       leaf_trap's illegal instruction: Go's SIGILL report walks from
//              the signal's context (os_sigctx_frame's lr).
#include <gort/gort.h>

#include "port.h"

extern "C" {
void leaf_spin(uint32_t* w);
void leaf_trap();
}

namespace {
uint32_t w[2];  // set by leaf_spin once spinning; never set: it spins on
}

extern "C" __attribute__((noinline)) void leaf_caller() {
  leaf_spin(w);
  asm volatile("");  // no tail call: leaf_caller keeps its frame
}

extern "C" __attribute__((noinline)) void leaf_outer() {
  leaf_caller();
  asm volatile("");
}

extern "C" __attribute__((noinline)) void trap_caller() {
  leaf_trap();
  asm volatile("");
}

extern "C" __attribute__((noinline)) void trap_outer() {
  trap_caller();
  asm volatile("");
}

int main(int argc, char** argv) {
  if (argc > 1 && argv[1][0] == 't') {
    trap_outer();
    return 0;
  }
  gort::go([] { leaf_outer(); });
  for (int i = 0; i < 10000000 && !__atomic_load_n(&w[0], __ATOMIC_RELAXED); i++) gort::gosched();
  gort::os_raise(gort::kSIGQUIT);
  return 0;
}
