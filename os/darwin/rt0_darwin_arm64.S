// os/darwin/rt0_darwin_arm64.S — process entry on Darwin arm64 (LC_MAIN).
//
// dyld calls the entry point as a C function, after running initialisers:
//
//   x0 argc, x1 argv, x2 envp, x3 apple strings; x30 = dyld's return pc
//
// rt0_go(argc, argv) never returns, so this is a tail call.
#include "asm.h"

	.text
FUNC(_rt0_arm64_darwin)
	b	SYM(rt0_go)
END(_rt0_arm64_darwin)
