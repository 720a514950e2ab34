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

NOTE_GNU_STACK
