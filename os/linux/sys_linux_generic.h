// os/linux/sys_linux_generic.h — Linux's generic system call table
// (include/uapi/asm-generic/unistd.h), which arm64 and riscv64 share.
#pragma once

namespace gort::sys {

enum : long {
  SYS_fcntl = 25,
  SYS_openat = 56,
  SYS_close = 57,
  SYS_pipe2 = 59,
  SYS_read = 63,
  SYS_write = 64,
  SYS_exit = 93,
  SYS_exit_group = 94,
  SYS_futex = 98,
  SYS_clock_gettime = 113,
  SYS_sched_getaffinity = 123,
  SYS_tgkill = 131,
  SYS_sigaltstack = 132,
  SYS_rt_sigaction = 134,
  SYS_rt_sigprocmask = 135,
  SYS_rt_sigreturn = 139,
  SYS_getpid = 172,
  SYS_gettid = 178,
  SYS_munmap = 215,
  SYS_mprotect = 226,
  SYS_clone = 220,
  SYS_mmap = 222,
  SYS_madvise = 233,
  SYS_getrandom = 278,
};

}  // namespace gort::sys
