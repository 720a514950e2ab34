// runtime/stack.h — goroutine stacks (Go's stack.go, with gort's policy; the
// whole story is in docs/ARCHITECTURE.md, "Goroutine stacks"):
//
// C++ frames cannot be moved (there are no pointer maps), so a stack never
// grows: each is a fixed slot (64 KiB by default: the `stack_slot_kib` build
// option, GORTSTACKSIZE at run time) carved from a region mapped once. Only
// touched pages cost memory. The lowest page(s) of every slot, the guard, are
// not stack, and every goroutine that RUNS has its guard PROT_NONE:
//   - the first stacks get a permanent guard, up to half the guard budget
//     (a quarter of vm.max_map_count: each guard splits its region's mapping
//     in two);
//   - past that, guards follow running goroutines: a goroutine about to run
//     on an unguarded slot gets a guard, taking it from the slot of a
//     goroutine that is not running once the other half of the budget is in
//     use (stack_enter / stack_leave, from execute).
// Code is built with stack-clash protection (probes every guard-sized step),
// so no frame can step over a guard: an overflow faults in the guard of the
// overflowing goroutine's own slot, before any other memory is written, and
// the fault handler reports "fatal error: stack overflow" for that goroutine.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace gort {

struct G;

struct Stack {
  uintptr_t lo = 0, hi = 0;   // usable [lo, hi); the guard is [lo - stack_guard(), lo)
  uint32_t* guard = nullptr;  // the slot's guard state; null: a permanent guard
};

// Sizes, fixed once the first stack exists (stack_config). The slot includes
// its guard; both are powers of two and multiples of the OS page size.
uintptr_t stack_slot();
uintptr_t stack_guard();
// Reads GORTSTACKSIZE and the guard budget (GORTDEBUG=stackguards, else
// vm.max_map_count). Called at boot once GORTDEBUG is known; idempotent.
void stack_config();

// A stack for a goroutine. Fatal if out of memory.
Stack stackalloc(int64_t goid);
// The main goroutine's stack: 8 MiB (or a slot, if larger), as a C program's
// main thread has, with a permanent guard; never freed.
inline constexpr uintptr_t kMainStackSize = 8 << 20;
Stack stackalloc_main(int64_t goid);
// Returns a stack to the pool (the goroutine no longer runs on it).
void stackfree(Stack s);
// Returns to the OS the memory of pooled stacks unused since the last call
// (all of them if all); the background scavenger calls it. Returns bytes.
uintptr_t stack_scavenge(bool all);

// Around every run of a goroutine whose Stack.guard is non-null: enter makes
// sure the slot is guarded before the goroutine runs (taking a guard from an
// idle slot if the budget is spent); leave makes its guard available again.
void stack_enter_slow(uint32_t* guard, uintptr_t lo);
inline void stack_enter(uint32_t* guard, uintptr_t lo) {
  if (guard) stack_enter_slow(guard, lo);
}
void stack_leave_slow(uint32_t* guard);
inline void stack_leave(uint32_t* guard) {
  if (guard) stack_leave_slow(guard);
}

// Guards in place: permanent ones, and those following running goroutines.
void stack_guard_counts(int64_t* permanent, int64_t* moving);

// For the fault handler: true if a fault at addr with stack pointer sp is gp
// running out of its stack (in its guard, or sp below its stack). Then
// throw_stack_overflow prints Go's report and exits 2. Async-signal-safe.
bool stack_overflowed(const G* gp, uintptr_t addr, uintptr_t sp);
[[noreturn]] void throw_stack_overflow(G* gp, uintptr_t sp, void* uctx);

}  // namespace gort
