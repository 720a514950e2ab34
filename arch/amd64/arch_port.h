// arch/amd64/arch_port.h — inline part of the amd64 port (see runtime/port.h).
#pragma once
#include <stdint.h>

namespace gort {

inline constexpr char kArchName[] = "amd64";
inline constexpr uintptr_t kStackAlign = 16;

// The TLS block's first word points to itself, so %fs:0 yields its address
// without needing rdfsbase (which the kernel may not enable).
inline void* arch_gettp() {
  void* tp;
  asm volatile("movq %%fs:0, %0" : "=r"(tp));
  return tp;
}
// The fs base is a privileged register: the OS sets it (arch_prctl, sysarch).
inline bool arch_settp(void*) { return false; }

inline void arch_procyield(uint32_t n) {
  while (n--) asm volatile("pause" ::: "memory");
}

inline uint64_t arch_cputicks() {
  uint32_t lo, hi;
  asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
  return (uint64_t(hi) << 32) | lo;
}

}  // namespace gort
