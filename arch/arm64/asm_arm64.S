// arch/arm64/asm_arm64.S — context switch (AAPCS64).
//
// gort_swapctx(void **save_sp /* x0 */, void *new_sp /* x1 */)
// Saved frame, from the saved sp (160 bytes, 16-aligned):
//
//   +144 d14 d15
//   +128 d12 d13
//   +112 d10 d11
//   + 96 d8  d9          callee-saved FP (low 64 bits of v8..v15)
//   + 80 x29 x30         frame pointer, lr: ret resumes at x30
//   + 64 x27 x28
//   + 48 x25 x26
//   + 32 x23 x24
//   + 16 x21 x22
//   +  0 x19 x20         (fresh context: x19 = fn, x20 = arg)
#include "asm.h"
#include "ctx_arm64.h"

#if defined(__APPLE__)
#define PAGE(x) SYM(x)@PAGE
#define PAGEOFF(x) SYM(x)@PAGEOFF
#else
#define PAGE(x) x
#define PAGEOFF(x) :lo12:x
#endif

	.text
FUNC(gort_swapctx)
	sub	sp, sp, #CTX_SIZE
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #CTX_X29]
	stp	d8, d9, [sp, #CTX_D8]
	stp	d10, d11, [sp, #CTX_D8+16]
	stp	d12, d13, [sp, #CTX_D8+32]
	stp	d14, d15, [sp, #CTX_D8+48]
	mov	x2, sp
	str	x2, [x0]
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #CTX_X29]
	ldp	d8, d9, [sp, #CTX_D8]
	ldp	d10, d11, [sp, #CTX_D8+16]
	ldp	d12, d13, [sp, #CTX_D8+32]
	ldp	d14, d15, [sp, #CTX_D8+48]
	add	sp, sp, #CTX_SIZE
	ret
END(gort_swapctx)

// First code of a fresh context: fn(arg) from x19/x20. fn must not return.
FUNC(gort_ctxstart)
	mov	x0, x20
	blr	x19
	bl	SYM(gort_ctx_returned)
	brk	#0
END(gort_ctxstart)

// Async preemption (sysmon's SIGURG). The handler (arch_preempt_push) left
// every register as the interrupted code had it but sp and pc: sp points to
// the head {interrupted pc, interrupted sp}, below the red zone. Frame
// (ctx_arm64.h), from sp:
//
//   +816  head: interrupted pc, interrupted sp
//   +800  frame record {interrupted x29, interrupted pc}  <- x29 while in gosched
//   +288  q0 .. q31
//   +248  nzcv, fpsr, fpcr
//   +0    x0 .. x30
//   below: with SVE (gort_arm64_sve), p0..p15, ffr (3 vector lengths), then
//          z0..z31 above them
//
// Return: with every register restored and sp back at the head, an undefined
// instruction (gort_async_preempt_trap); the runtime's SIGILL handler sets pc
// and sp from the head and the kernel's sigreturn restores all registers at
// once. No register is reserved: x18 is saved and restored like the rest.
// The thread pointer, tpidr_el0, is not in the signal context: it stays the
// current thread's when the goroutine resumes on another.
	.arch_extension sve
FUNC(gort_async_preempt)
	sub	sp, sp, #PREEMPT_FRAME
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	mrs	x0, nzcv
	str	x0, [sp, #PREEMPT_NZCV]
	mrs	x0, fpsr
	str	x0, [sp, #PREEMPT_NZCV+8]
	mrs	x0, fpcr
	str	x0, [sp, #PREEMPT_NZCV+16]
	stp	q0, q1, [sp, #PREEMPT_Q0]
	stp	q2, q3, [sp, #PREEMPT_Q0+32]
	stp	q4, q5, [sp, #PREEMPT_Q0+64]
	stp	q6, q7, [sp, #PREEMPT_Q0+96]
	stp	q8, q9, [sp, #PREEMPT_Q0+128]
	stp	q10, q11, [sp, #PREEMPT_Q0+160]
	stp	q12, q13, [sp, #PREEMPT_Q0+192]
	stp	q14, q15, [sp, #PREEMPT_Q0+224]
	stp	q16, q17, [sp, #PREEMPT_Q0+256]
	stp	q18, q19, [sp, #PREEMPT_Q0+288]
	stp	q20, q21, [sp, #PREEMPT_Q0+320]
	stp	q22, q23, [sp, #PREEMPT_Q0+352]
	stp	q24, q25, [sp, #PREEMPT_Q0+384]
	stp	q26, q27, [sp, #PREEMPT_Q0+416]
	stp	q28, q29, [sp, #PREEMPT_Q0+448]
	stp	q30, q31, [sp, #PREEMPT_Q0+480]
	ldr	x1, [sp, #PREEMPT_FRAME]
	add	x2, sp, #PREEMPT_RECORD
	stp	x29, x1, [x2]
	mov	x29, x2
	adrp	x0, PAGE(gort_arm64_sve)
	ldr	x0, [x0, PAGEOFF(gort_arm64_sve)]
	cbz	x0, 1f
	addvl	sp, sp, #-32
	addvl	sp, sp, #-(PREEMPT_SVE_VLS-32)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\n, [sp, #(3+\n), mul vl]
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\n, [sp, #\n, mul vl]
	.endr
	rdffr	p0.b
	str	p0, [sp, #16, mul vl]
1:	bl	SYM(gort_async_preempt2)
	.globl	SYM(gort_async_preempt_ret)
SYM(gort_async_preempt_ret):
	adrp	x0, PAGE(gort_arm64_sve)
	ldr	x0, [x0, PAGEOFF(gort_arm64_sve)]
	cbz	x0, 1f
	// Restoring q would clear the z registers' upper bits: z holds them all.
	ldr	p0, [sp, #16, mul vl]
	wrffr	p0.b
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\n, [sp, #\n, mul vl]
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\n, [sp, #(3+\n), mul vl]
	.endr
	addvl	sp, sp, #(PREEMPT_SVE_VLS-32)
	addvl	sp, sp, #16
	addvl	sp, sp, #16
	b	2f
1:	ldp	q0, q1, [sp, #PREEMPT_Q0]
	ldp	q2, q3, [sp, #PREEMPT_Q0+32]
	ldp	q4, q5, [sp, #PREEMPT_Q0+64]
	ldp	q6, q7, [sp, #PREEMPT_Q0+96]
	ldp	q8, q9, [sp, #PREEMPT_Q0+128]
	ldp	q10, q11, [sp, #PREEMPT_Q0+160]
	ldp	q12, q13, [sp, #PREEMPT_Q0+192]
	ldp	q14, q15, [sp, #PREEMPT_Q0+224]
	ldp	q16, q17, [sp, #PREEMPT_Q0+256]
	ldp	q18, q19, [sp, #PREEMPT_Q0+288]
	ldp	q20, q21, [sp, #PREEMPT_Q0+320]
	ldp	q22, q23, [sp, #PREEMPT_Q0+352]
	ldp	q24, q25, [sp, #PREEMPT_Q0+384]
	ldp	q26, q27, [sp, #PREEMPT_Q0+416]
	ldp	q28, q29, [sp, #PREEMPT_Q0+448]
	ldp	q30, q31, [sp, #PREEMPT_Q0+480]
2:	ldr	x0, [sp, #PREEMPT_NZCV+16]
	msr	fpcr, x0
	ldr	x0, [sp, #PREEMPT_NZCV+8]
	msr	fpsr, x0
	ldr	x0, [sp, #PREEMPT_NZCV]
	msr	nzcv, x0
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	add	sp, sp, #PREEMPT_FRAME
	.globl	SYM(gort_async_preempt_trap)
SYM(gort_async_preempt_trap):
	udf	#0x4747
	.globl	SYM(gort_async_preempt_end)
SYM(gort_async_preempt_end):
END(gort_async_preempt)

NOTE_GNU_STACK
