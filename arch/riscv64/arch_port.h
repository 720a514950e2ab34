// arch/riscv64/arch_port.h — inline part of the riscv64 port (see runtime/port.h).
#pragma once
#include <stdint.h>

namespace gort {

inline constexpr char kArchName[] = "riscv64";
inline constexpr uintptr_t kStackAlign = 16;

// tp is an ordinary register the ABI reserves for the thread pointer.
inline void* arch_gettp() {
  void* t;
  asm volatile("mv %0, tp" : "=r"(t));
  return t;
}
inline bool arch_settp(void* t) {
  asm volatile("mv tp, %0" ::"r"(t));
  return true;
}

// No pause hint in RV64GC (Zihintpause is optional); a compiler barrier keeps
// the loop from being folded away.
inline void arch_procyield(uint32_t n) {
  while (n--) asm volatile("" ::: "memory");
}

inline uint64_t arch_cputicks() {
  uint64_t t;
  asm volatile("rdtime %0" : "=r"(t));  // rdcycle may trap on Linux >= 6.6
  return t;
}

}  // namespace gort
