// os/linux/sys_linux_arm64.S — thread creation on Linux arm64 (the child
// starts on a new stack, so this cannot be C++).
//
// gort_clone(flags x0, stack_hi x1, tls x2, fn x3, arg x4) -> tid or -errno.
// fn and arg ride to the child on its own new stack:
//
//   stack_hi-16    fn
//   stack_hi-8     arg
//
// Kernel order: clone(flags x0, stack x1, ptid x2, tls x3, ctid x4).
#include "asm.h"

	.text
FUNC(gort_clone)
	sub	x1, x1, #16
	stp	x3, x4, [x1]
	mov	x3, x2			// tls
	mov	x2, #0			// ptid
	mov	x4, #0			// ctid
	mov	x8, #220		// SYS_clone
	svc	#0
	cbz	x0, 1f
	ret				// parent (or error)
1:	ldp	x1, x0, [sp], #16	// child: fn, arg
	mov	x29, #0
	mov	x30, #0
	blr	x1
	mov	x0, #0			// fn returned: end the thread
	mov	x8, #93			// SYS_exit
	svc	#0
	brk	#0
END(gort_clone)

NOTE_GNU_STACK
