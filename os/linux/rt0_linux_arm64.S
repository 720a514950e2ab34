// os/linux/rt0_linux_arm64.S — process entry on Linux arm64.
//
// The kernel enters with sp 16-aligned and the initial stack as the ELF ABI
// lays it:
//
//   sp+0           argc
//   sp+8           argv[0] .. argv[argc-1], NULL, envp .., NULL, auxv pairs
//
// x29/x30 are zeroed so tracebacks end here.
#include "asm.h"

	.text
FUNC(_rt0_arm64_linux)
	ldr	x0, [sp]		// argc
	add	x1, sp, #8		// argv
	mov	x29, #0
	mov	x30, #0
	bl	SYM(rt0_go)
	brk	#0
END(_rt0_arm64_linux)

NOTE_GNU_STACK
