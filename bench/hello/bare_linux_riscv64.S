// bench/hello/bare_linux_riscv64.S — the floor: write "hello, world\n", exit.
// No runtime at all; entered straight from the kernel (sp -> argc).
	.globl	_start
_start:
	li	a0, 1			// fd 1
	lla	a1, msg
	li	a2, 13
	li	a7, 64			// SYS_write
	ecall
	li	a0, 0
	li	a7, 94			// SYS_exit_group
	ecall
msg:	.ascii	"hello, world\n"
	.section .note.GNU-stack,"",%progbits
