// Saved-context frame of gort_swapctx on s390x, shared by asm_s390x.S and
// arch_s390x.cpp (checked there). Offsets from the saved sp.
#pragma once
#define CTX_R6 0    /* r6..r15, 8 bytes each; fresh context: r6 = fn, r7 = arg */
#define CTX_R14 64  /* where br %r14 resumes */
#define CTX_R15 72  /* the sp before the call: the caller's frame */
#define CTX_F8 80   /* f8..f15 */
#define CTX_FPC 144 /* floating-point control register (4 bytes) */
#define CTX_SIZE 152
/* The ELF ABI's register save area: the 160 bytes at a caller's sp belong
 * to its callee (back chain at +0, r14 at +112). */
#define SAVE_AREA 160
#define SAVE_R14 112

// Async preemption (gort_async_preempt). The signal handler moves sp to a
// two-word head {interrupted pc, interrupted sp} below the interrupted sp
// (nothing below sp is live: s390x has no red zone; the 160 bytes above it
// are, and are not touched). The trampoline's frame, from its sp (the head
// at +PREEMPT_FRAME):
#define PREEMPT_GPRS 160 /* r0..r15 (r15's slot unused), after the callee's save area */
#define PREEMPT_ACRS 288 /* a0..a15, 4 bytes each (a0/a1, the thread pointer, not restored) */
#define PREEMPT_FPC 352  /* 4 bytes */
#define PREEMPT_PM 360   /* condition code and program mask, as ipm leaves them (4 bytes) */
#define PREEMPT_V0 \
  368 /* v0..v31, 16 bytes each; without vectors f0..f15 in v0..v15's left halves */
#define PREEMPT_FRAME 880
