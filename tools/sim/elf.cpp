// gort-sim: static ELF64 loading, binary identification and the initial
// stack builder (elf.h).
#include "elf.h"

#include <cstring>
#include <fstream>
#include <iterator>

namespace sim {

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fatal("cannot open " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

namespace {
template <typename T>
T get(const std::vector<uint8_t>& f, uint64_t off) {
  if (off + sizeof(T) > f.size() || off + sizeof(T) < off) fatal("ELF: truncated file");
  T v;
  memcpy(&v, f.data() + off, sizeof v);
  return v;
}

// The FreeBSD brand note: namesz 8, "FreeBSD\0", type NT_FREEBSD_ABI_TAG,
// a 4-byte __FreeBSD_version.
bool find_freebsd_note(const std::vector<uint8_t>& f, const elf::Phdr& ph, uint32_t* version) {
  uint64_t off = ph.offset, end = ph.offset + ph.filesz;
  if (end > f.size() || end < off) fatal("ELF: note segment outside the file");
  while (off + 12 <= end) {
    uint32_t namesz = get<uint32_t>(f, off), descsz = get<uint32_t>(f, off + 4);
    uint32_t type = get<uint32_t>(f, off + 8);
    uint64_t name = off + 12, desc = name + ((namesz + 3) & ~3u);
    if (desc + descsz > end) break;
    if (type == elf::NT_FREEBSD_ABI_TAG && namesz == 8 &&
        memcmp(f.data() + name, "FreeBSD", 8) == 0 && descsz >= 4) {
      *version = get<uint32_t>(f, desc);
      return true;
    }
    off = desc + ((descsz + 3) & ~3u);
  }
  return false;
}
}  // namespace

ElfImage parse_elf(const std::vector<uint8_t>& f) {
  if (f.size() < sizeof(elf::Ehdr) || memcmp(f.data(),
                                             "\x7f"
                                             "ELF",
                                             4) != 0)
    fatal("not an ELF file");
  auto eh = get<elf::Ehdr>(f, 0);
  if (eh.ident[4] != 2)
    fatal("ELF: not a 64-bit ELF (EI_CLASS " + std::to_string(eh.ident[4]) + ")");
  if (eh.ident[5] != 1)
    fatal("ELF: EI_DATA " + std::to_string(eh.ident[5]) + ": only little-endian is simulated");
  if (eh.type != 2) fatal("ELF: not a static executable (e_type " + std::to_string(eh.type) + ")");
  ElfImage im;
  switch (eh.machine) {
    case elf::EM_X86_64: im.cpu = Cpu::amd64; break;
    case elf::EM_AARCH64: im.cpu = Cpu::arm64; break;
    case elf::EM_RISCV: im.cpu = Cpu::riscv64; break;
    default: fatal("ELF: unsupported machine " + std::to_string(eh.machine));
  }
  if (eh.phentsize != sizeof(elf::Phdr)) fatal("ELF: unexpected e_phentsize");
  im.osabi = eh.ident[7];
  im.entry = eh.entry;
  im.phnum = eh.phnum;
  im.phent = eh.phentsize;
  bool have_phdr = false;
  uint64_t first_load = UINT64_MAX;
  for (unsigned i = 0; i < eh.phnum; i++) {
    auto ph = get<elf::Phdr>(f, eh.phoff + uint64_t(i) * sizeof(elf::Phdr));
    im.phdrs.push_back(ph);
    if (ph.type == elf::PT_PHDR) {
      im.phdr = ph.vaddr;
      have_phdr = true;
    }
    if (ph.type == elf::PT_LOAD) {
      if (ph.filesz > ph.memsz) fatal("ELF: PT_LOAD with p_filesz > p_memsz");
      if (ph.offset + ph.filesz > f.size()) fatal("ELF: PT_LOAD outside the file");
      // The loaded segment holding the headers gives their address.
      if (first_load == UINT64_MAX && ph.offset <= eh.phoff &&
          eh.phoff + eh.phnum * sizeof(elf::Phdr) <= ph.offset + ph.filesz)
        first_load = ph.vaddr + (eh.phoff - ph.offset);
    }
    if (ph.type == elf::PT_GNU_STACK) im.exec_stack = (ph.flags & elf::PF_X) != 0;
    if (ph.type == elf::PT_NOTE && !im.freebsd_note)
      im.freebsd_note = find_freebsd_note(f, ph, &im.freebsd_version);
  }
  if (!have_phdr && first_load != UINT64_MAX) im.phdr = first_load;
  return im;
}

BinaryKind identify(const std::vector<uint8_t>& f) {
  if (f.size() >= 8) {
    uint32_t magic, cputype;
    memcpy(&magic, f.data(), 4);
    memcpy(&cputype, f.data() + 4, 4);
    if (magic == 0xfeedfacf) {                                   // MH_MAGIC_64
      if (cputype == 0x01000007) return {"darwin", Cpu::amd64};  // CPU_TYPE_X86_64
      if (cputype == 0x0100000c) return {"darwin", Cpu::arm64};  // CPU_TYPE_ARM64
      fatal("Mach-O: unsupported cputype " + std::to_string(cputype));
    }
  }
  ElfImage im = parse_elf(f);
  if (im.osabi == elf::ELFOSABI_FREEBSD || im.freebsd_note) return {"freebsd", im.cpu};
  if (im.osabi == elf::ELFOSABI_NONE || im.osabi == elf::ELFOSABI_LINUX) return {"linux", im.cpu};
  fatal("ELF: unsupported EI_OSABI " + std::to_string(im.osabi));
}

ElfImage load_elf(Machine& m, const std::vector<uint8_t>& f) {
  ElfImage im = parse_elf(f);
  const uint64_t pg = m.page_size();
  im.lo = UINT64_MAX;
  // Map every segment's pages writable to fill them, then give each page
  // the union of the protections of the segments that touch it.
  std::vector<std::pair<uint64_t, uint64_t>> mapped;
  for (auto& ph : im.phdrs) {
    if (ph.type != elf::PT_LOAD || ph.memsz == 0) continue;
    uint64_t lo = ph.vaddr & ~(pg - 1), hi = (ph.vaddr + ph.memsz + pg - 1) & ~(pg - 1);
    im.lo = std::min(im.lo, lo);
    im.hi = std::max(im.hi, hi);
    for (uint64_t p = lo; p < hi; p += pg)
      if (!m.is_mapped(p, pg)) m.map(p, pg, kRead | kWrite);
    m.write(ph.vaddr, f.data() + ph.offset, ph.filesz);
  }
  if (im.lo == UINT64_MAX) fatal("ELF: no PT_LOAD segment");
  std::vector<std::pair<uint64_t, unsigned>> page_prot;
  for (uint64_t p = im.lo; p < im.hi; p += pg) {
    unsigned prot = 0;
    bool any = false;
    for (auto& ph : im.phdrs) {
      if (ph.type != elf::PT_LOAD || ph.memsz == 0) continue;
      uint64_t lo = ph.vaddr & ~(pg - 1), hi = (ph.vaddr + ph.memsz + pg - 1) & ~(pg - 1);
      if (p < lo || p >= hi) continue;
      any = true;
      prot |= ((ph.flags & elf::PF_R) ? unsigned(kRead) : 0u) |
              ((ph.flags & elf::PF_W) ? unsigned(kWrite) : 0u) |
              ((ph.flags & elf::PF_X) ? unsigned(kExec) : 0u);
    }
    if (any) m.protect(p, pg, prot);
  }
  return im;
}

std::vector<uint8_t> cstr_blob(const std::string& s) {
  std::vector<uint8_t> b(s.begin(), s.end());
  b.push_back(0);
  return b;
}

StackLayout build_stack(Machine& m, uint64_t top, const InitialStack& s) {
  uint64_t at = top;
  auto push_bytes = [&](const void* p, uint64_t n) {
    at -= n;
    if (!m.write(at, p, n)) fatal("initial stack does not fit its mapping");
    return at;
  };
  at -= 16;  // an end marker of zeros, as Linux leaves below the top
  std::vector<std::pair<uint64_t, uint64_t>> auxv = s.auxv;
  for (auto& [type, bytes] : s.blobs) {
    uint64_t a = push_bytes(bytes.data(), bytes.size());
    auxv.push_back({type, a});
  }
  std::vector<uint64_t> envp, argv;
  for (auto it = s.envp.rbegin(); it != s.envp.rend(); ++it)
    envp.insert(envp.begin(), push_bytes(it->c_str(), it->size() + 1));
  for (auto it = s.argv.rbegin(); it != s.argv.rend(); ++it)
    argv.insert(argv.begin(), push_bytes(it->c_str(), it->size() + 1));
  // The words: argc, argv..., 0, envp..., 0, auxv pairs, AT_NULL pair.
  std::vector<uint64_t> words;
  words.push_back(argv.size());
  words.insert(words.end(), argv.begin(), argv.end());
  words.push_back(0);
  words.insert(words.end(), envp.begin(), envp.end());
  words.push_back(0);
  for (auto& [k, v] : auxv) {
    words.push_back(k);
    words.push_back(v);
  }
  words.push_back(0);
  words.push_back(0);
  at = (at - words.size() * 8) & ~uint64_t(15);
  if (!m.write(at, words.data(), words.size() * 8)) fatal("initial stack does not fit its mapping");
  StackLayout l;
  l.sp = at;
  l.argv = at + 8;
  l.envp = l.argv + (argv.size() + 1) * 8;
  l.auxv = l.envp + (envp.size() + 1) * 8;
  return l;
}

}  // namespace sim
