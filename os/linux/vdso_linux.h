// os/linux/vdso_linux.h — the vDSO's clock_gettime (vdso_linux.cpp).
#pragma once

#include <stdint.h>

namespace gort {

namespace sys {
struct Timespec;  // rawsyscall.h
}
using VdsoClockGettime = int (*)(long clk, sys::Timespec* ts);

// Finds clock_gettime in the vDSO whose ELF header is at base (auxv's
// AT_SYSINFO_EHDR; 0: none). Runs once, at the sysargs stage.
void vdso_init(uintptr_t base);
// The function found, or null (then the clocks make the system call).
VdsoClockGettime vdso_clock_gettime();

}  // namespace gort
