// os/linux/sys_linux_riscv64.S — thread creation on Linux riscv64 (the child
// starts on a new stack, so this cannot be C++).
//
// gort_clone(flags a0, stack_hi a1, tls a2, fn a3, arg a4) -> tid or -errno.
// fn and arg ride to the child on its own new stack:
//
//   stack_hi-16    fn
//   stack_hi-8     arg
//
// Kernel order: clone(flags a0, stack a1, ptid a2, tls a3, ctid a4).
#include "asm.h"

	.text
FUNC(gort_clone)
	addi	a1, a1, -16
	sd	a3, 0(a1)
	sd	a4, 8(a1)
	mv	a3, a2			// tls
	li	a2, 0			// ptid
	li	a4, 0			// ctid
	li	a7, 220			// SYS_clone
	ecall
	beqz	a0, 1f
	ret				// parent (or error)
1:	ld	a1, 0(sp)		// child: fn
	ld	a0, 8(sp)		// arg
	addi	sp, sp, 16
	li	ra, 0
	li	s0, 0
	jalr	a1
	li	a0, 0			// fn returned: end the thread
	li	a7, 93			// SYS_exit
	ecall
	ebreak
END(gort_clone)

NOTE_GNU_STACK
