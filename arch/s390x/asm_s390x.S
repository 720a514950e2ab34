// arch/s390x/asm_s390x.S — context switch and async preemption (s390x ELF ABI).
//
// Registers: r2-r6 arguments (r2 result), r6-r13 callee-saved, r14 return
// address, r15 sp; f8-f15 callee-saved; a0:a1 the thread pointer; the
// condition code and program mask live in the PSW. A caller's sp addresses
// the 160-byte save area its callee may use (back chain +0, r14 at +112).
//
// gort_swapctx(void **save_sp /* r2 */, void *new_sp /* r3 */)
// Saved frame, from the saved sp (152 bytes, 8-aligned; ctx_s390x.h):
//
//   +144 fpc
//   + 80 f8 .. f15       callee-saved FP
//   + 72 r15             the sp before the call (fresh: fn's save area)
//   + 64 r14             br %r14 resumes here
//   +  0 r6 .. r13       (fresh context: r6 = fn, r7 = arg)
#include "asm.h"
#include "ctx_s390x.h"

	.text
FUNC(gort_swapctx)
	lay	%r15,-CTX_SIZE(%r15)
	stmg	%r6,%r14,CTX_R6(%r15)
	la	%r1,CTX_SIZE(%r15)
	stg	%r1,CTX_R15(%r15)
	.irp	n, 8,9,10,11,12,13,14,15
	std	%f\n, CTX_F8+(\n-8)*8(%r15)
	.endr
	stfpc	CTX_FPC(%r15)
	stg	%r15,0(%r2)
	lgr	%r15,%r3
	.irp	n, 8,9,10,11,12,13,14,15
	ld	%f\n, CTX_F8+(\n-8)*8(%r15)
	.endr
	lfpc	CTX_FPC(%r15)
	lmg	%r6,%r15,CTX_R6(%r15)
	br	%r14
END(gort_swapctx)

// First code of a fresh context: fn(arg) from r6/r7, sp at fn's save area.
// fn must not return.
FUNC(gort_ctxstart)
	lgr	%r2,%r7
	basr	%r14,%r6
	brasl	%r14,SYM(gort_ctx_returned)
	.hword	0
END(gort_ctxstart)

// Async preemption (sysmon's SIGURG). The handler (arch_preempt_push) left
// every register as the interrupted code had it but sp and pc: sp points to
// the head {interrupted pc, interrupted sp}. Frame (ctx_s390x.h), from sp:
//
//   +880  head: interrupted pc, interrupted sp    <- the back chain at +0
//   +368  v0 .. v31 (16 bytes each; without vectors f0..f15 at +0 of v0..v15)
//   +360  condition code and program mask (ipm)
//   +352  fpc
//   +288  a0 .. a15
//   +160  r0 .. r15 (r15's slot unused)
//   +0    save area of gort_async_preempt2 (its r14 at +112)
//
// gort_async_preempt2 runs with condition code, program mask and fpc 0.
// a0/a1 are saved but not restored: they are the thread pointer, and the
// goroutine may resume on another thread. Return: with every other register
// restored (the condition code last, by spm, which nothing after it
// changes) and sp back at the head, an illegal instruction; the kernel
// reports SIGILL with the PSW past it (gort_async_preempt_trap), the
// runtime's handler sets pc and sp from the head, and sigreturn restores
// every register at once, a0/a1 as the current thread has them.
	.machine push
	.machine z13
FUNC(gort_async_preempt)
	lay	%r15,-PREEMPT_FRAME(%r15)
	stmg	%r0,%r14,PREEMPT_GPRS(%r15)
	stam	%a0,%a15,PREEMPT_ACRS(%r15)
	ipm	%r0
	st	%r0,PREEMPT_PM(%r15)
	stfpc	PREEMPT_FPC(%r15)
	larl	%r1,SYM(gort_s390x_vx)
	lg	%r0,0(%r1)
	ltgr	%r0,%r0
	jz	1f
	vstm	%v0,%v15,PREEMPT_V0(%r15)
	vstm	%v16,%v31,PREEMPT_V0+256(%r15)
	j	2f
1:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	std	%f\n, PREEMPT_V0+\n*16(%r15)
	.endr
2:	lghi	%r0,0
	spm	%r0
	sfpc	%r0
	la	%r1,PREEMPT_FRAME(%r15)
	stg	%r1,0(%r15)
	brasl	%r14,SYM(gort_async_preempt2)
	.globl	SYM(gort_async_preempt_ret)
SYM(gort_async_preempt_ret):
	larl	%r1,SYM(gort_s390x_vx)
	lg	%r0,0(%r1)
	ltgr	%r0,%r0
	jz	1f
	vlm	%v0,%v15,PREEMPT_V0(%r15)
	vlm	%v16,%v31,PREEMPT_V0+256(%r15)
	j	2f
1:	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ld	%f\n, PREEMPT_V0+\n*16(%r15)
	.endr
2:	lfpc	PREEMPT_FPC(%r15)
	lam	%a2,%a15,PREEMPT_ACRS+8(%r15)
	l	%r0,PREEMPT_PM(%r15)
	spm	%r0
	lmg	%r0,%r14,PREEMPT_GPRS(%r15)
	la	%r15,PREEMPT_FRAME(%r15)
	.hword	0
	.globl	SYM(gort_async_preempt_trap)
SYM(gort_async_preempt_trap):
	.globl	SYM(gort_async_preempt_end)
SYM(gort_async_preempt_end):
END(gort_async_preempt)
	.machine pop

NOTE_GNU_STACK
