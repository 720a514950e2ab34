// tests/port/regs_riscv64.S — regs_switch(save a0, to a1, seed a2) -> mask.
// Loads every callee-saved register (s0-s11, fs0-fs11) with seed+k, switches
// away through gort_swapctx, and on return reports in a0 one bit per
// register that did not survive (s0.. bit 0.., fs0.. bit 12..).
//
// Frame: sp+0 ra, +8 s0..s11, +104 fs0..fs11, +200 seed
#include "asm.h"

	.text
FUNC(regs_switch)
	addi	sp, sp, -208
	sd	ra, 0(sp)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, (8+8*\n)(sp)
	fsd	fs\n, (104+8*\n)(sp)
	.endr
	sd	a2, 200(sp)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	addi	s\n, a2, (1+\n)
	addi	t0, a2, (100+\n)
	fmv.d.x	fs\n, t0
	.endr
	call	SYM(gort_swapctx)
	ld	a2, 200(sp)
	li	a0, 0
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	addi	t0, a2, (1+\n)
	beq	s\n, t0, 1f
	li	t2, (1 << \n)
	or	a0, a0, t2
1:	fmv.x.d	t1, fs\n
	addi	t0, a2, (100+\n)
	beq	t1, t0, 2f
	li	t2, (1 << (12+\n))
	or	a0, a0, t2
2:
	.endr
	ld	ra, 0(sp)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, (8+8*\n)(sp)
	fld	fs\n, (104+8*\n)(sp)
	.endr
	addi	sp, sp, 208
	ret
END(regs_switch)


// preempt_regs(in a0, out a1, flags a2): loads every register but sp, gp and
// tp from in (layout: tests/rt/preempt_regs.cpp; xn at word n, fn at word
// 32+8n, fcsr at word 0), spins until the word at t5 (the preemption counter)
// reaches t4, with t0 as the one scratch register (t6, which libgcc uses, is
// checked), and stores every register to out.
// Frame: sp+0 ra, +8 s0..s11, +104 fs0..fs11, +200 out, +208 fcsr.
FUNC(preempt_regs)
	addi	sp, sp, -224
	sd	ra, 0(sp)
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\i, 8+\i*8(sp)
	fsd	fs\i, 104+\i*8(sp)
	.endr
	sd	a1, 200(sp)
	frcsr	t0
	sd	t0, 208(sp)
	ld	t0, 0(a0)
	fscsr	t0
	addi	t0, a0, 32*8
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\i, 8*\i*8(t0)
	.endr
	.irp	i, 1,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\i, \i*8(a0)
	.endr
	ld	a0, 10*8(a0)
1:	ld	t0, 0(t5)
	bltu	t0, t4, 1b
	addi	sp, sp, -16
	sd	a0, 0(sp)
	ld	a0, 16+200(sp)
	.irp	i, 1,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\i, \i*8(a0)
	.endr
	ld	a1, 0(sp)
	addi	sp, sp, 16
	sd	a1, 10*8(a0)
	addi	a2, a0, 32*8
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\i, 8*\i*8(a2)
	.endr
	frcsr	a1
	sd	a1, 0(a0)
	ld	a1, 208(sp)
	fscsr	a1
	ld	ra, 0(sp)
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\i, 8+\i*8(sp)
	fld	fs\i, 104+\i*8(sp)
	.endr
	addi	sp, sp, 224
	ret
END(preempt_regs)

NOTE_GNU_STACK
