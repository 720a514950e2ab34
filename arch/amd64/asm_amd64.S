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

// Async preemption (sysmon's SIGURG): the signal handler pushed the
// interrupted pc and made this the next instruction. Nothing here may change
// what the interrupted code sees, so everything is saved:
//
//   +0    fxsave area (512 bytes, 16-aligned): x87, SSE, MXCSR
//   ...   (alignment)
//   rbx-> r15 r14 ... rcx rax   the 15 integer registers
//         rflags
//         interrupted pc        <- ret resumes there
//
// Code is built with -mno-red-zone, so the push cannot overwrite live data.
// AVX upper halves are not saved: gort builds for the x86-64 baseline.
FUNC(gort_async_preempt)
	pushfq
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rbp
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
	movq	%rsp, %rbx
	andq	$-16, %rsp
	subq	$512, %rsp
	fxsave64 (%rsp)
	callq	SYM(gort_async_preempt2)
	fxrstor64 (%rsp)
	movq	%rbx, %rsp
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
	popq	%rbp
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	popfq
	ret
END(gort_async_preempt)

NOTE_GNU_STACK
