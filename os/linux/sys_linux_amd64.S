// os/linux/sys_linux_amd64.S — the Linux amd64 calls that cannot be C++:
// thread creation (the child starts on a new stack) and the signal restorer.
//
// gort_clone(flags /* rdi */, stack_hi /* rsi */, tls /* rdx */, fn /* rcx */,
//            arg /* r8 */) -> tid or -errno in the parent.
// fn and arg ride to the child on its own new stack:
//
//   stack_hi-16    fn
//   stack_hi-8     arg
//
// Kernel order: clone(flags rdi, stack rsi, ptid rdx, ctid r10, tls r8).
#include "asm.h"

	.text
FUNC(gort_clone)
	subq	$16, %rsi
	movq	%rcx, 0(%rsi)
	movq	%r8, 8(%rsi)
	movq	%rdx, %r8		// tls
	xorl	%edx, %edx		// ptid
	xorl	%r10d, %r10d		// ctid
	movl	$56, %eax		// SYS_clone
	syscall
	testq	%rax, %rax
	jz	1f
	ret				// parent (or error)
1:	popq	%rax			// child: fn
	popq	%rdi			// arg
	xorl	%ebp, %ebp
	callq	*%rax
	xorl	%edi, %edi		// fn returned: end the thread
	movl	$60, %eax		// SYS_exit
	syscall
	ud2
END(gort_clone)

// Return path of every signal handler (SA_RESTORER).
FUNC(gort_sigreturn_tramp)
	movl	$15, %eax		// SYS_rt_sigreturn
	syscall
	ud2
END(gort_sigreturn_tramp)

NOTE_GNU_STACK
