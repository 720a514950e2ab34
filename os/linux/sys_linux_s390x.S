// os/linux/sys_linux_s390x.S — thread creation on Linux s390x (the child
// starts on a new stack, so this cannot be C++).
//
// gort_clone(flags r2, stack_hi r3, tls r4, fn r5, arg r6) -> tid or -errno.
// fn and arg ride to the child on its own new stack, above the 160-byte save
// area its first call needs (back chain 0: the frame chain ends there):
//
//   stack_hi-8     arg
//   stack_hi-16    fn
//   stack_hi-176   child's sp
//
// Kernel order (CLONE_BACKWARDS2): clone(stack r2, flags r3, ptid r4,
// ctid r5, tls r6); the number in r1 for svc 0.
#include "asm.h"

	.text
FUNC(gort_clone)
	stg	%r6,48(%r15)		// r6 is callee-saved: our caller's save area
	lay	%r1,-176(%r3)
	stg	%r5,160(%r1)		// fn
	stg	%r6,168(%r1)		// arg
	mvghi	0(%r1),0		// back chain
	lgr	%r6,%r4			// tls
	lgr	%r3,%r2			// flags
	lgr	%r2,%r1			// stack
	lghi	%r4,0			// ptid
	lghi	%r5,0			// ctid
	lghi	%r1,120			// SYS_clone
	svc	0
	ltgr	%r2,%r2
	jz	1f
	lg	%r6,48(%r15)
	br	%r14			// parent (or error)
1:	lg	%r1,160(%r15)		// child: fn
	lg	%r2,168(%r15)		// arg
	lghi	%r11,0
	basr	%r14,%r1
	lghi	%r2,0			// fn returned: end the thread
	lghi	%r1,1			// SYS_exit
	svc	0
	.hword	0
END(gort_clone)

NOTE_GNU_STACK
