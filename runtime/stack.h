// runtime/stack.h — goroutine stacks (Go's stack.go, with gort's policy):
//
// C++ frames cannot be moved (there are no pointer maps), so a stack never
// grows: each is a fixed 64 KiB slot carved from a 64 MiB region mapped once
// (one kernel mapping per 1024 stacks). Only touched pages cost memory. The
// lowest page of every slot is not stack:
//   - for the first 16384 stacks it is a guard page (PROT_NONE): an overflow
//     faults, and the signal handler reports it. Each guard splits the region's
//     mapping, costing two of Linux's default 65530 mappings, so the budget
//     is half of them;
//   - past that budget it is a red zone that must stay zero: stackfree (and,
//     with the scheduler, every switch) checks it and reports an overflow.
// Either way an overflow is "fatal error: stack overflow" with the goroutine
// id and exit status 2, and 1M stacks need under 1100 mappings beyond the
// guards. GORTDEBUG=stackguard=0 turns guards off (red zones only).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace gort {

inline constexpr uintptr_t kStackSlot = 64 << 10;    // per stack, guard included
inline constexpr uintptr_t kStackGuard = 4096;       // the lowest page of a slot
inline constexpr uintptr_t kStackRegion = 64 << 20;  // slots mapped together
inline constexpr int kMaxGuardedStacks = 16384;

struct Stack {
  uintptr_t lo = 0, hi = 0;  // usable [lo, hi); the guard or red zone is below lo
};

// A stack for goroutine goid (reported if it overflows). Fatal if out of memory.
Stack stackalloc(int64_t goid);
// The main goroutine's stack: 8 MiB, as a C program's main thread has, with
// a guard page; it is never freed.
inline constexpr uintptr_t kMainStackSize = 8 << 20;
Stack stackalloc_main(int64_t goid);
// Returns a stack to the pool, first checking it did not overflow.
void stackfree(Stack s);
// Fatal "stack overflow" if s is unguarded and its red zone was written
// (4 KiB read; costs no memory while the red zone is untouched).
void stack_check(Stack s);
// True if addr is in the guard page of a pool stack; fills its stack and owner.
bool stack_guard_hit(uintptr_t addr, Stack* s, int64_t* goid);
// Prints Go's stack-overflow report for goroutine goid and exits 2.
// Async-signal-safe.
[[noreturn]] void throw_stack_overflow(Stack s, int64_t goid, uintptr_t addr);

}  // namespace gort
