// bench/hello/bare_linux_s390x.S — the floor: write "hello, world\n", exit.
// No runtime at all; entered straight from the kernel (r15 -> argc).
	.globl	_start
_start:
	lghi	%r2,1			// fd 1
	larl	%r3,msg
	lghi	%r4,13
	svc	4			// SYS_write
	lghi	%r2,0
	svc	248			// SYS_exit_group
msg:	.ascii	"hello, world\n"
	.section .note.GNU-stack,"",%progbits
