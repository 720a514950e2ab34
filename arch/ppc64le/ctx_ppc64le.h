// Saved-context frame of gort_swapctx on ppc64le, shared by asm_ppc64le.S and
// arch_ppc64le.cpp (checked there). Offsets from the saved sp (r1).
#pragma once
#define CTX_BACKCHAIN 0 /* the caller's sp, as every ELFv2 frame starts */
#define CTX_CR 8        /* cr2..cr4 are callee-saved; the whole cr is kept */
#define CTX_LR 16       /* where the switch returns */
#define CTX_R2 24       /* TOC pointer */
#define CTX_R14 32      /* r14..r31, 8 bytes each; fresh context: r14 = fn, r15 = arg */
#define CTX_R31 168     /* the frame pointer */
#define CTX_F14 176     /* f14..f31 */
#define CTX_V20 320     /* v20..v31, 16 bytes each (16-aligned) */
#define CTX_SIZE 512
// A fresh context's first frame leaves this much above its sp: the ELFv2
// header (back chain, cr, lr, TOC save) fn's prologue writes into.
#define CTX_CALLER_HDR 32

// Async preemption (gort_async_preempt). The signal handler moves r1 below
// the 288-byte red zone, 16-aligned, to a two-word head {interrupted sp,
// interrupted pc} (so the head's first word is a back chain). The
// trampoline's frame, from its r1 (the head at +PREEMPT_FRAME):
#define PREEMPT_HDR 0  /* ELFv2 header: back chain (the head), cr, lr (the callee's), TOC */
#define PREEMPT_GPR 32 /* r0..r31 at 32+8n; the r1 and r13 slots unused */
#define PREEMPT_CR 288 /* all 8 fields */
#define PREEMPT_LR 296
#define PREEMPT_CTR 304
#define PREEMPT_XER 312
#define PREEMPT_VRSAVE 320
#define PREEMPT_FPSCR 328 /* all 64 bits (mffs) */
#define PREEMPT_VSCR 336  /* a quadword (stvx), 16-aligned */
#define PREEMPT_VSR 352   /* vs0..vs63, 16 bytes each (vs0-31 hold f0-f31, vs32-63 v0-v31) */
#define PREEMPT_FRAME 1376
