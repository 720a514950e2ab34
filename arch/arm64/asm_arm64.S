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

// Async preemption (sysmon's SIGURG): the signal handler pushed 16 bytes
// holding the interrupted pc at [sp] and made this the next instruction;
// x30 and every other register still hold the interrupted values. Frame:
//
//   +800  interrupted pc, pad   (pushed by the handler)
//   +288  q0 .. q31
//   +248  nzcv, fpsr, fpcr
//   +0    x0 .. x30
//
// Returning needs one free register to branch through: x18, which all gort
// code is built never to use (-ffixed-x18; Darwin reserves it anyway).
FUNC(gort_async_preempt)
	sub	sp, sp, #800
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
	str	x0, [sp, #248]
	mrs	x0, fpsr
	str	x0, [sp, #256]
	mrs	x0, fpcr
	str	x0, [sp, #264]
	stp	q0, q1, [sp, #288]
	stp	q2, q3, [sp, #320]
	stp	q4, q5, [sp, #352]
	stp	q6, q7, [sp, #384]
	stp	q8, q9, [sp, #416]
	stp	q10, q11, [sp, #448]
	stp	q12, q13, [sp, #480]
	stp	q14, q15, [sp, #512]
	stp	q16, q17, [sp, #544]
	stp	q18, q19, [sp, #576]
	stp	q20, q21, [sp, #608]
	stp	q22, q23, [sp, #640]
	stp	q24, q25, [sp, #672]
	stp	q26, q27, [sp, #704]
	stp	q28, q29, [sp, #736]
	stp	q30, q31, [sp, #768]
	bl	SYM(gort_async_preempt2)
	ldp	q0, q1, [sp, #288]
	ldp	q2, q3, [sp, #320]
	ldp	q4, q5, [sp, #352]
	ldp	q6, q7, [sp, #384]
	ldp	q8, q9, [sp, #416]
	ldp	q10, q11, [sp, #448]
	ldp	q12, q13, [sp, #480]
	ldp	q14, q15, [sp, #512]
	ldp	q16, q17, [sp, #544]
	ldp	q18, q19, [sp, #576]
	ldp	q20, q21, [sp, #608]
	ldp	q22, q23, [sp, #640]
	ldp	q24, q25, [sp, #672]
	ldp	q26, q27, [sp, #704]
	ldp	q28, q29, [sp, #736]
	ldp	q30, q31, [sp, #768]
	ldr	x0, [sp, #264]
	msr	fpcr, x0
	ldr	x0, [sp, #256]
	msr	fpsr, x0
	ldr	x0, [sp, #248]
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
	add	sp, sp, #800
	ldr	x18, [sp], #16
	br	x18
END(gort_async_preempt)

NOTE_GNU_STACK
