// arch/riscv64/asm_riscv64.S — context switch (RISC-V LP64D psABI).
//
// gort_swapctx(void **save_sp /* a0 */, void *new_sp /* a1 */)
// Saved frame, from the saved sp (208 bytes, 16-aligned):
//
//   +200 (pad)
//   +104 fs0 .. fs11     callee-saved FP, 8 bytes each
//   +  8 s0  .. s11      callee-saved integer (fresh context: s1 = fn, s2 = arg)
//   +  0 ra              ret resumes here
#include "asm.h"
#include "ctx_riscv64.h"

	.text
FUNC(gort_swapctx)
	addi	sp, sp, -CTX_SIZE
	sd	ra, CTX_RA(sp)
	sd	s0, CTX_S0+0(sp)
	sd	s1, CTX_S0+8(sp)
	sd	s2, CTX_S0+16(sp)
	sd	s3, CTX_S0+24(sp)
	sd	s4, CTX_S0+32(sp)
	sd	s5, CTX_S0+40(sp)
	sd	s6, CTX_S0+48(sp)
	sd	s7, CTX_S0+56(sp)
	sd	s8, CTX_S0+64(sp)
	sd	s9, CTX_S0+72(sp)
	sd	s10, CTX_S0+80(sp)
	sd	s11, CTX_S0+88(sp)
	fsd	fs0, CTX_FS0+0(sp)
	fsd	fs1, CTX_FS0+8(sp)
	fsd	fs2, CTX_FS0+16(sp)
	fsd	fs3, CTX_FS0+24(sp)
	fsd	fs4, CTX_FS0+32(sp)
	fsd	fs5, CTX_FS0+40(sp)
	fsd	fs6, CTX_FS0+48(sp)
	fsd	fs7, CTX_FS0+56(sp)
	fsd	fs8, CTX_FS0+64(sp)
	fsd	fs9, CTX_FS0+72(sp)
	fsd	fs10, CTX_FS0+80(sp)
	fsd	fs11, CTX_FS0+88(sp)
	sd	sp, 0(a0)
	mv	sp, a1
	ld	ra, CTX_RA(sp)
	ld	s0, CTX_S0+0(sp)
	ld	s1, CTX_S0+8(sp)
	ld	s2, CTX_S0+16(sp)
	ld	s3, CTX_S0+24(sp)
	ld	s4, CTX_S0+32(sp)
	ld	s5, CTX_S0+40(sp)
	ld	s6, CTX_S0+48(sp)
	ld	s7, CTX_S0+56(sp)
	ld	s8, CTX_S0+64(sp)
	ld	s9, CTX_S0+72(sp)
	ld	s10, CTX_S0+80(sp)
	ld	s11, CTX_S0+88(sp)
	fld	fs0, CTX_FS0+0(sp)
	fld	fs1, CTX_FS0+8(sp)
	fld	fs2, CTX_FS0+16(sp)
	fld	fs3, CTX_FS0+24(sp)
	fld	fs4, CTX_FS0+32(sp)
	fld	fs5, CTX_FS0+40(sp)
	fld	fs6, CTX_FS0+48(sp)
	fld	fs7, CTX_FS0+56(sp)
	fld	fs8, CTX_FS0+64(sp)
	fld	fs9, CTX_FS0+72(sp)
	fld	fs10, CTX_FS0+80(sp)
	fld	fs11, CTX_FS0+88(sp)
	addi	sp, sp, CTX_SIZE
	ret
END(gort_swapctx)

// First code of a fresh context: fn(arg) from s1/s2. fn must not return.
FUNC(gort_ctxstart)
	mv	a0, s2
	jalr	s1
	call	SYM(gort_ctx_returned)
	ebreak
END(gort_ctxstart)

// Async preemption (sysmon's SIGURG). The handler (arch_preempt_push) left
// every register as the interrupted code had it but sp and pc: sp points to
// the head {interrupted pc, interrupted sp}. Frame (ctx_riscv64.h), from sp:
//
//   +528  head: interrupted pc, interrupted sp     <- s0 while in gosched
//   +512  interrupted s0, interrupted pc           (a frame record)
//   +256  f0 .. f31
//   +248  fcsr
//   +0    x1 .. x31 (slot n-1 for xn; the sp and tp slots unused)
//
// tp is neither saved nor restored: it is the thread pointer, and the
// goroutine may resume on another thread. Return: with every other register
// restored and sp back at the head, an illegal instruction
// (gort_async_preempt_trap); the runtime's SIGILL handler sets pc and sp
// from the head and the kernel's sigreturn restores all registers at once,
// tp as the current thread has it. No register is reserved: t6 is saved and
// restored like the rest. The vector extension's state is not saved (gort
// builds for rv64gc; see docs/ARCHITECTURE.md).
FUNC(gort_async_preempt)
	addi	sp, sp, -PREEMPT_FRAME
	.irp	n, 1,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, (\n-1)*8(sp)
	.endr
	frcsr	t0
	sd	t0, PREEMPT_FCSR(sp)
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, PREEMPT_F0+\n*8(sp)
	.endr
	ld	t0, PREEMPT_FRAME(sp)
	sd	s0, PREEMPT_RECORD(sp)
	sd	t0, PREEMPT_RECORD+8(sp)
	addi	s0, sp, PREEMPT_FRAME
	call	SYM(gort_async_preempt2)
	.globl	SYM(gort_async_preempt_ret)
SYM(gort_async_preempt_ret):
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, PREEMPT_F0+\n*8(sp)
	.endr
	ld	t0, PREEMPT_FCSR(sp)
	fscsr	t0
	.irp	n, 1,3,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, (\n-1)*8(sp)
	.endr
	addi	sp, sp, PREEMPT_FRAME
	.globl	SYM(gort_async_preempt_trap)
SYM(gort_async_preempt_trap):
	unimp
	.globl	SYM(gort_async_preempt_end)
SYM(gort_async_preempt_end):
END(gort_async_preempt)

NOTE_GNU_STACK
