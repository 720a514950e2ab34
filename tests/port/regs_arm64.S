// tests/port/regs_arm64.S — regs_switch(save x0, to x1, seed x2) -> mask.
// Loads every callee-saved register (x19-x29, d8-d15) with seed+k, switches
// away through gort_swapctx, and on return reports in x0 one bit per
// register that did not survive (x19.. bit 0.., d8.. bit 11..).
//
// Frame: sp+0 x19..x30 (96 bytes), +96 d8..d15, +160 seed
#include "asm.h"

	.text
FUNC(regs_switch)
	sub	sp, sp, #176
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	str	x2, [sp, #160]
	.irp	n, 19,20,21,22,23,24,25,26,27,28,29
	add	x\n, x2, #\n
	.endr
	.irp	n, 8,9,10,11,12,13,14,15
	add	x9, x2, #(100+\n)
	fmov	d\n, x9
	.endr
	bl	SYM(gort_swapctx)
	ldr	x2, [sp, #160]
	mov	x0, #0
	.irp	n, 19,20,21,22,23,24,25,26,27,28,29
	add	x9, x2, #\n
	cmp	x\n, x9
	b.eq	1f
	orr	x0, x0, #(1 << (\n - 19))
1:
	.endr
	.irp	n, 8,9,10,11,12,13,14,15
	fmov	x10, d\n
	add	x9, x2, #(100+\n)
	cmp	x10, x9
	b.eq	1f
	orr	x0, x0, #(1 << (\n + 3))
1:
	.endr
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #176
	ret
END(regs_switch)


// preempt_regs(in x0, out x1, flags x2): loads every register but sp from
// in (layout: tests/rt/preempt_regs.cpp; xn at word n, qn at word 32+8n,
// fpcr at 31), spins until the word at x16 (the preemption counter)
// reaches x15, with x17 as the one scratch register, and stores every
// register to out. x18 is tested too: gort reserves no register.
// Frame: sp+0 x19..x30, +96 d8..d15, +160 out, +168 caller's fpcr, +176 flags.
	.arch_extension sve
FUNC(preempt_regs)
	sub	sp, sp, #192
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mrs	x3, fpcr
	stp	x1, x3, [sp, #160]
	str	x2, [sp, #176]
	ldr	x3, [x0, #31*8]
	msr	fpcr, x3
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	q\i, [x0, #(32+8*\i)*8]
	.endr
	tbz	x2, #2, 2f
	add	x3, x0, #32*8
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ldr	z\i, [x3, #\i, mul vl]
	.endr
	add	x3, x0, #288*8
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ldr	p\i, [x3, #\i, mul vl]
	.endr
2:	.irp	i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ldr	x\i, [x0, #\i*8]
	.endr
	ldr	x0, [x0]
1:	ldr	x17, [x16]
	cmp	x17, x15
	b.lo	1b
	str	x0, [sp, #-16]!
	ldr	x0, [sp, #16+160]
	.irp	i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	str	x\i, [x0, #\i*8]
	.endr
	ldr	x1, [sp], #16
	str	x1, [x0]
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	q\i, [x0, #(32+8*\i)*8]
	.endr
	ldr	x2, [sp, #176]
	tbz	x2, #2, 2f
	add	x3, x0, #32*8
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	str	z\i, [x3, #\i, mul vl]
	.endr
	add	x3, x0, #288*8
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	str	p\i, [x3, #\i, mul vl]
	.endr
2:
	mrs	x1, fpcr
	str	x1, [x0, #31*8]
	ldr	x1, [sp, #168]
	msr	fpcr, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #192
	ret
END(preempt_regs)

NOTE_GNU_STACK
