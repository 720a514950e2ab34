// os/linux/consts_linux.h — the constants os_linux.cpp hands the kernel, with
// the values most CPUs share (include/uapi/asm-generic). A CPU whose kernel
// differs says so in its sys_linux_<arch>.h by overriding members,
//   struct Consts : LinuxConsts { static constexpr long kMAP_NORESERVE = 0x40; };
// (powerpc's asm/mman.h); the others write `using Consts = LinuxConsts;`.
#pragma once

#include <stdint.h>

namespace gort::sys {

// The kernel's struct sigaction as most CPUs lay it out (sa_restorer before
// the mask). A CPU whose kernel differs (riscv64: no restorer field) defines
// its own KSigaction; the others write `using KSigaction = LinuxKSigaction;`.
struct LinuxKSigaction {
  void* handler;
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};

struct LinuxConsts {
  static constexpr long kEINTR = 4, kEAGAIN = 11;
  static constexpr long kSIG_SETMASK = 2;
  static constexpr long kMAP_PRIVATE = 0x02, kMAP_FIXED = 0x10, kMAP_ANONYMOUS = 0x20,
                        kMAP_NORESERVE = 0x4000;
  static constexpr long kMADV_DONTNEED = 4;
  static constexpr long kFUTEX_WAIT_PRIVATE = 128, kFUTEX_WAKE_PRIVATE = 129;
  static constexpr long kCLOCK_REALTIME = 0, kCLOCK_MONOTONIC = 1, kCLOCK_PROCESS_CPUTIME_ID = 2;
  static constexpr long kAT_FDCWD = -100, kO_RDONLY = 0, kO_RDWR = 2, kO_CLOEXEC = 0x80000,
                        kF_GETFD = 1;
  static constexpr unsigned long kSA_SIGINFO = 4, kSA_ONSTACK = 0x08000000,
                                 kSA_RESTART = 0x10000000, kSA_RESTORER = 0x04000000;
};

}  // namespace gort::sys
