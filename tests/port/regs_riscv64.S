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

NOTE_GNU_STACK
