/* runtime/asm.h — the few assembler spellings that differ between ELF and
 * Mach-O, so one .S file per arch serves every OS. Included by arch/ and os/
 * assembly only. */
#pragma once
// Assembler macros, not C++:
// clang-format off

#if defined(__APPLE__)
#define SYM(x) _##x
#if defined(__aarch64__)
#define SEP %%            /* ';' starts a comment in Apple's arm64 syntax */
#else
#define SEP ;
#endif
#define FUNC(x) .globl SYM(x) SEP .p2align 4 SEP SYM(x):
#define END(x)
#define NOTE_GNU_STACK
#else
#define SYM(x) x
#define SEP ;
#if defined(__x86_64__)
#define FUNC(x) .globl x SEP .type x, @function SEP .p2align 4 SEP x:
#define NOTE_GNU_STACK .section .note.GNU-stack, "", @progbits
#else
#define FUNC(x) .globl x SEP .type x, %function SEP .p2align 4 SEP x:
#define NOTE_GNU_STACK .section .note.GNU-stack, "", %progbits
#endif
#define END(x) .size x, .-x
#endif
