// Saved-context frame of gort_swapctx on riscv64, shared by asm_riscv64.S and
// arch_riscv64.cpp (checked there). Offsets from the saved sp.
#pragma once
#define CTX_RA 0     /* where ret resumes */
#define CTX_S0 8     /* s0..s11, 8 bytes each; fresh context: s1 = fn, s2 = arg */
#define CTX_FS0 104  /* fs0..fs11 */
#define CTX_SIZE 208 /* 200 rounded up to 16 */
