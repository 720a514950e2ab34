// tests/rt/stack.cpp — the goroutine stack pool: usable, distinct stacks;
// reuse; StackInuse accounting; and 1,200,000 live stacks (past the 1.126M
// a fixed table of regions once capped them) within Linux's default
// vm.max_map_count (65530 mappings).
#include "stack.h"

#include "malloc.h"
#include "tap.h"

namespace {
constexpr int kMany = 1200000;
gort::Stack* all;
}  // namespace

int main(int, char**) {
  tap::plan(6);
  gort::set_gc_percent(-1);  // no cycle: the background sweeper's stack would count
  gort::MemStats a, b;
  gort::read_mem_stats(&a);
  gort::Stack s1 = gort::stackalloc(1), s2 = gort::stackalloc(2);
  gort::read_mem_stats(&b);
  const uintptr_t slot = gort::stack_slot(), guard = gort::stack_guard();
  tap::ok(s1.hi - s1.lo == slot - guard && s1.hi % 16 == 0 && s1.lo != s2.lo &&
              (s1.hi <= s2.lo - guard || s2.hi <= s1.lo - guard),
          "stacks are a slot less its guard, aligned, and apart");
  tap::ok(b.StackInuse - a.StackInuse == 2 * slot && b.StackSys >= b.StackInuse,
          "StackInuse counts the stacks handed out");
  auto* words = reinterpret_cast<volatile uint64_t*>(s1.lo);
  for (uintptr_t i = 0; i < (s1.hi - s1.lo) / 8; i++) words[i] = i;
  bool kept = true;
  for (uintptr_t i = 0; i < (s1.hi - s1.lo) / 8; i++) kept &= words[i] == i;
  tap::ok(kept, "the whole usable stack is writable");
  gort::stackfree(s1);
  gort::Stack s3 = gort::stackalloc(3);
  tap::ok(s3.lo == s1.lo, "a freed stack is reused first");
  gort::stackfree(s3);
  gort::stackfree(s2);

  all = gort::make_array<gort::Stack>(kMany);
  for (int i = 0; i < kMany; i++) all[i] = gort::stackalloc(i);
  int maps = tap::count_mappings();
  gort::read_mem_stats(&b);
  tap::diag("1.2e6 stacks: ", maps, " mappings, StackSys ", b.StackSys >> 20, " MiB");
  tap::ok(maps < 65530, "1,200,000 live stacks fit in the default vm.max_map_count");
  for (int i = 0; i < kMany; i++) gort::stackfree(all[i]);
  gort::read_mem_stats(&b);
  tap::ok(b.StackInuse == a.StackInuse, "every stack comes back");
  return tap::done();
}
