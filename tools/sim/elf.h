// gort-sim: static ELF64 loading and the initial process stack, shared by
// the Linux and FreeBSD models (both start a static binary the same way:
// PT_LOAD segments mapped, the stack holding argc, argv, envp and auxv).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim.h"

namespace sim {

// ELF constants from the System V gABI (and elf_common.h / elf.h).
namespace elf {
constexpr uint32_t PT_LOAD = 1, PT_NOTE = 4, PT_PHDR = 6, PT_TLS = 7, PT_GNU_STACK = 0x6474e551;
constexpr uint32_t PF_X = 1, PF_W = 2, PF_R = 4;
constexpr uint16_t EM_X86_64 = 62, EM_AARCH64 = 183, EM_RISCV = 243;
constexpr uint8_t ELFOSABI_NONE = 0, ELFOSABI_LINUX = 3, ELFOSABI_FREEBSD = 9;
constexpr uint32_t NT_FREEBSD_ABI_TAG = 1;

struct Ehdr {
  uint8_t ident[16];
  uint16_t type, machine;
  uint32_t version;
  uint64_t entry, phoff, shoff;
  uint32_t flags;
  uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct Phdr {
  uint32_t type, flags;
  uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
static_assert(sizeof(Ehdr) == 64 && sizeof(Phdr) == 56);
}  // namespace elf

struct ElfImage {
  Cpu cpu;
  uint8_t osabi;
  bool freebsd_note = false;  // a FreeBSD ABI tag note is present
  uint32_t freebsd_version = 0;
  uint64_t entry = 0;
  uint64_t phdr = 0;  // guest address of the program headers (AT_PHDR)
  uint16_t phnum = 0, phent = 0;
  uint64_t lo = 0, hi = 0;  // the lowest and the end of the loaded pages
  bool exec_stack = false;  // PT_GNU_STACK asks for an executable stack
  std::vector<elf::Phdr> phdrs;
};

// Parses and checks the headers (fatal on anything malformed or foreign).
ElfImage parse_elf(const std::vector<uint8_t>& file);
// Maps the PT_LOAD segments into m with their protections, bss zeroed.
ElfImage load_elf(Machine& m, const std::vector<uint8_t>& file);

// The initial stack of a static binary, as the System V ABI draws it (from
// sp upwards): argc, argv[], 0, envp[], 0, auxv pairs, AT_NULL, then the
// blobs and strings they point to.
struct InitialStack {
  std::vector<std::string> argv, envp;
  std::vector<std::pair<uint64_t, uint64_t>> auxv;  // without the AT_NULL pair
  // Bytes copied onto the stack whose address becomes the value of the
  // auxv entry of that type (AT_RANDOM's 16 bytes, AT_EXECFN's string...).
  std::vector<std::pair<uint64_t, std::vector<uint8_t>>> blobs;
};
struct StackLayout {
  uint64_t sp;  // where argc is (16-byte aligned)
  uint64_t argv, envp, auxv;
};
// Writes the stack below top (which must be mapped), returns where it is.
StackLayout build_stack(Machine& m, uint64_t top, const InitialStack& s);
std::vector<uint8_t> cstr_blob(const std::string& s);

}  // namespace sim
