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

// Async preemption (gort_async_preempt). The signal handler moves sp down past
// the 128-byte red zone and pushes the interrupted pc there; the trampoline
// returns with `ret $PREEMPT_SKIP`, which pops the pc and skips the red zone:
// no register is needed to get back. Offsets from the trampoline's rbp:
#define PREEMPT_SKIP 128   /* the SysV red zone, restored by ret's operand */
#define PREEMPT_RBP 0      /* interrupted rbp */
#define PREEMPT_PC 8       /* interrupted pc (pushed by the handler) */
#define PREEMPT_FLAGS (-8) /* rflags, then rax rcx rdx rbx rsi rdi r8..r15 */
#define PREEMPT_GPRS 16    /* rbp, rflags and the 14 pushes: 16 words */
#define PREEMPT_FXSAVE 512 /* fxsave64 area, without OSXSAVE */
/* Components the scheduler gets in their initial state: x87, SSE, AVX and
 * AVX-512 (bits 0-2, 5-7); PKRU (bit 9) is the thread's memory policy. */
#define PREEMPT_XCLEAN 0xe7
