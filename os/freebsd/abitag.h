/* os/freebsd/abitag.h — the ELF note by which FreeBSD's kernel recognises a
 * native binary (crt's crtbrand does the same for C programs). Expanded once,
 * in each rt0_freebsd_<arch>.S, which the link always pulls in.
 *
 *   namesz=8 descsz=4 type=1 (NT_FREEBSD_ABI_TAG) "FreeBSD\0" __FreeBSD_version
 */
#pragma once
// Assembler macros, not C++:
// clang-format off

#define FREEBSD_ABI_TAG(notetype)           \
  .section .note.tag, "a", notetype SEP     \
  .p2align 2 SEP                            \
  .long 8 SEP                               \
  .long 4 SEP                               \
  .long 1 SEP                               \
  .asciz "FreeBSD" SEP                      \
  .long 1300000 SEP                         \
  .text
