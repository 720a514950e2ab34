// tests/port/regs_s390x.S — the per-CPU asm of the port conformance suite
// (docs/ports/conformance.md): regs_switch (ctxswitch), preempt_regs
// (rt/preempt_regs), sigctx_probe (port/sigctx), leaf_spin and leaf_trap
// (fatal/leaf_traceback). Each function's picture is above it.
//
// regs_switch(save r2, to r3, seed r4) -> mask.
// Loads every callee-saved register (r6-r13, f8-f15) with seed+k, switches
// away through gort_swapctx, and on return reports in r2 one bit per
// register that did not survive (r6.. bit 0.., f8.. bit 8..).
//
// Frame (below the caller's save area, where r6-r15 go as the ABI says):
// sp+0 gort_swapctx's save area, +160 f8..f15, +224 seed.
#include "asm.h"

	.text
FUNC(regs_switch)
	stmg	%r6,%r15,48(%r15)
	lay	%r15,-232(%r15)
	.irp	n, 8,9,10,11,12,13,14,15
	std	%f\n, 160+(\n-8)*8(%r15)
	.endr
	stg	%r4,224(%r15)
	.irp	n, 6,7,8,9,10,11,12,13
	la	%r\n, \n(%r4)
	.endr
	.irp	n, 8,9,10,11,12,13,14,15
	la	%r1, 100+\n(%r4)
	ldgr	%f\n, %r1
	.endr
	brasl	%r14,SYM(gort_swapctx)
	lg	%r4,224(%r15)
	lghi	%r2,0
	.irp	n, 6,7,8,9,10,11,12,13
	la	%r1, \n(%r4)
	cgr	%r\n, %r1
	je	1f
	oill	%r2, 1 << (\n-6)
1:
	.endr
	.irp	n, 8,9,10,11,12,13,14,15
	lgdr	%r0, %f\n
	la	%r1, 100+\n(%r4)
	cgr	%r0, %r1
	je	2f
	oill	%r2, 1 << \n
2:
	.endr
	.irp	n, 8,9,10,11,12,13,14,15
	ld	%f\n, 160+(\n-8)*8(%r15)
	.endr
	lmg	%r6,%r15,232+48(%r15)
	br	%r14
END(regs_switch)

// preempt_regs(in r2, out r3, flags r4): loads every register but r15 (sp)
// and a0/a1 (the thread pointer) from in (layout: tests/rt/preempt_regs.cpp;
// rn at word n, fpc and the program mask in the low halves of words 16 and
// 17, a2..a15 in those of words 18..31, vn at words 32+8n and 33+8n with
// flags bit 0, else fn at word 32+8n), spins until the word at r12 (the
// preemption counter) reaches r13, with r0 as the one scratch register and
// a compare and branch whose condition code a preemption may fall between,
// and stores every register to out. The 160 bytes at its sp, which an
// interrupted function's callee (or a leaf without a frame) owns and the
// trampoline must not touch, hold a copy of words 32..51 of in meanwhile;
// out's word 286 is 1 if they changed.
//
// Frame: sp+0 save area, +160 f8..f15, +224 out, +232 fpc, +236 the
// caller's program mask, +240 a2..a15, +296 flags, +304 r0..r14 spilled,
// +424 in.
#define F 432
	.machine push
	.machine z13
FUNC(preempt_regs)
	stmg	%r6,%r15,48(%r15)
	lay	%r15,-F(%r15)
	.irp	i, 8,9,10,11,12,13,14,15
	std	%f\i, 160+(\i-8)*8(%r15)
	.endr
	stg	%r3,224(%r15)
	stfpc	232(%r15)
	ipm	%r0
	st	%r0,236(%r15)
	stam	%a2,%a15,240(%r15)
	stg	%r4,296(%r15)
	stg	%r2,424(%r15)
	mvc	0(160,%r15),32*8(%r2)
	lfpc	16*8+4(%r2)
	.irp	i, 2,3,4,5,6,7,8,9,10,11,12,13,14,15
	l	%r0, (16+\i)*8+4(%r2)
	sar	%a\i, %r0
	.endr
	tmll	%r4,1
	jz	1f
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	vl	%v\i, (32+8*\i)*8(%r2)
	.endr
	j	2f
1:	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ld	%f\i, (32+8*\i)*8(%r2)
	.endr
2:	l	%r0, 17*8+4(%r2)
	spm	%r0
	lmg	%r0,%r14,0(%r2)
3:	lg	%r0,0(%r12)
	clgr	%r0,%r13
	jl	3b
	stmg	%r0,%r14,304(%r15)
	ipm	%r0
	lg	%r1,224(%r15)
	mvc	0(120,%r1),304(%r15)
	st	%r0, 17*8+4(%r1)
	stfpc	16*8+4(%r1)
	.irp	i, 2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ear	%r0, %a\i
	st	%r0, (16+\i)*8+4(%r1)
	.endr
	lg	%r0,296(%r15)
	tmll	%r0,1
	jz	4f
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	vst	%v\i, (32+8*\i)*8(%r1)
	.endr
	j	5f
4:	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	std	%f\i, (32+8*\i)*8(%r1)
	.endr
5:	lg	%r2,424(%r15)
	lghi	%r0,0
	clc	0(160,%r15),32*8(%r2)
	je	6f
	lghi	%r0,1
6:	stg	%r0,286*8(%r1)
	lfpc	232(%r15)
	l	%r0,236(%r15)
	spm	%r0
	lam	%a2,%a15,240(%r15)
	.irp	i, 8,9,10,11,12,13,14,15
	ld	%f\i, 160+(\i-8)*8(%r15)
	.endr
	lmg	%r6,%r15,F+48(%r15)
	br	%r14
END(preempt_regs)
	.machine pop

// sigctx_probe(v r2): loads sp (r15, also the frame pointer the port reads)
// = v[0], r14 = v[2] and r1 = v[4], then faults reading [r1] at sigctx_trap.
// The test's SIGSEGV handler checks what the signal's context says about sp,
// pc and lr, and resumes at sigctx_resume with an sp of its choice, which
// is stored to v[3]. r6-r15 go to the caller's save area, as the ABI says;
// r6 keeps the caller's sp, r7 keeps v.
FUNC(sigctx_probe)
	stmg	%r6,%r15,48(%r15)
	lgr	%r6,%r15
	lgr	%r7,%r2
	lg	%r14,16(%r2)
	lg	%r1,32(%r2)
	lg	%r15,0(%r2)
	.globl	SYM(sigctx_trap)
SYM(sigctx_trap):
	lg	%r1,0(%r1)
	.globl	SYM(sigctx_resume)
SYM(sigctx_resume):
	stg	%r15,24(%r7)
	lgr	%r15,%r6
	lmg	%r6,%r15,48(%r15)
	br	%r14
END(sigctx_probe)

// leaf_spin(w r2) and leaf_trap(): true leaves (no frame, no save of r14;
// the return address stays in r14) for the traceback tests. leaf_spin sets
// w[0] and spins until w[1] is nonzero; leaf_trap executes opcode 0 (SIGILL).
FUNC(leaf_spin)
	mvhi	0(%r2),1
1:	lt	%r0,4(%r2)
	jz	1b
	br	%r14
END(leaf_spin)

FUNC(leaf_trap)
	.hword	0
	br	%r14
END(leaf_trap)


NOTE_GNU_STACK
