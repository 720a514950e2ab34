// os/darwin/rt0_darwin_amd64.S — process entry on Darwin amd64 (LC_MAIN).
//
// dyld calls the entry point as a C function, after running initialisers:
//
//   rdi argc, rsi argv, rdx envp, rcx apple strings; rsp+0 = dyld's return pc
//
// rt0_go(argc, argv) never returns, so this is a tail call.
#include "asm.h"

	.text
FUNC(_rt0_amd64_darwin)
	jmp	SYM(rt0_go)
END(_rt0_amd64_darwin)
