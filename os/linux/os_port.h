// os/linux/os_port.h — OS constants the core may name (see runtime/port.h).
#pragma once

namespace gort {

inline constexpr char kOSName[] = "linux";

// Signal numbers (the same on amd64, arm64 and riscv64 Linux); 0: the OS
// has no such signal.
inline constexpr int kSIGHUP = 1, kSIGINT = 2, kSIGQUIT = 3, kSIGILL = 4, kSIGTRAP = 5,
                     kSIGABRT = 6, kSIGBUS = 7, kSIGFPE = 8, kSIGUSR1 = 10, kSIGSEGV = 11,
                     kSIGUSR2 = 12, kSIGPIPE = 13, kSIGALRM = 14, kSIGTERM = 15, kSIGSTKFLT = 16,
                     kSIGCHLD = 17, kSIGURG = 23, kSIGXCPU = 24, kSIGXFSZ = 25, kSIGVTALRM = 26,
                     kSIGPROF = 27, kSIGWINCH = 28, kSIGIO = 29, kSIGPWR = 30, kSIGSYS = 31,
                     kSIGEMT = 0, kSIGINFO = 0, kSIGTHR = 0, kSIGLIBRT = 0;
// Real-time signals a program may be sent (Go catches and ignores 35..64;
// 32..34 belong to C libraries' threads, which gort has not).
inline constexpr int kSIGRTFirst = 35, kSIGRTLast = 64;
// SIGFPE si_codes (include/uapi/asm-generic/siginfo.h).
inline constexpr int kFPE_INTDIV = 1, kFPE_INTOVF = 2;
inline constexpr int kEPIPE = 32;
// How the clocks are read (vdso_linux.cpp), for the port conformance test:
// 2 through the vDSO; 1 the kernel mapped a vDSO but its clock_gettime was
// not found (system calls: a bug); 0 no vDSO mapped (QEMU user mode).
int linux_vdso_state();
// Linux keeps no red zone beyond the arch ABI's (amd64: 128 bytes).
inline constexpr unsigned long kOSRedZone = 0;

}  // namespace gort
