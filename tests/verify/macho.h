// tests/verify/macho.h — the Mach-O structures gort-verify reads (facts from
// Apple's <mach-o/loader.h> and <mach-o/nlist.h>, which this machine lacks).
#pragma once
#include <cstdint>

inline constexpr uint32_t kMH_MAGIC_64 = 0xfeedfacf, kMH_EXECUTE = 2;
inline constexpr uint32_t kCPU_TYPE_X86_64 = 0x01000007, kCPU_TYPE_ARM64 = 0x0100000c;
inline constexpr uint32_t kLC_SYMTAB = 0x2, kLC_LOAD_DYLIB = 0xc, kLC_SEGMENT_64 = 0x19,
                          kLC_CODE_SIGNATURE = 0x1d, kLC_MAIN = 0x80000028;
inline constexpr uint8_t kN_TYPE = 0x0e, kN_EXT = 0x01, kN_UNDF = 0x0, kN_SECT = 0xe;

struct MachHeader64 {
  uint32_t magic, cputype, cpusubtype, filetype, ncmds, sizeofcmds, flags, reserved;
};
struct LoadCommand {
  uint32_t cmd, cmdsize;
};
struct EntryPointCommand {
  uint32_t cmd, cmdsize;
  uint64_t entryoff, stacksize;
};
struct DylibCommand {
  uint32_t cmd, cmdsize, name_offset, timestamp, current_version, compatibility_version;
};
struct SymtabCommand {
  uint32_t cmd, cmdsize, symoff, nsyms, stroff, strsize;
};
struct SegmentCommand64 {
  uint32_t cmd, cmdsize;
  char segname[16];
  uint64_t vmaddr, vmsize, fileoff, filesize;
  uint32_t maxprot, initprot, nsects, flags;
};
struct Section64 {
  char sectname[16], segname[16];
  uint64_t addr, size;
  uint32_t offset, align, reloff, nreloc, flags, reserved1, reserved2, reserved3;
};
struct Nlist64 {
  uint32_t n_strx;
  uint8_t n_type, n_sect;
  uint16_t n_desc;
  uint64_t n_value;
};
static_assert(sizeof(SegmentCommand64) == 72 && sizeof(Section64) == 80 && sizeof(Nlist64) == 16);
