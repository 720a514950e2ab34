// Saved-context frame of gort_swapctx on riscv64, shared by asm_riscv64.S and
// arch_riscv64.cpp (checked there). Offsets from the saved sp.
#pragma once
#define CTX_RA 0     /* where ret resumes */
#define CTX_S0 8     /* s0..s11, 8 bytes each; fresh context: s1 = fn, s2 = arg */
#define CTX_FS0 104  /* fs0..fs11 */
#define CTX_SIZE 208 /* 200 rounded up to 16 */

// Async preemption (gort_async_preempt). The signal handler moves sp
// (16-aligned; riscv64 has no red zone) to a two-word head {interrupted pc,
// interrupted sp}. The trampoline's frame, from its sp (the head at
// +PREEMPT_FRAME, which is also its s0: a frame record's top):
#define PREEMPT_X1 0 /* x1..x31 at (n-1)*8; the sp and tp slots unused */
#define PREEMPT_FCSR 248
#define PREEMPT_F0 256     /* f0..f31, 8 bytes each */
#define PREEMPT_RECORD 512 /* {interrupted s0, interrupted pc}: [s0-16], [s0-8] */
#define PREEMPT_FRAME 528
