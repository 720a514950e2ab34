// gort-sim: the Mach-O 64 parser (see macho.h). Facts from Apple's
// mach-o/loader.h (load commands, dyld_info opcode streams) and
// mach-o/fixup-chains.h (LC_DYLD_CHAINED_FIXUPS).
#include "macho.h"

#include <cstdio>
#include <cstring>

namespace sim::macho {

namespace {

[[noreturn]] void bad(const std::string& what) { fatal("darwin: malformed Mach-O: " + what); }

template <typename T>
T get(const std::vector<uint8_t>& f, uint64_t off) {
  if (off > f.size() || f.size() - off < sizeof(T)) bad("read past the end of the file");
  T v;
  std::memcpy(&v, f.data() + off, sizeof v);
  return v;
}

std::string fixed_name(const std::vector<uint8_t>& f, uint64_t off) {
  char n[17] = {};
  if (off + 16 > f.size()) bad("name past the end of the file");
  std::memcpy(n, f.data() + off, 16);
  return n;
}

std::string hex(uint64_t v) {
  char b[24];
  snprintf(b, sizeof b, "%#llx", static_cast<unsigned long long>(v));
  return b;
}

// The segment a fixup's (segment index, offset) names; fatal if outside it.
uint64_t seg_addr(const Image& im, uint64_t seg, uint64_t off, const char* stream) {
  if (seg >= im.segments.size()) bad(std::string(stream) + ": segment index out of range");
  const Segment& s = im.segments[seg];
  if (off >= s.vmsize || s.vmsize - off < 8)
    bad(std::string(stream) + ": offset " + hex(off) + " outside segment " + s.name);
  return s.vmaddr + off;
}

// The pointer a rebase slides: its file contents (zero-fill reads as 0).
uint64_t file_word(const std::vector<uint8_t>& f, const Image& im, uint64_t addr) {
  for (const Segment& s : im.segments) {
    if (addr < s.vmaddr || addr - s.vmaddr >= s.vmsize) continue;
    uint64_t o = addr - s.vmaddr;
    if (o + 8 > s.filesize) return 0;
    return get<uint64_t>(f, s.fileoff + o);
  }
  bad("fixup at " + hex(addr) + " outside every segment");
}

// REBASE_OPCODE_* (loader.h): a table of <segment, offset, type> rows.
void rebase_stream(const std::vector<uint8_t>& f, Image& im, uint32_t off, uint32_t size) {
  if (!size) return;
  if (uint64_t(off) + size > f.size()) bad("rebase info past the end of the file");
  const uint8_t *p = f.data() + off, *end = p + size;
  uint64_t seg = 0, segoff = 0;
  bool have_seg = false;
  auto emit = [&] {
    if (!have_seg) bad("rebase before REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB");
    uint64_t a = seg_addr(im, seg, segoff, "rebase");
    im.rebases.push_back({a, file_word(f, im, a)});
  };
  while (p < end) {
    uint8_t op = *p & 0xf0, imm = *p & 0x0f;
    ++p;
    switch (op) {
      case 0x00: return;  // DONE
      case 0x10:          // SET_TYPE_IMM: only pointers in 64-bit images
        if (imm != 1) bad("rebase type " + std::to_string(imm) + " (only REBASE_TYPE_POINTER)");
        break;
      case 0x20:  // SET_SEGMENT_AND_OFFSET_ULEB
        seg = imm, segoff = read_uleb(p, end), have_seg = true;
        break;
      case 0x30: segoff += read_uleb(p, end); break;  // ADD_ADDR_ULEB
      case 0x40: segoff += uint64_t(imm) * 8; break;  // ADD_ADDR_IMM_SCALED
      case 0x50:                                      // DO_REBASE_IMM_TIMES
        for (int i = 0; i < imm; i++) emit(), segoff += 8;
        break;
      case 0x60: {  // DO_REBASE_ULEB_TIMES
        uint64_t n = read_uleb(p, end);
        for (uint64_t i = 0; i < n; i++) emit(), segoff += 8;
        break;
      }
      case 0x70:  // DO_REBASE_ADD_ADDR_ULEB
        emit();
        segoff += read_uleb(p, end) + 8;
        break;
      case 0x80: {  // DO_REBASE_ULEB_TIMES_SKIPPING_ULEB
        uint64_t n = read_uleb(p, end), skip = read_uleb(p, end);
        for (uint64_t i = 0; i < n; i++) emit(), segoff += skip + 8;
        break;
      }
      default: bad("unknown rebase opcode " + hex(op));
    }
  }
}

// BIND_OPCODE_* (loader.h). In the lazy stream each entry ends with DONE,
// which there separates entries rather than ending the stream.
// Weak-bind rows only matter when another image defines the symbol too:
// libSystem defines none of the program's, so they are checked, not kept.
void bind_stream(const std::vector<uint8_t>& f, Image& im, uint32_t off, uint32_t size, bool lazy,
                 const char* what, bool keep = true) {
  if (!size) return;
  if (uint64_t(off) + size > f.size()) bad(std::string(what) + " info past the end of the file");
  const uint8_t *p = f.data() + off, *end = p + size;
  uint64_t seg = 0, segoff = 0;
  bool have_seg = false;
  int ordinal = 0;
  int64_t addend = 0;
  std::string sym;
  bool weak = false;
  auto emit = [&] {
    if (!have_seg) bad(std::string(what) + ": bind before SET_SEGMENT_AND_OFFSET_ULEB");
    if (sym.empty()) bad(std::string(what) + ": bind without a symbol");
    uint64_t a = seg_addr(im, seg, segoff, what);
    if (keep) im.binds.push_back({a, sym, addend, ordinal, weak, lazy});
  };
  while (p < end) {
    uint8_t op = *p & 0xf0, imm = *p & 0x0f;
    ++p;
    switch (op) {
      case 0x00:  // DONE
        if (!lazy) return;
        break;
      case 0x10: ordinal = imm; break;                                // SET_DYLIB_ORDINAL_IMM
      case 0x20: ordinal = int(read_uleb(p, end)); break;             // SET_DYLIB_ORDINAL_ULEB
      case 0x30: ordinal = imm ? int(int8_t(0xf0 | imm)) : 0; break;  // SPECIAL_IMM
      case 0x40: {  // SET_SYMBOL_TRAILING_FLAGS_IMM
        const uint8_t* z = static_cast<const uint8_t*>(std::memchr(p, 0, size_t(end - p)));
        if (!z) bad(std::string(what) + ": unterminated symbol name");
        sym.assign(reinterpret_cast<const char*>(p), size_t(z - p));
        p = z + 1;
        weak = imm & 1;  // BIND_SYMBOL_FLAGS_WEAK_IMPORT
        break;
      }
      case 0x50:  // SET_TYPE_IMM
        if (imm != 1) bad(std::string(what) + ": bind type " + std::to_string(imm));
        break;
      case 0x60: addend = read_sleb(p, end); break;  // SET_ADDEND_SLEB
      case 0x70:                                     // SET_SEGMENT_AND_OFFSET_ULEB
        seg = imm, segoff = read_uleb(p, end), have_seg = true;
        break;
      case 0x80: segoff += read_uleb(p, end); break;  // ADD_ADDR_ULEB
      case 0x90: emit(), segoff += 8; break;          // DO_BIND
      case 0xa0:                                      // DO_BIND_ADD_ADDR_ULEB
        emit();
        segoff += read_uleb(p, end) + 8;
        break;
      case 0xb0: emit(), segoff += uint64_t(imm) * 8 + 8; break;  // ..._IMM_SCALED
      case 0xc0: {  // DO_BIND_ULEB_TIMES_SKIPPING_ULEB
        uint64_t n = read_uleb(p, end), skip = read_uleb(p, end);
        for (uint64_t i = 0; i < n; i++) emit(), segoff += skip + 8;
        break;
      }
      case 0xd0: bad(std::string(what) + ": BIND_OPCODE_THREADED (arm64e only)");
      default: bad(std::string(what) + ": unknown bind opcode " + hex(op));
    }
  }
  if (!lazy) bad(std::string(what) + " info without BIND_OPCODE_DONE");
}

// LC_DYLD_CHAINED_FIXUPS (fixup-chains.h): per segment, per page, a chain
// of pointers each holding its own fixup and the distance to the next.
void chained_fixups(const std::vector<uint8_t>& f, Image& im, uint32_t off, uint32_t size) {
  if (uint64_t(off) + size > f.size() || size < 28) bad("chained fixups past the end of the file");
  auto hdr = [&](int i) { return get<uint32_t>(f, off + 4 * uint64_t(i)); };
  if (hdr(0) != 0) bad("chained fixups version " + std::to_string(hdr(0)));
  uint32_t starts = hdr(1), imports = hdr(2), symbols = hdr(3), nimports = hdr(4), ifmt = hdr(5),
           sfmt = hdr(6);
  if (sfmt != 0) bad("compressed chained-fixup symbol names");
  struct Import {
    std::string name;
    int ordinal;
    bool weak;
    int64_t addend;
  };
  std::vector<Import> imp;
  for (uint32_t i = 0; i < nimports; i++) {
    uint64_t lib, name, weak;
    int64_t addend = 0;
    if (ifmt == 1 || ifmt == 2) {
      uint32_t w = get<uint32_t>(f, off + imports + uint64_t(i) * (ifmt == 1 ? 4 : 8));
      lib = w & 0xff, weak = (w >> 8) & 1, name = w >> 9;
      if (ifmt == 2) addend = get<int32_t>(f, off + imports + uint64_t(i) * 8 + 4);
      imp.push_back({"", lib > 0xf0 ? int(int8_t(lib)) : int(lib), weak != 0, addend});
    } else if (ifmt == 3) {
      uint64_t w = get<uint64_t>(f, off + imports + uint64_t(i) * 16);
      lib = w & 0xffff, weak = (w >> 16) & 1, name = w >> 32;
      addend = get<int64_t>(f, off + imports + uint64_t(i) * 16 + 8);
      imp.push_back({"", lib > 0xfff0 ? int(int16_t(lib)) : int(lib), weak != 0, addend});
    } else {
      bad("chained imports format " + std::to_string(ifmt));
    }
    uint64_t n = off + uint64_t(symbols) + name;
    if (n >= f.size()) bad("chained import name past the end of the file");
    const char* s = reinterpret_cast<const char*>(f.data() + n);
    imp.back().name.assign(s, strnlen(s, f.size() - n));
  }
  uint64_t sio = off + uint64_t(starts);
  uint32_t nseg = get<uint32_t>(f, sio);
  for (uint32_t si = 0; si < nseg; si++) {
    uint32_t so = get<uint32_t>(f, sio + 4 + 4 * uint64_t(si));
    if (!so) continue;
    uint64_t s = sio + so;
    uint16_t page_size = get<uint16_t>(f, s + 4), fmt = get<uint16_t>(f, s + 6);
    uint64_t segoff = get<uint64_t>(f, s + 8);
    uint16_t npages = get<uint16_t>(f, s + 20);
    if (fmt != 2 && fmt != 6)
      bad("chained pointer format " + std::to_string(fmt) +
          " (only DYLD_CHAINED_PTR_64 and _64_OFFSET)");
    for (uint16_t pg = 0; pg < npages; pg++) {
      uint16_t start = get<uint16_t>(f, s + 22 + 2 * uint64_t(pg));
      if (start == 0xffff) continue;  // DYLD_CHAINED_PTR_START_NONE
      if (start & 0x8000) bad("multiple chain starts in a page (32-bit formats only)");
      uint64_t a = im.header + segoff + uint64_t(pg) * page_size + start;
      for (;;) {
        uint64_t v = file_word(f, im, a);
        uint64_t next = (v >> 51) & 0xfff;
        if (v >> 63) {  // dyld_chained_ptr_64_bind
          uint64_t ord = v & 0xffffff;
          if (ord >= imp.size()) bad("chained bind to import " + std::to_string(ord));
          const Import& i = imp[ord];
          im.binds.push_back(
              {a, i.name, i.addend + int64_t((v >> 24) & 0xff), i.ordinal, i.weak, false});
        } else {  // dyld_chained_ptr_64_rebase: 36-bit target, high8
          uint64_t t = v & 0xfffffffffULL;
          if (fmt == 6) t += im.header;
          im.rebases.push_back({a, t | (((v >> 36) & 0xff) << 56)});
        }
        if (!next) break;
        a += next * 4;
      }
    }
  }
  im.chained = true;
}

}  // namespace

uint64_t read_uleb(const uint8_t*& p, const uint8_t* end) {
  uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    if (p >= end) bad("ULEB128 past the end of its stream");
    if (shift > 63) bad("ULEB128 wider than 64 bits");
    uint8_t b = *p++;
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return v;
  }
}

int64_t read_sleb(const uint8_t*& p, const uint8_t* end) {
  int64_t v = 0;
  int shift = 0;
  uint8_t b;
  do {
    if (p >= end) bad("SLEB128 past the end of its stream");
    if (shift > 63) bad("SLEB128 wider than 64 bits");
    b = *p++;
    v |= int64_t(b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 64 && (b & 0x40)) v |= -(int64_t(1) << shift);
  return v;
}

const Segment* Image::segment_named(const std::string& n) const {
  for (const Segment& s : segments)
    if (s.name == n) return &s;
  return nullptr;
}

Image parse(const std::vector<uint8_t>& f) {
  Image im;
  if (get<uint32_t>(f, 0) != kMagic64) bad("not a 64-bit Mach-O (magic)");
  uint32_t cpu = get<uint32_t>(f, 4);
  if (cpu == kCpuX86_64)
    im.cpu = Cpu::amd64;
  else if (cpu == kCpuArm64)
    im.cpu = Cpu::arm64;
  else
    bad("cputype " + hex(cpu) + " (only x86_64 and arm64)");
  im.filetype = get<uint32_t>(f, 12);
  if (im.filetype != kMhExecute) bad("not an executable (MH_EXECUTE)");
  uint32_t ncmds = get<uint32_t>(f, 16), sizeofcmds = get<uint32_t>(f, 20);
  im.flags = get<uint32_t>(f, 24);
  if (32 + uint64_t(sizeofcmds) > f.size()) bad("load commands past the end of the file");
  struct DyldInfo {
    uint32_t v[10];
  };
  DyldInfo info{};
  bool have_info = false, have_main = false;
  uint32_t chain_off = 0, chain_size = 0;
  uint64_t entryoff = 0;
  uint64_t c = 32, end = 32 + uint64_t(sizeofcmds);
  for (uint32_t i = 0; i < ncmds; i++) {
    if (c + 8 > end) bad("load command past sizeofcmds");
    uint32_t cmd = get<uint32_t>(f, c), size = get<uint32_t>(f, c + 4);
    if (size < 8 || c + size > end || size % 8) bad("load command " + hex(cmd) + " size");
    switch (cmd) {
      case kLcSegment64: {
        if (size < 72) bad("LC_SEGMENT_64 too small");
        Segment s;
        s.name = fixed_name(f, c + 8);
        s.vmaddr = get<uint64_t>(f, c + 24), s.vmsize = get<uint64_t>(f, c + 32);
        s.fileoff = get<uint64_t>(f, c + 40), s.filesize = get<uint64_t>(f, c + 48);
        s.maxprot = get<uint32_t>(f, c + 56), s.initprot = get<uint32_t>(f, c + 60);
        uint32_t nsects = get<uint32_t>(f, c + 64);
        if (72 + uint64_t(nsects) * 80 > size) bad("sections past LC_SEGMENT_64 " + s.name);
        if (s.filesize > s.vmsize || s.fileoff > f.size() || f.size() - s.fileoff < s.filesize)
          bad("segment " + s.name + " past the end of the file");
        if (s.fileoff == 0 && s.filesize) im.header = s.vmaddr;
        for (uint32_t k = 0; k < nsects; k++) {
          uint64_t o = c + 72 + uint64_t(k) * 80;
          Section x;
          x.sectname = fixed_name(f, o), x.segname = fixed_name(f, o + 16);
          x.addr = get<uint64_t>(f, o + 32), x.size = get<uint64_t>(f, o + 40);
          x.offset = get<uint32_t>(f, o + 48), x.flags = get<uint32_t>(f, o + 64);
          if (x.addr < s.vmaddr || x.addr + x.size > s.vmaddr + s.vmsize)
            bad("section " + x.sectname + " outside segment " + s.name);
          im.sections.push_back(x);
        }
        im.segments.push_back(s);
        break;
      }
      case kLcMain:
        entryoff = get<uint64_t>(f, c + 8), im.stacksize = get<uint64_t>(f, c + 16);
        have_main = true;
        break;
      case kLcDyldInfo:
      case kLcDyldInfoOnly:
        for (int k = 0; k < 10; k++) info.v[k] = get<uint32_t>(f, c + 8 + 4 * uint64_t(k));
        have_info = true;
        break;
      case kLcChainedFixups:
        chain_off = get<uint32_t>(f, c + 8), chain_size = get<uint32_t>(f, c + 12);
        break;
      case kLcLoadDylib: {
        uint32_t noff = get<uint32_t>(f, c + 8);
        if (noff >= size) bad("LC_LOAD_DYLIB name offset");
        const char* s = reinterpret_cast<const char*>(f.data() + c + noff);
        im.dylibs.emplace_back(s, strnlen(s, size - noff));
        break;
      }
      default:
        if (cmd & kLcReqDyld) bad("load command " + hex(cmd) + " that dyld requires, unknown here");
    }
    c += size;
  }
  if (!have_main) bad("no LC_MAIN");
  bool first = true;
  for (const Segment& s : im.segments) {
    if (s.initprot == 0 && s.filesize == 0) continue;  // __PAGEZERO: reserved, not mapped
    if (first || s.vmaddr < im.lo) im.lo = s.vmaddr;
    if (first || s.vmaddr + s.vmsize > im.hi) im.hi = s.vmaddr + s.vmsize;
    first = false;
  }
  const Segment* text = im.segment_named("__TEXT");
  if (!text) bad("no __TEXT segment");
  if (entryoff >= text->filesize) bad("LC_MAIN entry outside __TEXT");
  im.entry = text->vmaddr + entryoff - text->fileoff;
  if (have_info && chain_size) bad("both LC_DYLD_INFO and LC_DYLD_CHAINED_FIXUPS");
  if (have_info) {
    rebase_stream(f, im, info.v[0], info.v[1]);
    bind_stream(f, im, info.v[2], info.v[3], false, "bind");
    bind_stream(f, im, info.v[4], info.v[5], false, "weak bind", false);
    bind_stream(f, im, info.v[6], info.v[7], true, "lazy bind");
  } else if (chain_size) {
    chained_fixups(f, im, chain_off, chain_size);
  }
  return im;
}

}  // namespace sim::macho
