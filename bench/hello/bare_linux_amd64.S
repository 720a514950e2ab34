// bench/hello/bare_linux_amd64.S — the floor: write "hello, world\n", exit.
// No runtime at all; entered straight from the kernel (rsp -> argc).
	.globl	_start
_start:
	movl	$1, %edi		// fd 1
	leaq	msg(%rip), %rsi
	movl	$13, %edx
	movl	$1, %eax		// SYS_write
	syscall
	xorl	%edi, %edi
	movl	$231, %eax		// SYS_exit_group
	syscall
	.section .rodata
msg:	.ascii	"hello, world\n"
	.section .note.GNU-stack,"",@progbits
