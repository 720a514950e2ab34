// os/darwin/os_port.h — OS constants the core may name (see runtime/port.h).
#pragma once

// Darwin reserves the thread register for libSystem (gs on amd64; tpidrro_el0
// is read-only on arm64): gort's TLS block lives in a pthread key instead.
#define GORT_OS_GETTP 1
// dyld runs the image's initialisers before it calls the entry point.
#define GORT_OS_LOADER_RUNS_INITS 1
// The Mach-O linker defines __dso_handle itself.
#define GORT_OS_LINKER_PROVIDES_DSO_HANDLE 1

namespace gort {

inline constexpr char kOSName[] = "darwin";

inline constexpr int kSIGQUIT = 3, kSIGILL = 4, kSIGBUS = 10, kSIGSEGV = 11, kSIGURG = 16,
                     kSIGUSR1 = 30;
// Darwin's ABIs give every arch a 128-byte red zone (arm64 included).
inline constexpr unsigned long kOSRedZone = 128;

}  // namespace gort
