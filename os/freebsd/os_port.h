// os/freebsd/os_port.h — OS constants the core may name (see runtime/port.h).
#pragma once

namespace gort {

inline constexpr char kOSName[] = "freebsd";

// BSD signal numbers (the same on every FreeBSD architecture).
inline constexpr int kSIGHUP = 1, kSIGINT = 2, kSIGQUIT = 3, kSIGILL = 4, kSIGTRAP = 5,
                     kSIGABRT = 6, kSIGEMT = 7, kSIGFPE = 8, kSIGBUS = 10, kSIGSEGV = 11,
                     kSIGSYS = 12, kSIGPIPE = 13, kSIGALRM = 14, kSIGTERM = 15, kSIGURG = 16,
                     kSIGCHLD = 20, kSIGIO = 23, kSIGXCPU = 24, kSIGXFSZ = 25, kSIGVTALRM = 26,
                     kSIGPROF = 27, kSIGWINCH = 28, kSIGINFO = 29, kSIGUSR1 = 30, kSIGUSR2 = 31,
                     kSIGSTKFLT = 0, kSIGPWR = 0, kSIGTHR = 32, kSIGLIBRT = 33;
inline constexpr int kSIGRTFirst = 0, kSIGRTLast = -1;  // none caught
// SIGFPE si_codes (sys/sys/signal.h).
inline constexpr int kFPE_INTDIV = 2, kFPE_INTOVF = 1;
inline constexpr int kEPIPE = 32;
// FreeBSD keeps no red zone beyond the arch ABI's (amd64: 128 bytes).
inline constexpr unsigned long kOSRedZone = 0;

}  // namespace gort
