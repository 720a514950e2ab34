// arch/amd64/asm_amd64.S — context switch (System V AMD64 ABI).
//
// gort_swapctx(void **save_sp /* rdi */, void *new_sp /* rsi */)
// pushes the callee-saved state and swaps stacks. Saved frame, from the saved sp:
//
//   +56  return pc       <- where the switched-from code resumes
//   +48  rbp
//   +40  rbx
//   +32  r12             (fresh context: arg)
//   +24  r13             (fresh context: fn)
//   +16  r14
//   + 8  r15
//   + 0  mxcsr (4 bytes) | x87 control word (2 bytes)
//
// The SysV ABI has no callee-saved xmm registers; the FP control state in
// MXCSR and the x87 control word is callee-saved, so it is kept.
#include "asm.h"
#include "ctx_amd64.h"

	.text
FUNC(gort_swapctx)
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	subq	$8, %rsp
	stmxcsr	CTX_FPCSR(%rsp)
	fnstcw	CTX_FPCSR+4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	ldmxcsr	CTX_FPCSR(%rsp)
	fldcw	CTX_FPCSR+4(%rsp)
	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
END(gort_swapctx)

// First code of a fresh context: fn(arg) from r13/r12. fn must not return.
FUNC(gort_ctxstart)
	movq	%r12, %rdi
	callq	*%r13
	callq	SYM(gort_ctx_returned)
	ud2
END(gort_ctxstart)

// Async preemption (sysmon's SIGURG). The handler (arch_preempt_push) moved
// rsp PREEMPT_SKIP+8 bytes down, below the red zone the interrupted code may
// be using, stored the interrupted pc at [rsp] and made this the next
// instruction. No other register was touched. Frame, from the top:
//
//   rbp+8+PREEMPT_SKIP  interrupted rsp (its red zone just below)
//   rbp+8   interrupted pc           PREEMPT_PC    <- ret $PREEMPT_SKIP resumes
//   rbp+0   interrupted rbp          PREEMPT_RBP   (a frame record: tracebacks
//   rbp-8   rflags                                  walk through it)
//   ...     rax rcx rdx rbx rsi rdi r8 .. r15      rbx keeps this sp
//   (align 64)
//   rsp     XSAVE area of gort_xsave_size bytes (every component XCR0 enables
//           but AMX tiles), or an fxsave64 area without OSXSAVE
//
// Before calling the scheduler the FPU is left as a fresh thread's: x87 stack
// empty (the ABI requires it at a call), default control words, vector
// registers zeroed (xrstor from gort_xinit_area, whose header marks every
// component as in its initial state).
	.text
FUNC(gort_async_preempt)
	pushq	%rbp
	movq	%rsp, %rbp
	pushfq
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld				// the ABI's direction flag at a call
	movq	%rsp, %rbx
	movq	SYM(gort_xsave_mask)(%rip), %rax
	testq	%rax, %rax
	jz	1f
	subq	SYM(gort_xsave_size)(%rip), %rsp
	andq	$-64, %rsp
	// XSAVE writes only the header bits of the components it saves, and
	// XRSTOR faults on any other bit set: the stack's old bytes must go.
	xorl	%ecx, %ecx
	.irp	off, 0, 8, 16, 24, 32, 40, 48, 56
	movq	%rcx, 512+\off(%rsp)
	.endr
	movq	%rax, %rdx
	shrq	$32, %rdx
	xsave64	(%rsp)
	andl	$PREEMPT_XCLEAN, %eax
	xorl	%edx, %edx
	xrstor64 SYM(gort_xinit_area)(%rip)
	jmp	2f
1:	subq	$PREEMPT_FXSAVE, %rsp
	andq	$-64, %rsp
	fxsave64 (%rsp)
	fninit
	ldmxcsr	SYM(gort_xinit_area)+24(%rip)
2:	callq	SYM(gort_async_preempt2)
	.globl	SYM(gort_async_preempt_ret)
SYM(gort_async_preempt_ret):
	movq	SYM(gort_xsave_mask)(%rip), %rax
	testq	%rax, %rax
	jz	1f
	movq	%rax, %rdx
	shrq	$32, %rdx
	xrstor64 (%rsp)
	jmp	2f
1:	fxrstor64 (%rsp)
2:	movq	%rbx, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	popfq
	popq	%rbp
	ret	$PREEMPT_SKIP
	.globl	SYM(gort_async_preempt_trap)
SYM(gort_async_preempt_trap):		// amd64 returns through ret, not a trap
	.globl	SYM(gort_async_preempt_end)
SYM(gort_async_preempt_end):
END(gort_async_preempt)

NOTE_GNU_STACK
