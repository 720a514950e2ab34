// tests/port/ctxswitch.cpp — gort_swapctx keeps every callee-saved integer and
// FP register of both sides across 100,000 round trips.
#include "port.h"
#include "tap.h"

extern "C" uint64_t regs_switch(void** save, void* to, uint64_t seed);

namespace {
void* main_sp;
void* co_sp;
uint64_t co_fail, co_rounds;
alignas(16) char co_stack[64 * 1024];

[[noreturn]] void co(void*) {
  for (uint64_t i = 0;; i++) {
    co_fail |= regs_switch(&co_sp, main_sp, 0x5a5a000000000000ull + i * 977);
    co_rounds++;
  }
}

bool started;
void first(void* arg) {
  started = true;
  *static_cast<int*>(arg) = 42;
  gort::gort_swapctx(&co_sp, main_sp);
  __builtin_unreachable();
}
}  // namespace

int main(int, char**) {
  tap::watchdog("ctxswitch", 3000);
  tap::plan(4);

  int out = 0;
  co_sp = gort::arch_makectx(co_stack + sizeof co_stack, first, &out);
  gort::gort_swapctx(&main_sp, co_sp);
  tap::ok(started && out == 42, "a fresh context runs fn(arg) on its own stack");

  co_sp = gort::arch_makectx(co_stack + sizeof co_stack, co, nullptr);
  uint64_t fail = 0;
  const int n = 100000;
  for (int i = 0; i < n; i++)
    fail |= regs_switch(&main_sp, co_sp, 0x1234000000000000ull + uint64_t(i) * 131);
  if (fail || co_fail)
    tap::diag("mismatch masks: main ", gort::Hex{fail}, " other ", gort::Hex{co_fail});
  tap::ok(fail == 0, "callee-saved registers of the switching side survive 1e5 switches");
  tap::ok(co_fail == 0, "callee-saved registers of the other side survive 1e5 switches");
  tap::ok(co_rounds == n - 1, "every switch reached the other side");
  return tap::done();
}
