// os/freebsd/sys_freebsd.h — FreeBSD system call numbers. They are the same on
// every architecture (sys/kern/syscalls.master); tests/verify checks each
// call site against tests/verify/syscalls_freebsd.txt.
#pragma once

namespace gort::sys {

enum : long {
  SYS_exit = 1,
  SYS_read = 3,
  SYS_close = 6,
  SYS_write = 4,
  SYS_sigaltstack = 53,
  SYS_munmap = 73,
  SYS_mprotect = 74,
  SYS_madvise = 75,
  SYS_fcntl = 92,
  SYS_sysarch = 165,
  SYS_clock_gettime = 232,
  SYS_issetugid = 253,
  SYS_sigprocmask = 340,
  SYS_sigaction = 416,
  SYS_thr_exit = 431,
  SYS_thr_self = 432,
  SYS_thr_kill = 433,
  SYS__umtx_op = 454,
  SYS_thr_new = 455,
  SYS_mmap = 477,
  SYS_cpuset_getaffinity = 487,
  SYS_openat = 499,
  SYS_pipe2 = 542,
  SYS_getrandom = 563,
};

}  // namespace gort::sys
