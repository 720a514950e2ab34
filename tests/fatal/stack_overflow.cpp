// tests/fatal/stack_overflow.cpp — a goroutine stack that overflows is
// reported, never silently corrupted. Runs unbounded recursion on a pool
// stack owned by "goroutine 7" (a guard page catches it), or, with argument
// "redzone", recursion that stops 1 KiB into the red zone below the stack and
// returns: then stackfree must notice (GORTDEBUG=stackguard=0 for that).
#include <gort/gort.h>

#include "port.h"
#include "stack.h"
#include "strutil.h"

namespace {
void* main_sp;
void* co_sp;
gort::Stack st;
bool bounded;

int recurse(int depth) {
  volatile char frame[512];
  frame[0] = char(depth);
  if (bounded && uintptr_t(&frame[0]) < st.lo - 1024) return frame[0];
  return recurse(depth + 1) + frame[0];
}

void body(void*) {
  recurse(0);
  gort::gort_swapctx(&co_sp, main_sp);
}
}  // namespace

int main(int argc, char** argv) {
  bounded = argc > 1 && gort::Str(argv[1]) == gort::Str("redzone");
  st = gort::stackalloc(7);
  void* sp = gort::arch_makectx(reinterpret_cast<void*>(st.hi), body, nullptr);
  gort::gort_swapctx(&main_sp, sp);
  gort::println("back on the main stack");
  gort::stackfree(st);
  gort::println("stack freed without complaint");
  return 0;
}
