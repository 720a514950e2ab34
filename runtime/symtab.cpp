// runtime/symtab.cpp — see symtab.h.
#include "symtab.h"

#include "atomic.h"
#include "elf.h"
#include "macho.h"
#include "runtime.h"

namespace gort {

namespace {
size_t nsyms = 0;
const char* strtab = nullptr;
uint32_t state = 0;  // 0 not tried, 1 loading, 2 loaded, 3 unavailable

#if defined(GORT_OS_MACHO)
// Mach-O: the symbol table lies in __LINKEDIT, which dyld maps read-only,
// so it is read in place (no file). nlist_64 has no sizes: a function
// ends where the next symbol of its section starts, or its section ends.
const macho::Nlist64* msyms = nullptr;
constexpr uint32_t kMaxSects = 255;                       // nlist_64.sect is one byte
uint64_t code_lo[kMaxSects + 1], code_hi[kMaxSects + 1];  // link addresses; hi 0: not code
intptr_t mslide = 0;

bool same_name(const char (&seg)[16], const char* want) {
  for (int i = 0; i < 16; i++) {
    if (seg[i] != want[i]) return false;
    if (!want[i]) return true;
  }
  return !want[16];
}

void load() {
  if (!macho::header()) return;
  mslide = macho::slide();
  const macho::SegmentCommand64* linkedit = nullptr;
  const macho::SymtabCommand* st = nullptr;
  macho::each_command([&](const macho::LoadCommand* c) {
    auto* sc = reinterpret_cast<const macho::SegmentCommand64*>(c);
    if (c->cmd == macho::kLC_SEGMENT_64 && same_name(sc->segname, "__LINKEDIT")) linkedit = sc;
    if (c->cmd == macho::kLC_SYMTAB) st = reinterpret_cast<const macho::SymtabCommand*>(c);
  });
  if (!linkedit || !st || st->symoff < linkedit->fileoff || st->stroff < linkedit->fileoff ||
      uint64_t(st->symoff) + uint64_t(st->nsyms) * sizeof(macho::Nlist64) >
          linkedit->fileoff + linkedit->filesize ||
      uint64_t(st->stroff) + st->strsize > linkedit->fileoff + linkedit->filesize)
    return;
  macho::each_section([](const macho::Section64* s, uint32_t n) {
    if (n <= kMaxSects &&
        (s->flags & (macho::kS_ATTR_PURE_INSTRUCTIONS | macho::kS_ATTR_SOME_INSTRUCTIONS))) {
      code_lo[n] = s->addr;
      code_hi[n] = s->addr + s->size;
    }
  });
  auto* base = reinterpret_cast<const char*>(linkedit->vmaddr + mslide - linkedit->fileoff);
  msyms = reinterpret_cast<const macho::Nlist64*>(base + st->symoff);
  nsyms = st->nsyms;
  strtab = base + st->stroff;
}

bool code_symbol(const macho::Nlist64& s) {
  return !(s.type & macho::kN_STAB) && (s.type & macho::kN_TYPE) == macho::kN_SECT &&
         code_hi[s.sect] != 0;
}

bool lookup(uintptr_t pc, const char** name, uintptr_t* off) {
  uint64_t at = pc - uint64_t(mslide);
  const macho::Nlist64* best = nullptr;
  for (size_t i = 0; i < nsyms; i++) {
    const macho::Nlist64& s = msyms[i];
    if (!code_symbol(s) || s.value > at) continue;
    // Of two names for one address, the assembler's local labels (l, L) lose.
    if (!best || s.value > best->value ||
        (s.value == best->value && (strtab[best->strx] == 'l' || strtab[best->strx] == 'L')))
      best = &s;
  }
  if (!best || at >= code_hi[best->sect]) return false;
  const char* n = strtab + best->strx;
  *name = n[0] == '_' ? n + 1 : n;  // C names carry a leading underscore in Mach-O
  *off = uintptr_t(at - best->value);
  return true;
}
#else
// ELF: the executable's .symtab section, read from the file.
using elf::Ehdr, elf::Shdr, elf::Sym, elf::kSHT_SYMTAB, elf::kSTT_FUNC;
const Sym* syms = nullptr;

// The whole executable, mapped read-write and read in (no mmap of files in
// the porting interface; this runs only on fatal paths).
const uint8_t* read_exe(size_t* size) {
  const char* path = boot.aux.execfn ? boot.aux.execfn : "/proc/self/exe";
  int fd = os_open(path, false);
  if (fd < 0) fd = os_open("/proc/self/exe", false);
  if (fd < 0) return nullptr;
  size_t cap = 1 << 20, n = 0;
  auto* buf = static_cast<uint8_t*>(os_mmap(nullptr, cap, kProtRead | kProtWrite));
  while (buf) {
    if (n == cap) {  // grow: a new mapping, copy, drop the old
      auto* bigger = static_cast<uint8_t*>(os_mmap(nullptr, cap * 2, kProtRead | kProtWrite));
      if (bigger)
        for (size_t i = 0; i < n; i++) bigger[i] = buf[i];
      os_munmap(buf, cap);
      buf = bigger;
      cap *= 2;
      continue;
    }
    long r = os_read(fd, buf + n, cap - n);
    if (r <= 0) break;
    n += size_t(r);
  }
  os_close(fd);
  *size = n;
  return buf;
}

void load() {
  size_t size = 0;
  const uint8_t* f = read_exe(&size);
  if (!f || size < sizeof(Ehdr) || f[0] != 0x7f || f[1] != 'E' || f[2] != 'L' || f[3] != 'F')
    return;
  auto* eh = reinterpret_cast<const Ehdr*>(f);
  if (eh->shoff + uint64_t(eh->shnum) * sizeof(Shdr) > size) return;
  auto* sh = reinterpret_cast<const Shdr*>(f + eh->shoff);
  for (int i = 0; i < eh->shnum; i++) {
    if (sh[i].type != kSHT_SYMTAB || sh[i].link >= eh->shnum) continue;
    const Shdr& str = sh[sh[i].link];
    if (sh[i].offset + sh[i].size > size || str.offset + str.size > size) return;
    syms = reinterpret_cast<const Sym*>(f + sh[i].offset);
    nsyms = sh[i].size / sizeof(Sym);
    strtab = reinterpret_cast<const char*>(f + str.offset);
    return;
  }
}

bool lookup(uintptr_t pc, const char** name, uintptr_t* off) {
  const Sym* best = nullptr;
  for (size_t i = 0; i < nsyms; i++) {
    const Sym& s = syms[i];
    if ((s.info & 0xf) != kSTT_FUNC || pc < s.value) continue;
    if (pc < s.value + (s.size ? s.size : 1) && (!best || s.value > best->value)) best = &s;
  }
  if (!best) return false;
  *name = strtab + best->name;
  *off = pc - best->value;
  return true;
}
#endif
}  // namespace

bool funcname(uintptr_t pc, const char** name, uintptr_t* off) {
  if (atomic::cas(&state, 0u, 1u)) {
    load();
    atomic::store(&state, nsyms ? 2u : 3u);
  }
  while (atomic::load(&state) == 1) arch_procyield(100);
  if (atomic::load(&state) != 2) return false;
  return lookup(pc, name, off);
}

}  // namespace gort
