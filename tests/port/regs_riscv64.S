// tests/port/regs_riscv64.S — the per-CPU asm of the port conformance suite
// (docs/ports/conformance.md): regs_switch (ctxswitch), preempt_regs
// (rt/preempt_regs), sigctx_probe (port/sigctx), leaf_spin and leaf_trap
// (fatal/leaf_traceback). Each function's picture is above it.
//
// regs_switch(save, to, seed) -> mask.
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


// sigctx_probe(v a0): loads sp = v[0], s0 = v[1], ra = v[2] and t0 = v[4],
// then faults reading [t0] at sigctx_trap. The test's SIGSEGV handler checks
// what the signal's context says about sp, pc, fp and lr, and resumes at
// sigctx_resume with an sp of its choice, which is stored to v[3].
// Frame: sp+0 ra, +8 s0, +16 s1 (the caller's sp), +24 s2 (v).
FUNC(sigctx_probe)
	addi	sp, sp, -32
	sd	ra, 0(sp)
	sd	s0, 8(sp)
	sd	s1, 16(sp)
	sd	s2, 24(sp)
	mv	s1, sp
	mv	s2, a0
	ld	s0, 8(a0)
	ld	ra, 16(a0)
	ld	t0, 32(a0)
	ld	sp, 0(a0)
	.globl	SYM(sigctx_trap)
SYM(sigctx_trap):
	ld	t0, 0(t0)
	.globl	SYM(sigctx_resume)
SYM(sigctx_resume):
	sd	sp, 24(s2)
	mv	sp, s1
	ld	ra, 0(sp)
	ld	s0, 8(sp)
	ld	s1, 16(sp)
	ld	s2, 24(sp)
	addi	sp, sp, 32
	ret
END(sigctx_probe)

// leaf_spin(w a0) and leaf_trap(): true leaves (no frame, no call; the
// return address stays in ra) for the traceback tests. leaf_spin sets w[0]
// and spins until w[1] is nonzero; leaf_trap executes unimp (SIGILL).
FUNC(leaf_spin)
	li	t0, 1
	sw	t0, 0(a0)
1:	lw	t0, 4(a0)
	beqz	t0, 1b
	ret
END(leaf_spin)

FUNC(leaf_trap)
	unimp
	ret
END(leaf_trap)

NOTE_GNU_STACK
