// os/linux/sys_linux_ppc64le.S — thread creation on Linux ppc64le (the child
// starts on a new stack, so this cannot be C++).
//
// gort_clone(flags r3, stack_hi r4, tls r5, fn r6, arg r7) -> tid or -errno.
// The child's first frame, at stack_hi-64, carries fn and arg:
//
//   +40 arg   +32 fn   +0..31 ELFv2 header (back chain 0 ends tracebacks;
//                             fn saves its lr at +16)
//
// Kernel order (CLONE_BACKWARDS): clone(flags r3, newsp r4, ptid r5, tls r6,
// ctid r7); CLONE_SETTLS puts tls in the child's r13. Errors: cr0.SO set,
// r3 = positive errno.
#include "asm.h"

	.text
FUNC(gort_clone)
	addi	%r4, %r4, -64
	li	%r0, 0
	std	%r0, 0(%r4)
	std	%r6, 32(%r4)
	std	%r7, 40(%r4)
	mr	%r6, %r5		// tls
	li	%r5, 0			// ptid
	li	%r7, 0			// ctid
	li	%r0, 120		// SYS_clone
	sc
	bns+	1f
	neg	%r3, %r3		// parent: -errno
	blr
1:	cmpdi	%r3, 0
	beq	2f
	blr				// parent: the child's tid
2:	ld	%r12, 32(%r1)		// child: fn (r2, the TOC, is the parent's)
	ld	%r3, 40(%r1)		// arg
	li	%r31, 0
	mtctr	%r12
	bctrl
	li	%r3, 0			// fn returned: end the thread
	li	%r0, 1			// SYS_exit
	sc
	trap
END(gort_clone)

NOTE_GNU_STACK
