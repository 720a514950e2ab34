// arch/ppc64le/asm_ppc64le.S — context switch and async preemption (ELFv2).
//
// Registers: r1 sp (its first word the back chain), r2 TOC pointer, r13
// thread pointer (never saved or restored here: a goroutine may resume on
// another thread), r31 gcc's frame pointer. ELFv2 callee-saved: r14-r31,
// f14-f31, v20-v31, cr2-cr4. Every frame starts with a 32-byte header:
// back chain, cr save, lr save (written by the callee), TOC save.
//
// gort_swapctx(void **save_sp /* r3 */, void *new_sp /* r4 */)
// Saved frame, from the saved sp (512 bytes, 16-aligned; ctx_ppc64le.h):
//
//   +320 v20 .. v31      16 bytes each
//   +176 f14 .. f31
//   + 32 r14 .. r31      (fresh context: r14 = fn, r15 = arg)
//   + 24 r2   + 16 lr (where the switch returns)   + 8 cr   + 0 back chain
#include "asm.h"
#include "ctx_ppc64le.h"

	.text
FUNC(gort_swapctx)
	mflr	%r0
	stdu	%r1, -CTX_SIZE(%r1)
	std	%r0, CTX_LR(%r1)
	mfcr	%r0
	std	%r0, CTX_CR(%r1)
	std	%r2, CTX_R2(%r1)
	.irp	n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	std	%r\n, CTX_R14+(\n-14)*8(%r1)
	stfd	%f\n, CTX_F14+(\n-14)*8(%r1)
	.endr
	.irp	n, 20,21,22,23,24,25,26,27,28,29,30,31
	li	%r0, CTX_V20+(\n-20)*16
	stvx	%v\n, %r1, %r0
	.endr
	std	%r1, 0(%r3)
	mr	%r1, %r4
	.irp	n, 20,21,22,23,24,25,26,27,28,29,30,31
	li	%r0, CTX_V20+(\n-20)*16
	lvx	%v\n, %r1, %r0
	.endr
	.irp	n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	%r\n, CTX_R14+(\n-14)*8(%r1)
	lfd	%f\n, CTX_F14+(\n-14)*8(%r1)
	.endr
	ld	%r2, CTX_R2(%r1)
	ld	%r0, CTX_CR(%r1)
	mtcrf	0xff, %r0
	ld	%r0, CTX_LR(%r1)
	mtlr	%r0
	addi	%r1, %r1, CTX_SIZE
	blr
END(gort_swapctx)

// First code of a fresh context: fn(arg) from r14/r15, called through ctr
// with r12 = fn (an ELFv2 global entry computes its TOC from r12). r1 leaves
// fn the header above it (arch_makectx), whose back chain 0 ends tracebacks.
FUNC(gort_ctxstart)
	mr	%r3, %r15
	mr	%r12, %r14
	mtctr	%r12
	bctrl
	bl	SYM(gort_ctx_returned)
	nop
	trap
END(gort_ctxstart)

// Async preemption (sysmon's SIGURG). The handler (arch_preempt_push) left
// every register as the interrupted code had it but r1 and pc: r1 points to
// the head {interrupted sp, interrupted pc}, below the 288-byte red zone.
// Frame (ctx_ppc64le.h), from r1:
//
//   +1376 head: interrupted sp (a back chain), interrupted pc
//   +352  vs0 .. vs63 (16 bytes each; f0-f31 are vs0-31's first halves,
//         v0-v31 are vs32-63)
//   +336  vscr (a quadword)
//   +288  cr, lr, ctr, xer, vrsave, fpscr
//   +32   r0 .. r31 at 32+8n (the r1 and r13 slots unused)
//   +0    ELFv2 header: back chain (the head), cr, lr, TOC save, which
//         gort_async_preempt2 writes into (its lr save is the traceback's
//         link to gort_async_preempt_ret)
//
// r13 is neither saved nor restored: it is the thread pointer, and the
// goroutine may resume on another thread. Before the call the trampoline
// loads its own TOC (the interrupted code's r2 may be anything) and a clean
// FPSCR (round to nearest, no exception enabled: what the ABI lets the
// scheduler assume).
//
// Return: every POWER branch to a computed address goes through lr or ctr,
// both live in the interrupted code. So, with every other register restored
// and r1 back at the head, an illegal instruction (gort_async_preempt_trap);
// the runtime's SIGILL handler sets pc and r1 from the head and the kernel's
// sigreturn restores all registers at once (gp_regs, fp_regs, VMX with vscr
// and vrsave, the VSX halves), r13 as the current thread has it.
FUNC(gort_async_preempt)
	stdu	%r1, -PREEMPT_FRAME(%r1)
	.irp	n, 0,2,3,4,5,6,7,8,9,10,11,12,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	std	%r\n, PREEMPT_GPR+\n*8(%r1)
	.endr
	mfcr	%r0
	std	%r0, PREEMPT_CR(%r1)
	mflr	%r0
	std	%r0, PREEMPT_LR(%r1)
	mfctr	%r0
	std	%r0, PREEMPT_CTR(%r1)
	mfxer	%r0
	std	%r0, PREEMPT_XER(%r1)
	mfspr	%r0, 256		// vrsave
	std	%r0, PREEMPT_VRSAVE(%r1)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	li	%r12, PREEMPT_VSR+\n*16
	stxvd2x	%vs\n, %r1, %r12
	.endr
	mffs	%f0
	stfd	%f0, PREEMPT_FPSCR(%r1)
	mfvscr	%v0
	li	%r12, PREEMPT_VSCR
	stvx	%v0, %r1, %r12
	xxlxor	%vs0, %vs0, %vs0
	mtfsf	0xff, %f0, 1, 0
	bcl	20, 31, 1f
1:	mflr	%r12
	addis	%r2, %r12, (.TOC.-1b)@ha
	addi	%r2, %r2, (.TOC.-1b)@l
	bl	SYM(gort_async_preempt2)
	.globl	SYM(gort_async_preempt_ret)
SYM(gort_async_preempt_ret):
	nop
	li	%r12, PREEMPT_VSCR
	lvx	%v0, %r1, %r12
	mtvscr	%v0
	lfd	%f0, PREEMPT_FPSCR(%r1)
	mtfsf	0xff, %f0, 1, 0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	li	%r12, PREEMPT_VSR+\n*16
	lxvd2x	%vs\n, %r1, %r12
	.endr
	ld	%r0, PREEMPT_CR(%r1)
	mtcrf	0xff, %r0
	ld	%r0, PREEMPT_LR(%r1)
	mtlr	%r0
	ld	%r0, PREEMPT_CTR(%r1)
	mtctr	%r0
	ld	%r0, PREEMPT_XER(%r1)
	mtxer	%r0
	ld	%r0, PREEMPT_VRSAVE(%r1)
	mtspr	256, %r0
	.irp	n, 0,2,3,4,5,6,7,8,9,10,11,12,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	%r\n, PREEMPT_GPR+\n*8(%r1)
	.endr
	addi	%r1, %r1, PREEMPT_FRAME
	.globl	SYM(gort_async_preempt_trap)
SYM(gort_async_preempt_trap):
	.long	0			// an illegal instruction: SIGILL
	.globl	SYM(gort_async_preempt_end)
SYM(gort_async_preempt_end):
END(gort_async_preempt)

NOTE_GNU_STACK
