// tests/port/regs_amd64.S — the per-CPU asm of the port conformance suite
// (docs/ports/conformance.md): regs_switch (ctxswitch), preempt_regs
// (rt/preempt_regs), sigctx_probe (port/sigctx), leaf_spin and leaf_trap
// (fatal/leaf_traceback). Each function's picture is above it.
//
// regs_switch(save, to, seed) -> mask.
// Loads every callee-saved register (rbx rbp r12-r15) and the MXCSR rounding
// mode with values derived from seed, switches away through gort_swapctx,
// and on return reports in rax one bit per register that did not survive.
//
// Frame (after the six pushes):  rsp+0 seed, +8 caller's MXCSR, +16 scratch
#include "asm.h"

	.text
FUNC(regs_switch)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$24, %rsp
	movq	%rdx, 0(%rsp)
	stmxcsr	8(%rsp)
	movq	%rdx, %rbx
	leaq	1(%rdx), %rbp
	leaq	2(%rdx), %r12
	leaq	3(%rdx), %r13
	leaq	4(%rdx), %r14
	leaq	5(%rdx), %r15
	movl	%edx, %eax
	andl	$3, %eax
	shll	$13, %eax
	orl	$0x1f80, %eax
	movl	%eax, 16(%rsp)
	ldmxcsr	16(%rsp)
	callq	SYM(gort_swapctx)
	movq	0(%rsp), %rdx
	xorl	%eax, %eax
	.macro	check reg, off, bit
	leaq	\off(%rdx), %rcx
	cmpq	%rcx, \reg
	je	1f
	orl	$\bit, %eax
1:
	.endm
	check	%rbx, 0, 1
	check	%rbp, 1, 2
	check	%r12, 2, 4
	check	%r13, 3, 8
	check	%r14, 4, 16
	check	%r15, 5, 32
	stmxcsr	16(%rsp)
	movl	16(%rsp), %ecx
	andl	$0x6000, %ecx
	movl	%edx, %esi
	andl	$3, %esi
	shll	$13, %esi
	cmpl	%esi, %ecx
	je	1f
	orl	$64, %eax
1:	ldmxcsr	8(%rsp)
	addq	$24, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
END(regs_switch)


// preempt_regs(in rdi, out rsi, flags edx): loads every register from in
// (layout: tests/rt/preempt_regs.cpp), fills the 128-byte red zone below
// rsp with in[306..321], loads rflags' status bits and DF from in[31], spins
// until the word at in[4] (the preemption counter, which rsi then holds)
// reaches -in[3] (rdx holds minus the target), and stores every register,
// rflags and the red zone to out. The spin sets no flag (lea, bswap, movzx,
// jrcxz), so rflags stays live across every preemption; rcx is its one
// scratch register (0 at the end). flags: 1 = ymm, 2 = zmm0-31 and k0-7.
// Frame: rsp+0 out, +8 flags, +16 caller's MXCSR and x87 control word;
// while storing, rsp sits 144 bytes lower so the pushes miss the red zone.
	.macro	vecs op, base, n, width, reg
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	\op	32*8+64*\i(\base), %\reg\i
	.endr
	.endm
	.macro	vecs_out op, base, reg
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	\op	%\reg\i, 32*8+64*\i(\base)
	.endr
	.endm
FUNC(preempt_regs)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$24, %rsp
	movq	%rsi, 0(%rsp)
	movq	%rdx, 8(%rsp)
	stmxcsr	16(%rsp)
	fnstcw	20(%rsp)
	fninit
	.irp	i, 296,297,298,299,300,301,302,303
	fildq	\i*8(%rdi)
	.endr
	fldcw	305*8(%rdi)
	ldmxcsr	304*8(%rdi)
	testl	$2, %edx
	jz	1f
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	vmovdqu64 32*8+64*\i(%rdi), %zmm\i
	.endr
	.irp	i, 0,1,2,3,4,5,6,7
	kmovw	(288+\i)*8(%rdi), %k\i
	.endr
	jmp	3f
1:	testl	$1, %edx
	jz	2f
	vecs	vmovdqu, %rdi, 16, 32, ymm
	jmp	3f
2:	vecs	movdqu, %rdi, 16, 16, xmm
3:	pushq	31*8(%rdi)		// before the red zone is filled: pushq writes there
	popfq
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movq	(306+\i)*8(%rdi), %rax
	movq	%rax, -128+8*\i(%rsp)
	.endr
	movq	0*8(%rdi), %rax
	movq	1*8(%rdi), %rbx
	movq	2*8(%rdi), %rcx
	movq	3*8(%rdi), %rdx
	movq	4*8(%rdi), %rsi
	movq	6*8(%rdi), %rbp
	movq	7*8(%rdi), %r8
	movq	8*8(%rdi), %r9
	movq	9*8(%rdi), %r10
	movq	10*8(%rdi), %r11
	movq	11*8(%rdi), %r12
	movq	12*8(%rdi), %r13
	movq	13*8(%rdi), %r14
	movq	14*8(%rdi), %r15
	movq	5*8(%rdi), %rdi
4:	movq	(%rsi), %rcx
	leaq	(%rcx,%rdx), %rcx	// count - target: negative until reached
	bswapq	%rcx			// its sign byte to the bottom
	movzbl	%cl, %ecx
	jrcxz	5f
	jmp	4b
5:	leaq	-144(%rsp), %rsp	// lea: no flag changes
	pushfq
	pushq	%rax
	movq	160(%rsp), %rax
	movq	%rbx, 1*8(%rax)
	movq	%rcx, 2*8(%rax)
	movq	%rdx, 3*8(%rax)
	movq	%rsi, 4*8(%rax)
	movq	%rdi, 5*8(%rax)
	movq	%rbp, 6*8(%rax)
	movq	%r8, 7*8(%rax)
	movq	%r9, 8*8(%rax)
	movq	%r10, 9*8(%rax)
	movq	%r11, 10*8(%rax)
	movq	%r12, 11*8(%rax)
	movq	%r13, 12*8(%rax)
	movq	%r14, 13*8(%rax)
	movq	%r15, 14*8(%rax)
	popq	%rcx
	movq	%rcx, 0*8(%rax)
	popq	%rcx
	movq	%rcx, 31*8(%rax)
	cld
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movq	16+8*\i(%rsp), %rcx
	movq	%rcx, (306+\i)*8(%rax)
	.endr
	leaq	144(%rsp), %rsp
	movl	8(%rsp), %edx
	testl	$2, %edx
	jz	1f
	.irp	i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	vmovdqu64 %zmm\i, 32*8+64*\i(%rax)
	.endr
	.irp	i, 0,1,2,3,4,5,6,7
	kmovw	%k\i, %ecx
	movq	%rcx, (288+\i)*8(%rax)
	.endr
	vzeroupper
	jmp	3f
1:	testl	$1, %edx
	jz	2f
	vecs_out vmovdqu, %rax, ymm
	vzeroupper
	jmp	3f
2:	vecs_out movdqu, %rax, xmm
3:	stmxcsr	304*8(%rax)
	fnstcw	305*8(%rax)
	.irp	i, 303,302,301,300,299,298,297,296
	fistpq	\i*8(%rax)
	.endr
	ldmxcsr	16(%rsp)
	fldcw	20(%rsp)
	addq	$24, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
END(preempt_regs)


// sigctx_probe(v rdi): loads sp = v[0], rbp = v[1] and rax = v[4], then
// faults reading [rax] at sigctx_trap. The test's SIGSEGV handler checks what
// the signal's context says about sp, pc and fp, and resumes at
// sigctx_resume with an sp of its choice, which is stored to v[3].
// Frame: the caller's rbp, rbx (its sp) and r12 (v) pushed.
FUNC(sigctx_probe)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	movq	%rsp, %rbx
	movq	%rdi, %r12
	movq	8(%rdi), %rbp
	movq	32(%rdi), %rax
	movq	0(%rdi), %rsp
	.globl	SYM(sigctx_trap)
SYM(sigctx_trap):
	movq	(%rax), %rax
	.globl	SYM(sigctx_resume)
SYM(sigctx_resume):
	movq	%rsp, 24(%r12)
	movq	%rbx, %rsp
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
END(sigctx_probe)

// leaf_spin(w rdi) and leaf_trap(): true leaves (no frame, no call; the
// return address stays at [rsp]) for the traceback tests. leaf_spin sets
// w[0] and spins until w[1] is nonzero; leaf_trap executes ud2 (SIGILL).
FUNC(leaf_spin)
	movl	$1, (%rdi)
1:	movl	4(%rdi), %eax
	testl	%eax, %eax
	jz	1b
	ret
END(leaf_spin)

FUNC(leaf_trap)
	ud2
	ret
END(leaf_trap)

NOTE_GNU_STACK
