// tests/port/regs_ppc64le.S — the per-CPU asm of the port conformance suite
// (docs/ports/conformance.md): regs_switch (ctxswitch), preempt_regs
// (rt/preempt_regs), sigctx_probe (port/sigctx), leaf_spin and leaf_trap
// (fatal/leaf_traceback). Each function's picture is above it.
//
// regs_switch(save r3, to r4, seed r5) -> mask.
// Loads every callee-saved register (r14-r31, f14-f31, v20-v31 in both
// halves, cr2-cr4) with patterns from seed, switches away through
// gort_swapctx, and on return reports in r3 one bit per register that did
// not survive (r14.. bit 0.., f14.. bit 18.., v20.. bit 36.., cr2-4 bit 48).
// Registers are named by number (VSX: vs32+n is vn).
//
// Frame: r1+0 ELFv2 header, +32 r14..r31, +176 f14..f31, +320 v20..v31,
// +512 cr, +520 seed (528 bytes); the caller's lr at 16 in its frame.
#include "asm.h"

	.text
FUNC(regs_switch)
	mflr	0
	std	0, 16(1)
	stdu	1, -528(1)
	.irp	n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	std	\n, 32+(\n-14)*8(1)
	stfd	\n, 176+(\n-14)*8(1)
	.endr
	.irp	n, 20,21,22,23,24,25,26,27,28,29,30,31
	li	0, 320+(\n-20)*16
	stvx	\n, 1, 0
	.endr
	mfcr	0
	std	0, 512(1)
	std	5, 520(1)
	.irp	n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	addi	0, 5, 100+\n
	mtvsrd	\n, 0
	addi	\n, 5, \n
	.endr
	.irp	n, 20,21,22,23,24,25,26,27,28,29,30,31
	addi	0, 5, 200+\n
	mtvsrd	32+\n, 0
	xxpermdi 32+\n, 32+\n, 32+\n, 0
	.endr
	andi.	0, 5, 0xfff
	sldi	0, 0, 12
	mtcrf	0x38, 0			// cr2, cr3, cr4
	bl	SYM(gort_swapctx)
	nop
	ld	5, 520(1)
	li	3, 0
	.irp	n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	addi	0, 5, \n
	cmpd	\n, 0
	beq	1f
	li	9, 1
	sldi	9, 9, \n-14
	or	3, 3, 9
1:	mfvsrd	6, \n
	addi	0, 5, 100+\n
	cmpd	6, 0
	beq	1f
	li	9, 1
	sldi	9, 9, 18+\n-14
	or	3, 3, 9
1:
	.endr
	.irp	n, 20,21,22,23,24,25,26,27,28,29,30,31
	addi	0, 5, 200+\n
	mfvsrd	6, 32+\n
	cmpd	6, 0
	bne	2f
	xxpermdi 32, 32+\n, 32+\n, 2
	mfvsrd	6, 32
	cmpd	6, 0
	beq	1f
2:	li	9, 1
	sldi	9, 9, 36+\n-20
	or	3, 3, 9
1:
	.endr
	mfcr	6
	andi.	7, 5, 0xfff
	sldi	7, 7, 12
	xor	6, 6, 7
	rlwinm	6, 6, 0, 8, 19		// cr2..cr4
	cmpdi	6, 0
	beq	1f
	li	9, 1
	sldi	9, 9, 48
	or	3, 3, 9
1:	.irp	n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	\n, 32+(\n-14)*8(1)
	lfd	\n, 176+(\n-14)*8(1)
	.endr
	.irp	n, 20,21,22,23,24,25,26,27,28,29,30,31
	li	0, 320+(\n-20)*16
	lvx	\n, 1, 0
	.endr
	ld	0, 512(1)
	mtcrf	0xff, 0
	addi	1, 1, 528
	ld	0, 16(1)
	mtlr	0
	blr
END(regs_switch)


// preempt_regs(in r3, out r4, flags r5): loads every register but r1 and
// r13 from in (layout: tests/rt/preempt_regs.cpp; rn at word n, vsn at word
// 32+2n, cr lr ctr xer vrsave fpscr vscr at words 288..294) — r2, the TOC,
// included — spins until the word at r30 (the preemption counter) reaches
// r29, with r12 as the one scratch register and cr7 the compare's field,
// and stores every register to out. The 288-byte red zone below r1 holds
// a pattern (each word its address, inverted) across the spin: word 295 of
// out counts the words a preemption changed there.
// Frame: +0 header, +32 r14..r31, +176 f14..f31, +320 v20..v31, +512 cr,
// +520 r2, +528 out, +536 vrsave, +544 fpscr, +552 r3 during the stores,
// +560 vscr (576 bytes).
FUNC(preempt_regs)
	mflr	0
	std	0, 16(1)
	stdu	1, -576(1)
	.irp	n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	std	\n, 32+(\n-14)*8(1)
	stfd	\n, 176+(\n-14)*8(1)
	.endr
	.irp	n, 20,21,22,23,24,25,26,27,28,29,30,31
	li	0, 320+(\n-20)*16
	stvx	\n, 1, 0
	.endr
	mfcr	0
	std	0, 512(1)
	std	2, 520(1)
	std	4, 528(1)
	mfspr	0, 256
	std	0, 536(1)
	mffs	0
	stfd	0, 544(1)
	mfvscr	0
	li	12, 560
	stvx	0, 1, 12
	addi	12, 1, -288
	li	0, 36
	mtctr	0
2:	not	0, 12
	std	0, 0(12)
	addi	12, 12, 8
	bdnz	2b
	// The control registers first, through r0, f0 and v0.
	lfd	0, 293*8(3)
	mtfsf	0xff, 0, 1, 0
	li	12, 294*8
	lxvdsx	32, 3, 12
	mtvscr	0
	ld	0, 288*8(3)
	mtcrf	0xff, 0
	ld	0, 289*8(3)
	mtlr	0
	ld	0, 290*8(3)
	mtctr	0
	ld	0, 291*8(3)
	mtxer	0
	ld	0, 292*8(3)
	mtspr	256, 0
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	li	12, (32+2*\i)*8
	lxvd2x	\i, 3, 12
	.endr
	.irp	i, 0,2,4,5,6,7,8,9,10,11,12,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	\i, \i*8(3)
	.endr
	ld	3, 3*8(3)
1:	ld	12, 0(30)
	cmpld	7, 12, 29
	blt	7, 1b
	std	3, 552(1)
	ld	3, 528(1)
	.irp	i, 0,2,4,5,6,7,8,9,10,11,12,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	std	\i, \i*8(3)
	.endr
	ld	0, 552(1)
	std	0, 3*8(3)
	mfcr	0
	std	0, 288*8(3)
	mflr	0
	std	0, 289*8(3)
	mfctr	0
	std	0, 290*8(3)
	mfxer	0
	std	0, 291*8(3)
	mfspr	0, 256
	std	0, 292*8(3)
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
	li	12, (32+2*\i)*8
	stxvd2x	\i, 3, 12
	.endr
	mffs	0
	stfd	0, 293*8(3)
	mfvscr	0
	xxpermdi 32, 32, 32, 2
	mfvsrd	0, 32
	std	0, 294*8(3)
	addi	12, 1, -288
	li	0, 36
	mtctr	0
	li	10, 0
2:	ld	11, 0(12)
	not	11, 11
	cmpd	11, 12
	beq	3f
	addi	10, 10, 1
3:	addi	12, 12, 8
	bdnz	2b
	std	10, 295*8(3)
	// The caller's state back.
	lfd	0, 544(1)
	mtfsf	0xff, 0, 1, 0
	li	12, 560
	lvx	0, 1, 12
	mtvscr	0
	ld	0, 536(1)
	mtspr	256, 0
	ld	2, 520(1)
	ld	0, 512(1)
	mtcrf	0xff, 0
	.irp	n, 14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	\n, 32+(\n-14)*8(1)
	lfd	\n, 176+(\n-14)*8(1)
	.endr
	.irp	n, 20,21,22,23,24,25,26,27,28,29,30,31
	li	0, 320+(\n-20)*16
	lvx	\n, 1, 0
	.endr
	addi	1, 1, 576
	ld	0, 16(1)
	mtlr	0
	blr
END(preempt_regs)

// sigctx_probe(v r3): loads sp (r1) = v[0], the frame pointer (r31) = v[1],
// lr = v[2] and r4 = v[4], then faults reading [r4] at sigctx_trap. The
// test's SIGSEGV handler checks what the signal's context says about sp, pc,
// fp and lr, and resumes at sigctx_resume with an sp of its choice, which
// is stored to v[3]. r29 (v), r30 (the caller's sp) and r31 are kept in
// the caller's red zone (ELFv2: 288 bytes below r1 are the function's), lr
// in the caller's frame (16).
FUNC(sigctx_probe)
	std	29,-24(1)
	std	30,-16(1)
	std	31,-8(1)
	mflr	0
	std	0,16(1)
	mr	30,1
	mr	29,3
	ld	0,16(3)
	mtlr	0
	ld	31,8(3)
	ld	4,32(3)
	ld	1,0(3)
	.globl	SYM(sigctx_trap)
SYM(sigctx_trap):
	ld	4,0(4)
	.globl	SYM(sigctx_resume)
SYM(sigctx_resume):
	std	1,24(29)
	mr	1,30
	ld	0,16(1)
	mtlr	0
	ld	29,-24(1)
	ld	30,-16(1)
	ld	31,-8(1)
	blr
END(sigctx_probe)

// leaf_spin(w r3) and leaf_trap(): true leaves (no frame, lr not saved: the
// return address stays in lr) for the traceback tests. leaf_spin sets w[0]
// and spins until w[1] is nonzero; leaf_trap executes an all-zero word
// (an illegal instruction: SIGILL).
FUNC(leaf_spin)
	li	4,1
	stw	4,0(3)
1:	lwz	4,4(3)
	cmpwi	4,0
	beq	1b
	blr
END(leaf_spin)

FUNC(leaf_trap)
	.long	0x00000001
	blr
END(leaf_trap)


NOTE_GNU_STACK
