// os/freebsd/os_port.h — OS constants the core may name (see runtime/port.h).
#pragma once

namespace gort {

inline constexpr char kOSName[] = "freebsd";

// BSD signal numbers (the same on every FreeBSD architecture).
inline constexpr int kSIGQUIT = 3, kSIGILL = 4, kSIGBUS = 10, kSIGSEGV = 11, kSIGURG = 16,
                     kSIGUSR1 = 30;
// FreeBSD keeps no red zone beyond the arch ABI's (amd64: 128 bytes).
inline constexpr unsigned long kOSRedZone = 0;

}  // namespace gort
