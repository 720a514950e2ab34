// os/freebsd/rt0_freebsd_riscv64.S — process entry on FreeBSD riscv64.
//
// FreeBSD's kernel passes a pointer to the initial stack block in a0:
//
//   a0+0           argc
//   a0+8           argv[0] .. argv[argc-1], NULL, envp .., NULL, auxv pairs
//
// gp must hold __global_pointer$ before any gp-relative (relaxed) access.
#include "asm.h"
#include "abitag.h"

	.text
FUNC(_rt0_riscv64_freebsd)
	.option push
	.option norelax
	lla	gp, __global_pointer$
	.option pop
	addi	a1, a0, 8		// argv
	ld	a0, 0(a0)		// argc
	andi	sp, sp, -16
	li	ra, 0
	li	s0, 0
	call	SYM(rt0_go)
	ebreak
END(_rt0_riscv64_freebsd)

FREEBSD_ABI_TAG(%note)
NOTE_GNU_STACK
