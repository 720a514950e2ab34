// bench/hello/bare_linux_arm64.S — the floor: write "hello, world\n", exit.
// No runtime at all; entered straight from the kernel (sp -> argc).
	.globl	_start
_start:
	mov	x0, #1			// fd 1
	adr	x1, msg
	mov	x2, #13
	mov	x8, #64			// SYS_write
	svc	#0
	mov	x0, #0
	mov	x8, #94			// SYS_exit_group
	svc	#0
msg:	.ascii	"hello, world\n"
	.section .note.GNU-stack,"",%progbits
