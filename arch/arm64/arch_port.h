// arch/arm64/arch_port.h — inline part of the arm64 port (see runtime/port.h).
#pragma once
#include <stdint.h>

namespace gort {

inline constexpr char kArchName[] = "arm64";
inline constexpr uintptr_t kStackAlign = 16;

inline void* arch_gettp() {
  void* tp;
  asm volatile("mrs %0, tpidr_el0" : "=r"(tp));
  return tp;
}
// tpidr_el0 is writable at EL0.
inline bool arch_settp(void* tp) {
  asm volatile("msr tpidr_el0, %0" ::"r"(tp));
  return true;
}

inline void arch_procyield(uint32_t n) {
  while (n--) asm volatile("yield" ::: "memory");
}

// The generic timer's virtual count: readable at EL0 on Linux, FreeBSD, Darwin.
inline uint64_t arch_cputicks() {
  uint64_t t;
  asm volatile("isb; mrs %0, cntvct_el0" : "=r"(t));
  return t;
}

}  // namespace gort
