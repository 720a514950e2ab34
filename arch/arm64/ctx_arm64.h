// Saved-context frame of gort_swapctx on arm64, shared by asm_arm64.S and
// arch_arm64.cpp (checked there). Offsets from the saved sp.
#pragma once
#define CTX_X19 0 /* fresh context: fn */
#define CTX_X20 8 /* fresh context: arg */
#define CTX_X29 80
#define CTX_X30 88 /* lr: where ret resumes */
#define CTX_D8 96  /* d8..d15, 8 bytes each */
#define CTX_SIZE 160
