// Saved-context frame of gort_swapctx on arm64, shared by asm_arm64.S and
// arch_arm64.cpp (checked there). Offsets from the saved sp.
#pragma once
#define CTX_X19 0 /* fresh context: fn */
#define CTX_X20 8 /* fresh context: arg */
#define CTX_X29 80
#define CTX_X30 88 /* lr: where ret resumes */
#define CTX_D8 96  /* d8..d15, 8 bytes each */
#define CTX_SIZE 160

// Async preemption (gort_async_preempt). The signal handler moves sp below
// the red zone, 16-aligned, to a two-word head {interrupted pc, interrupted
// sp}. The trampoline's frame, from its sp (the head at +PREEMPT_FRAME):
#define PREEMPT_X0 0       /* x0..x30, 8 bytes each (x30 at 240) */
#define PREEMPT_NZCV 248   /* then fpsr at 256, fpcr at 264 */
#define PREEMPT_Q0 288     /* q0..q31, 16 bytes each */
#define PREEMPT_RECORD 800 /* frame record {interrupted x29, pc}: the trampoline's x29 */
#define PREEMPT_FRAME 816
/* Below that, when the CPU has SVE: p0..p15 and ffr (17 predicate lengths,
 * in 3 vector lengths), then z0..z31 (32 vector lengths) above them. */
#define PREEMPT_SVE_VLS 35
