// bench/hello/bare_linux_ppc64le.S — the floor: write "hello, world\n", exit.
// No runtime at all; entered straight from the kernel (r1 -> argc).
	.globl	_start
_start:
	li	0, 4			// SYS_write
	li	3, 1			// fd 1
	bcl	20, 31, 1f
1:	mflr	4
	addi	4, 4, msg-1b
	li	5, 13
	sc
	li	0, 234			// SYS_exit_group
	li	3, 0
	sc
msg:	.ascii	"hello, world\n"
	.section .note.GNU-stack,"",%progbits
