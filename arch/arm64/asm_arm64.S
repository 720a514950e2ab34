// arch/arm64/asm_arm64.S — context switch (AAPCS64).
//
// gort_swapctx(void **save_sp /* x0 */, void *new_sp /* x1 */)
// Saved frame, from the saved sp (160 bytes, 16-aligned):
//
//   +144 d14 d15
//   +128 d12 d13
//   +112 d10 d11
//   + 96 d8  d9          callee-saved FP (low 64 bits of v8..v15)
//   + 80 x29 x30         frame pointer, lr: ret resumes at x30
//   + 64 x27 x28
//   + 48 x25 x26
//   + 32 x23 x24
//   + 16 x21 x22
//   +  0 x19 x20         (fresh context: x19 = fn, x20 = arg)
#include "asm.h"
#include "ctx_arm64.h"

	.text
FUNC(gort_swapctx)
	sub	sp, sp, #CTX_SIZE
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #CTX_X29]
	stp	d8, d9, [sp, #CTX_D8]
	stp	d10, d11, [sp, #CTX_D8+16]
	stp	d12, d13, [sp, #CTX_D8+32]
	stp	d14, d15, [sp, #CTX_D8+48]
	mov	x2, sp
	str	x2, [x0]
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #CTX_X29]
	ldp	d8, d9, [sp, #CTX_D8]
	ldp	d10, d11, [sp, #CTX_D8+16]
	ldp	d12, d13, [sp, #CTX_D8+32]
	ldp	d14, d15, [sp, #CTX_D8+48]
	add	sp, sp, #CTX_SIZE
	ret
END(gort_swapctx)

// First code of a fresh context: fn(arg) from x19/x20. fn must not return.
FUNC(gort_ctxstart)
	mov	x0, x20
	blr	x19
	bl	SYM(gort_ctx_returned)
	brk	#0
END(gort_ctxstart)

NOTE_GNU_STACK
