// os/freebsd/rt0_freebsd_arm64.S — process entry on FreeBSD arm64.
//
// FreeBSD's kernel passes a pointer to the initial stack block in x0:
//
//   x0+0           argc
//   x0+8           argv[0] .. argv[argc-1], NULL, envp .., NULL, auxv pairs
#include "asm.h"
#include "abitag.h"

	.text
FUNC(_rt0_arm64_freebsd)
	add	x1, x0, #8		// argv
	ldr	x0, [x0]		// argc
	mov	x29, #0
	mov	x30, #0
	bl	SYM(rt0_go)
	brk	#0
END(_rt0_arm64_freebsd)

FREEBSD_ABI_TAG(%note)
NOTE_GNU_STACK
