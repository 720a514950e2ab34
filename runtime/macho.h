// runtime/macho.h — the Mach-O 64 layouts gort reads in its own image
// (Apple's mach-o/loader.h and mach-o/nlist.h), as runtime/elf.h has the
// ELF ones: the header the linker defines as _mh_execute_header, its load
// commands, sections and symbol table. Only for GORT_OS_MACHO ports.
#pragma once

#include <stdint.h>

namespace gort::macho {

struct Header64 {
  uint32_t magic;
  int32_t cputype, cpusubtype;
  uint32_t filetype, ncmds, sizeofcmds, flags, reserved;
};
struct LoadCommand {
  uint32_t cmd, cmdsize;
};
struct SegmentCommand64 {
  uint32_t cmd, cmdsize;
  char segname[16];
  uint64_t vmaddr, vmsize, fileoff, filesize;
  int32_t maxprot, initprot;
  uint32_t nsects, flags;
};
// nsects of these follow their segment command.
struct Section64 {
  char sectname[16], segname[16];
  uint64_t addr, size;
  uint32_t offset, align, reloff, nreloc, flags, reserved1, reserved2, reserved3;
};
struct SymtabCommand {
  uint32_t cmd, cmdsize, symoff, nsyms, stroff, strsize;
};
struct Nlist64 {
  uint32_t strx;
  uint8_t type, sect;  // sect: the section's number, from 1 in load-command order
  uint16_t desc;
  uint64_t value;
};
// dyld's thread-local variable descriptor (__thread_vars): its thunk
// returns the address of the variable in the calling thread's block.
struct TlvDescriptor {
  void* (*thunk)(TlvDescriptor*);
  unsigned long key, offset;
};
static_assert(sizeof(SegmentCommand64) == 72 && sizeof(Section64) == 80 && sizeof(Nlist64) == 16 &&
                  sizeof(TlvDescriptor) == 24,
              "mach-o/loader.h and nlist.h sizes");

inline constexpr uint32_t kMH_MAGIC_64 = 0xfeedfacf;
inline constexpr uint32_t kLC_SYMTAB = 0x2, kLC_SEGMENT_64 = 0x19;
inline constexpr int32_t kVM_PROT_WRITE = 2;
// section_64.flags: the type in the low byte, attributes above.
inline constexpr uint32_t kSECTION_TYPE = 0xff, kS_THREAD_LOCAL_REGULAR = 0x11,
                          kS_THREAD_LOCAL_ZEROFILL = 0x12, kS_THREAD_LOCAL_VARIABLES = 0x13;
inline constexpr uint32_t kS_ATTR_PURE_INSTRUCTIONS = 0x80000000, kS_ATTR_SOME_INSTRUCTIONS = 0x400;
// nlist_64.type
inline constexpr uint8_t kN_STAB = 0xe0, kN_TYPE = 0x0e, kN_SECT = 0xe;

extern "C" const Header64 _mh_execute_header __attribute__((visibility("hidden")));

// The program's header, checked.
inline const Header64* header() {
  return _mh_execute_header.magic == kMH_MAGIC_64 ? &_mh_execute_header : nullptr;
}

// Calls f(const LoadCommand*) for each load command of the program.
template <class F>
void each_command(F f) {
  const Header64* h = &_mh_execute_header;
  const char* cmd = reinterpret_cast<const char*>(h + 1);
  for (uint32_t i = 0, off = 0; i < h->ncmds; i++) {
    auto* c = reinterpret_cast<const LoadCommand*>(cmd + off);
    f(c);
    off += c->cmdsize;
  }
}

// Calls f(const Section64*, number) for each section, numbered from 1.
template <class F>
void each_section(F f) {
  uint32_t n = 0;
  each_command([&](const LoadCommand* c) {
    if (c->cmd != kLC_SEGMENT_64) return;
    auto* sc = reinterpret_cast<const SegmentCommand64*>(c);
    auto* s = reinterpret_cast<const Section64*>(sc + 1);
    for (uint32_t i = 0; i < sc->nsects; i++) f(&s[i], ++n);
  });
}

// Where the image lies against its link addresses (dyld slides it): the
// segment that maps file offset 0, __TEXT, holds the header.
inline intptr_t slide() {
  intptr_t s = 0;
  each_command([&](const LoadCommand* c) {
    auto* sc = reinterpret_cast<const SegmentCommand64*>(c);
    if (c->cmd == kLC_SEGMENT_64 && sc->fileoff == 0 && sc->filesize > 0)
      s = intptr_t(uintptr_t(&_mh_execute_header) - sc->vmaddr);
  });
  return s;
}

}  // namespace gort::macho
