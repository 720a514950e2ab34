// tests/port/regs_amd64.S — regs_switch(save rdi, to rsi, seed rdx) -> mask.
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

NOTE_GNU_STACK
