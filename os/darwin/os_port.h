// os/darwin/os_port.h — OS constants the core may name (see runtime/port.h).
#pragma once

// Darwin reserves the thread register for libSystem (gs on amd64; tpidrro_el0
// is read-only on arm64): gort's TLS block lives in a pthread key instead.
#define GORT_OS_GETTP 1
// dyld runs the image's initialisers before it calls the entry point.
#define GORT_OS_LOADER_RUNS_INITS 1
// dyld lays out thread_local storage itself (Mach-O thread-local variables,
// per pthread, through libSystem's __tlv_bootstrap): gort adds none.
#define GORT_OS_LOADER_TLS 1
// The Mach-O linker defines __dso_handle itself.
#define GORT_OS_LINKER_PROVIDES_DSO_HANDLE 1
// Executables are Mach-O: the collector finds its data segments in the load
// commands (runtime/mgcroots.cpp).
#define GORT_OS_MACHO 1

namespace gort {

inline constexpr char kOSName[] = "darwin";

inline constexpr int kSIGHUP = 1, kSIGINT = 2, kSIGQUIT = 3, kSIGILL = 4, kSIGTRAP = 5,
                     kSIGABRT = 6, kSIGEMT = 7, kSIGFPE = 8, kSIGBUS = 10, kSIGSEGV = 11,
                     kSIGSYS = 12, kSIGPIPE = 13, kSIGALRM = 14, kSIGTERM = 15, kSIGURG = 16,
                     kSIGCHLD = 20, kSIGIO = 23, kSIGXCPU = 24, kSIGXFSZ = 25, kSIGVTALRM = 26,
                     kSIGPROF = 27, kSIGWINCH = 28, kSIGINFO = 29, kSIGUSR1 = 30, kSIGUSR2 = 31,
                     kSIGSTKFLT = 0, kSIGPWR = 0, kSIGTHR = 0, kSIGLIBRT = 0;
inline constexpr int kSIGRTFirst = 0, kSIGRTLast = -1;  // none caught
// SIGFPE si_codes (sys/signal.h).
inline constexpr int kFPE_INTDIV = 7, kFPE_INTOVF = 8;
inline constexpr int kEPIPE = 32;
// Darwin's ABIs give every arch a 128-byte red zone (arm64 included).
inline constexpr unsigned long kOSRedZone = 128;

}  // namespace gort
