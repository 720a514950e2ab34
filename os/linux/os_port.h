// os/linux/os_port.h — OS constants the core may name (see runtime/port.h).
#pragma once

namespace gort {

inline constexpr char kOSName[] = "linux";

// Signal numbers (the same on amd64, arm64 and riscv64 Linux).
inline constexpr int kSIGQUIT = 3, kSIGILL = 4, kSIGBUS = 7, kSIGUSR1 = 10, kSIGSEGV = 11,
                     kSIGURG = 23;
// Linux keeps no red zone beyond the arch ABI's (amd64: 128 bytes).
inline constexpr unsigned long kOSRedZone = 0;

}  // namespace gort
