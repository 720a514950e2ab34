// os/linux/rt0_linux_riscv64.S — process entry on Linux riscv64.
//
// The kernel enters with the initial stack as the ELF ABI lays it:
//
//   sp+0           argc
//   sp+8           argv[0] .. argv[argc-1], NULL, envp .., NULL, auxv pairs
//
// gp must hold __global_pointer$ before any code the linker relaxed to
// gp-relative addressing runs; it is loaded with relaxation off.
#include "asm.h"

	.text
FUNC(_rt0_riscv64_linux)
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	ld	a0, 0(sp)		// argc
	addi	a1, sp, 8		// argv
	andi	sp, sp, -16
	li	ra, 0
	li	s0, 0
	call	SYM(rt0_go)
	ebreak
END(_rt0_riscv64_linux)

NOTE_GNU_STACK
