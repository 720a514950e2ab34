// os/linux/rt0_linux_ppc64le.S — process entry on Linux ppc64le.
//
// The kernel enters with the initial stack as the ELF ABI lays it:
//
//   r1+0           argc
//   r1+8           argv[0] .. argv[argc-1], NULL, envp .., NULL, auxv pairs
//
// r2 (the TOC pointer) is ours to set: computed from this code's own
// address, so nothing is assumed of r12 at entry. rt0_go gets a first frame
// whose back chain is 0 (the end of every traceback).
#include "asm.h"

	.text
FUNC(_rt0_ppc64le_linux)
	bcl	20, 31, 1f
1:	mflr	%r12
	addis	%r2, %r12, (.TOC.-1b)@ha
	addi	%r2, %r2, (.TOC.-1b)@l
	ld	%r3, 0(%r1)		// argc
	addi	%r4, %r1, 8		// argv
	clrrdi	%r1, %r1, 4
	li	%r0, 0
	stdu	%r1, -32(%r1)
	std	%r0, 0(%r1)
	mtlr	%r0
	li	%r31, 0
	bl	SYM(rt0_go)
	nop
	trap
END(_rt0_ppc64le_linux)

NOTE_GNU_STACK
