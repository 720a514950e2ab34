// runtime/elf.h — the parts of the ELF-64 format gort reads (the System V
// gABI): the program's own headers (tls.cpp's PT_TLS, symtab.cpp's symbol
// table, the collector's writable segments) and, in the Linux port, the
// vDSO's dynamic symbols. A format, not the core's internals: ports may
// include it (port.h says so). Written out here: a freestanding build has
// no <elf.h>.
#pragma once

#include <stdint.h>

namespace gort::elf {

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
struct Shdr {
  uint32_t name, type;
  uint64_t flags, addr, offset, size;
  uint32_t link, info;
  uint64_t addralign, entsize;
};
struct Dyn {
  int64_t tag;
  uint64_t val;
};
struct Sym {
  uint32_t name;
  uint8_t info, other;
  uint16_t shndx;
  uint64_t value, size;
};

inline constexpr uint32_t kPT_LOAD = 1, kPT_DYNAMIC = 2, kPT_TLS = 7;
inline constexpr uint32_t kSHT_SYMTAB = 2;
inline constexpr uint8_t kSTT_FUNC = 2, kSTB_GLOBAL = 1, kSTB_WEAK = 2;
inline constexpr int64_t kDT_NULL = 0, kDT_HASH = 4, kDT_STRTAB = 5, kDT_SYMTAB = 6,
                         kDT_GNU_HASH = 0x6ffffef5;

}  // namespace gort::elf
