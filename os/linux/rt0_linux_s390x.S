// os/linux/rt0_linux_s390x.S — process entry on Linux s390x.
//
// The kernel enters with the initial stack as the ELF ABI lays it:
//
//   r15+0          argc
//   r15+8          argv[0] .. argv[argc-1], NULL, envp .., NULL, auxv pairs
//
// rt0_go gets a 160-byte save area below that, its back chain 0 (the end
// of every traceback's frame chain).
#include "asm.h"

	.text
FUNC(_rt0_s390x_linux)
	lg	%r2,0(%r15)		// argc
	la	%r3,8(%r15)		// argv
	lghi	%r0,-16
	ngr	%r15,%r0
	lay	%r15,-160(%r15)
	mvghi	0(%r15),0
	lghi	%r14,0
	lghi	%r11,0
	brasl	%r14,SYM(rt0_go)
	.hword	0
END(_rt0_s390x_linux)

NOTE_GNU_STACK
