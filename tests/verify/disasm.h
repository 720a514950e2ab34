// tests/verify/disasm.h — finds system-call instructions in machine code and
// the syscall number loaded right before each.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

struct SyscallSite {
  uint64_t addr;
  long number;  // -1: not preceded by a load of an immediate into the number register
};

// amd64: `syscall` after `mov $N, %eax` (decoded with Zydis).
// arm64: `svc #0` after `mov x8, #N`; riscv64: `ecall` after `li t0, N`
// (FreeBSD's number register; decoded by hand, the encodings are fixed).
std::vector<SyscallSite> find_syscalls(const std::string& arch, const uint8_t* code, size_t n,
                                       uint64_t addr);
