// tests/port/regs_arm64.S — the per-CPU asm of the port conformance suite
// (docs/ports/conformance.md): regs_switch (ctxswitch), preempt_regs
// (rt/preempt_regs), sigctx_probe (port/sigctx), leaf_spin and leaf_trap
// (fatal/leaf_traceback). Each function's picture is above it.
//
// regs_switch(save, to, seed) -> mask.
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


// preempt_regs(in x0, out x1, flags x2, red zone bytes x3): loads every
// register but sp from in (layout: tests/rt/preempt_regs.cpp; xn at word n,
// qn at word 32+8n, fpcr at 31, nzcv at 322, fpsr at 323), fills the x3
// bytes below sp (the OS's red zone: 0 on Linux, 128 on Darwin) from word
// 306 on, spins until the word at x16 (the preemption counter) reaches x15,
// with x17 as the one scratch register (count - target at the end), and
// stores every register, nzcv, fpsr and the red zone to out. The spin sets
// no flag (sub, tbnz), so nzcv stays live across every preemption. x18 is
// tested too: gort reserves no register.
// Frame: sp+0 x19..x30, +96 d8..d15, +160 out, +168 caller's fpcr, +176 flags,
// +184 red zone bytes; while storing, sp sits 144 bytes lower so the
// stores miss the red zone.
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
	mrs	x4, fpcr
	stp	x1, x4, [sp, #160]
	stp	x2, x3, [sp, #176]
	add	x4, x0, #306*8
	mov	x5, sp
1:	cbz	x3, 3f
	ldr	x6, [x4], #8
	str	x6, [x5, #-8]!
	sub	x3, x3, #8
	b	1b
3:	ldr	x3, [x0, #31*8]
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
2:	ldr	x3, [x0, #322*8]
	msr	nzcv, x3
	ldr	x3, [x0, #323*8]
	msr	fpsr, x3
	.irp	i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	ldr	x\i, [x0, #\i*8]
	.endr
	ldr	x0, [x0]
1:	ldr	x17, [x16]
	sub	x17, x17, x15
	tbnz	x17, #63, 1b
	sub	sp, sp, #144
	str	x0, [sp, #-16]!
	ldr	x0, [sp, #16+144+160]
	.irp	i, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	str	x\i, [x0, #\i*8]
	.endr
	ldr	x1, [sp], #16
	str	x1, [x0]
	mrs	x1, nzcv
	str	x1, [x0, #322*8]
	mrs	x1, fpsr
	str	x1, [x0, #323*8]
	add	sp, sp, #144
	ldr	x3, [sp, #184]
	add	x4, x0, #306*8
	mov	x5, sp
1:	cbz	x3, 3f
	ldr	x6, [x5, #-8]!
	str	x6, [x4], #8
	sub	x3, x3, #8
	b	1b
3:
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


// sigctx_probe(v x0): loads sp = v[0], x29 = v[1], x30 = v[2] and x1 = v[4],
// then faults reading [x1] at sigctx_trap. The test's SIGSEGV handler checks
// what the signal's context says about sp, pc, fp and lr, and resumes at
// sigctx_resume with an sp of its choice, which is stored to v[3].
// Frame: sp+0 x29, x30, +16 x19 (the caller's sp), x20 (v).
FUNC(sigctx_probe)
	stp	x29, x30, [sp, #-32]!
	stp	x19, x20, [sp, #16]
	mov	x19, sp
	mov	x20, x0
	ldr	x29, [x0, #8]
	ldr	x30, [x0, #16]
	ldr	x1, [x0, #0]
	mov	sp, x1
	ldr	x1, [x0, #32]
	.globl	SYM(sigctx_trap)
SYM(sigctx_trap):
	ldr	x1, [x1]
	.globl	SYM(sigctx_resume)
SYM(sigctx_resume):
	mov	x1, sp
	str	x1, [x20, #24]
	mov	sp, x19
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
END(sigctx_probe)

// leaf_spin(w x0) and leaf_trap(): true leaves (no frame record, no call;
// the return address stays in x30) for the traceback tests. leaf_spin sets
// w[0] and spins until w[1] is nonzero; leaf_trap executes udf (SIGILL).
FUNC(leaf_spin)
	mov	w1, #1
	str	w1, [x0]
1:	ldr	w1, [x0, #4]
	cbz	w1, 1b
	ret
END(leaf_spin)

FUNC(leaf_trap)
	udf	#0x11
	ret
END(leaf_trap)

NOTE_GNU_STACK
