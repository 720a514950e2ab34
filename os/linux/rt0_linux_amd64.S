// os/linux/rt0_linux_amd64.S — process entry on Linux amd64.
//
// The kernel enters with no frame and the initial stack as the ELF ABI lays it:
//
//   rsp+0          argc
//   rsp+8          argv[0] .. argv[argc-1], NULL
//                  envp[0] .. , NULL
//                  auxv (key, value) pairs .., AT_NULL
//
// rbp is zeroed (end of the frame chain) and rsp aligned for the C++ call.
#include "asm.h"

	.text
FUNC(_rt0_amd64_linux)
	xorl	%ebp, %ebp
	movq	0(%rsp), %rdi		// argc
	leaq	8(%rsp), %rsi		// argv
	andq	$-16, %rsp
	callq	SYM(rt0_go)
	ud2
END(_rt0_amd64_linux)

NOTE_GNU_STACK
