// gort-sim: a Mach-O 64 executable as dyld sees it, parsed from the file
// alone (no machine): its segments, entry point, and every fixup dyld would
// apply — rebases (slide the pointer) and binds (point at an imported
// symbol). Layouts and opcode meanings are those of Apple's mach-o/loader.h
// and mach-o/fixup-chains.h. Anything malformed is fatal, naming the fault.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim.h"

namespace sim::macho {

// mach-o/loader.h
inline constexpr uint32_t kMagic64 = 0xfeedfacf;
inline constexpr uint32_t kCpuX86_64 = 0x01000007, kCpuArm64 = 0x0100000c;
inline constexpr uint32_t kMhExecute = 2;
inline constexpr uint32_t kLcReqDyld = 0x80000000;
inline constexpr uint32_t kLcSegment64 = 0x19, kLcMain = 0x28 | kLcReqDyld, kLcDyldInfo = 0x22,
                          kLcDyldInfoOnly = 0x22 | kLcReqDyld, kLcLoadDylib = 0xc,
                          kLcChainedFixups = 0x34 | kLcReqDyld;
inline constexpr uint32_t kVmProtRead = 1, kVmProtWrite = 2, kVmProtExec = 4;
// Section types (the low byte of section_64.flags).
inline constexpr uint32_t kSThreadLocalRegular = 0x11, kSThreadLocalZerofill = 0x12,
                          kSThreadLocalVariables = 0x13;
// Initialisers: pointers to functions, or 32-bit offsets from the header.
inline constexpr uint32_t kSModInitFuncPointers = 0x9, kSInitFuncOffsets = 0x16;

struct Section {
  std::string segname, sectname;
  uint64_t addr = 0, size = 0;
  uint32_t offset = 0, flags = 0;
  uint32_t type() const { return flags & 0xff; }
};

struct Segment {
  std::string name;
  uint64_t vmaddr = 0, vmsize = 0, fileoff = 0, filesize = 0;
  uint32_t initprot = 0, maxprot = 0;
};

// A pointer dyld slides: at (unslid) addr, the value target + slide.
struct Rebase {
  uint64_t addr, target;
};
// A pointer dyld binds: at addr, the address of symbol plus addend.
struct Bind {
  uint64_t addr;
  std::string symbol;
  int64_t addend;
  int ordinal;  // the dylib's number (1 = the first LC_LOAD_DYLIB)
  bool weak_import, lazy;
};

struct Image {
  Cpu cpu = Cpu::amd64;
  uint32_t filetype = 0, flags = 0;
  std::vector<Segment> segments;  // in load-command order, __PAGEZERO included
  std::vector<Section> sections;
  std::vector<std::string> dylibs;  // LC_LOAD_DYLIB names, ordinal 1 first
  uint64_t entry = 0;               // unslid address of main (LC_MAIN)
  uint64_t stacksize = 0;           // LC_MAIN's, 0 = the default
  uint64_t header = 0;              // unslid address of the mach header
  std::vector<Rebase> rebases;
  std::vector<Bind> binds;  // bind, weak-bind and lazy-bind streams, in order
  bool chained = false;     // the fixups came from LC_DYLD_CHAINED_FIXUPS
  // The lowest and highest address a mapped segment covers (not __PAGEZERO).
  uint64_t lo = 0, hi = 0;
  const Segment* segment_named(const std::string& n) const;
};

// Parses the whole executable. Fatal (sim::fatal) on anything malformed:
// bad magic, a command past the header, a segment past the file, a fixup
// outside its segment, an unknown opcode or pointer format.
Image parse(const std::vector<uint8_t>& file);

// The ULEB128 / SLEB128 numbers of dyld's opcode streams; p advances.
// Fatal if the number runs past end or does not fit 64 bits.
uint64_t read_uleb(const uint8_t*& p, const uint8_t* end);
int64_t read_sleb(const uint8_t*& p, const uint8_t* end);

}  // namespace sim::macho
