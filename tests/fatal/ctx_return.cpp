// tests/fatal/ctx_return.cpp — a context function that returns is a fatal
// error (there is nothing to return to), not a jump into garbage.
#include <gort/gort.h>

#include "port.h"

namespace {
alignas(16) char stack[16 * 1024];
void* main_sp;
void returns(void*) {}
}  // namespace

int main(int, char**) {
  void* sp = gort::arch_makectx(stack + sizeof stack, returns, nullptr);
  gort::gort_swapctx(&main_sp, sp);
  return 0;
}
