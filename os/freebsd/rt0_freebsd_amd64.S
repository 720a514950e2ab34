// os/freebsd/rt0_freebsd_amd64.S — process entry on FreeBSD amd64.
//
// FreeBSD's kernel passes a pointer to the initial stack block in rdi:
//
//   rdi+0          argc
//   rdi+8          argv[0] .. argv[argc-1], NULL, envp .., NULL, auxv pairs
//
// rbp is zeroed (end of the frame chain) and rsp aligned for the C++ call.
#include "asm.h"
#include "abitag.h"

	.text
FUNC(_rt0_amd64_freebsd)
	xorl	%ebp, %ebp
	leaq	8(%rdi), %rsi		// argv
	movq	0(%rdi), %rdi		// argc
	andq	$-16, %rsp
	callq	SYM(rt0_go)
	ud2
END(_rt0_amd64_freebsd)

FREEBSD_ABI_TAG(@note)
NOTE_GNU_STACK
