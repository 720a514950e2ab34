// runtime/symtab.cpp — see symtab.h.
#include "symtab.h"

#include "atomic.h"
#include "elf.h"
#include "runtime.h"

namespace gort {

namespace {
using elf::Ehdr, elf::Shdr, elf::Sym, elf::kSHT_SYMTAB, elf::kSTT_FUNC;

const Sym* syms = nullptr;
size_t nsyms = 0;
const char* strtab = nullptr;
uint32_t state = 0;  // 0 not tried, 1 loading, 2 loaded, 3 unavailable

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
}  // namespace

bool funcname(uintptr_t pc, const char** name, uintptr_t* off) {
  if (atomic::cas(&state, 0u, 1u)) {
    load();
    atomic::store(&state, syms ? 2u : 3u);
  }
  while (atomic::load(&state) == 1) arch_procyield(100);
  if (atomic::load(&state) != 2) return false;
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

}  // namespace gort
