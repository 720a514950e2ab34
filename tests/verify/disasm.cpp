// tests/verify/disasm.cpp — see disasm.h.
#include "disasm.h"

#include <Zydis/Zydis.h>

#include <cstring>

namespace {

std::vector<SyscallSite> amd64(const uint8_t* code, size_t n, uint64_t addr) {
  std::vector<SyscallSite> out;
  ZydisDecoder dec;
  ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
  ZydisDecodedInstruction in, prev{};
  ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT] = {}, prev_ops[ZYDIS_MAX_OPERAND_COUNT] = {};
  bool have_prev = false;
  for (size_t off = 0; off < n;) {
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(&dec, code + off, n - off, &in, ops))) {
      off++;  // padding or data: resynchronise on the next byte
      have_prev = false;
      continue;
    }
    if (in.mnemonic == ZYDIS_MNEMONIC_SYSCALL) {
      long num = -1;
      if (have_prev && prev.mnemonic == ZYDIS_MNEMONIC_MOV &&
          prev_ops[0].type == ZYDIS_OPERAND_TYPE_REGISTER &&
          (prev_ops[0].reg.value == ZYDIS_REGISTER_EAX ||
           prev_ops[0].reg.value == ZYDIS_REGISTER_RAX) &&
          prev_ops[1].type == ZYDIS_OPERAND_TYPE_IMMEDIATE)
        num = long(prev_ops[1].imm.value.s);
      out.push_back({addr + off, num});
    }
    prev = in;
    std::memcpy(prev_ops, ops, sizeof ops);
    have_prev = true;
    off += in.length;
  }
  return out;
}

uint32_t word(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

std::vector<SyscallSite> arm64(const uint8_t* code, size_t n, uint64_t addr) {
  std::vector<SyscallSite> out;
  for (size_t off = 0; off + 4 <= n; off += 4) {
    uint32_t w = word(code + off);
    if ((w & 0xffe0001f) != 0xd4000001) continue;  // svc #imm16
    long num = -1;
    if (off >= 4) {
      uint32_t p = word(code + off - 4);
      // movz w8/x8, #imm16 (hw = 0): sf 10100101 00 imm16 01000
      if ((p & 0x7fe0001f) == 0x52800008) num = long((p >> 5) & 0xffff);
    }
    out.push_back({addr + off, num});
  }
  return out;
}

std::vector<SyscallSite> riscv64(const uint8_t* code, size_t n, uint64_t addr) {
  std::vector<SyscallSite> out;
  long pending = -1;  // number loaded into t0 by the previous instruction
  for (size_t off = 0; off + 2 <= n;) {
    uint16_t h = uint16_t(code[off] | code[off + 1] << 8);
    if ((h & 3) != 3) {  // 16-bit compressed
      // c.li t0, imm: funct3 010, rd = 5, op 01; imm = sext(bit12:bits6..2)
      if ((h & 0xef83) == 0x4281) {
        long imm = long((h >> 2) & 0x1f) | (h & 0x1000 ? -32 : 0);
        pending = imm;
      } else {
        pending = -1;
      }
      off += 2;
      continue;
    }
    if (off + 4 > n) break;
    uint32_t w = word(code + off);
    if (w == 0x00000073) {  // ecall
      out.push_back({addr + off, pending});
      pending = -1;
    } else if ((w & 0x000fffff) == 0x00000293) {  // addi t0, zero, imm
      pending = long(int32_t(w) >> 20);
    } else {
      pending = -1;
    }
    off += 4;
  }
  return out;
}

}  // namespace

std::vector<SyscallSite> find_syscalls(const std::string& arch, const uint8_t* code, size_t n,
                                       uint64_t addr) {
  if (arch == "amd64") return amd64(code, n, addr);
  if (arch == "arm64") return arm64(code, n, addr);
  return riscv64(code, n, addr);
}
