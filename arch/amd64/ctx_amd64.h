// Saved-context frame of gort_swapctx on amd64, shared by asm_amd64.S and
// arch_amd64.cpp (checked there with static_assert). Offsets from the saved sp.
#pragma once
#define CTX_FPCSR 0 /* mxcsr (low 4 bytes) and x87 control word (next 2) */
#define CTX_R15 8
#define CTX_R14 16
#define CTX_R13 24 /* fresh context: fn */
#define CTX_R12 32 /* fresh context: arg */
#define CTX_RBX 40
#define CTX_RBP 48
#define CTX_PC 56 /* return address popped by ret */
#define CTX_SIZE 64
