// os/linux/vdso_linux.cpp — clock_gettime through the vDSO, as Go's
// vdso_linux.go: the kernel maps a small shared object into every process
// (its ELF header's address is the auxv entry AT_SYSINFO_EHDR) whose
// clock_gettime reads the clock without entering the kernel. A timer
// heap reads the clock once per goroutine it wakes, so a system call each
// time would cost more than the rest of the wakeup.
//
// The lookup walks the object's dynamic symbol table for the arch's name
// (sys_linux_<arch>.h: kVdsoClockGettime). Every Linux vDSO defines that
// name once, so symbol versions are not checked (Go checks them). Without
// the vDSO (a kernel or emulator that maps none, or no such symbol) the
// clocks fall back to the system call.
#include GORT_SYS_H

#include "vdso_linux.h"

#include "elf.h"
#include "port.h"

namespace gort {

namespace {

bool streq(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

// How many symbols the table has: DT_HASH says (nchain); DT_GNU_HASH only
// through its chains, whose last entry has bit 0 set.
uint32_t nsyms(const uint32_t* hash, const uint32_t* gnu) {
  if (hash) return hash[1];
  if (!gnu) return 0;
  uint32_t nbuckets = gnu[0], symoffset = gnu[1], bloomwords = gnu[2];
  auto* buckets =
      reinterpret_cast<const uint32_t*>(reinterpret_cast<const uint64_t*>(gnu + 4) + bloomwords);
  const uint32_t* chain = buckets + nbuckets;
  uint32_t last = 0;
  for (uint32_t i = 0; i < nbuckets; i++)
    if (buckets[i] > last) last = buckets[i];
  if (last < symoffset) return symoffset;
  while (!(chain[last - symoffset] & 1)) last++;
  return last + 1;
}

VdsoClockGettime clock_gettime_fn;
bool mapped;  // the kernel gave us a vDSO

}  // namespace

void vdso_init(uintptr_t base) {
  mapped = base != 0;
  auto* eh = reinterpret_cast<const elf::Ehdr*>(base);
  if (!base || eh->ident[0] != 0x7f || eh->ident[1] != 'E' || eh->ident[4] != 2) return;
  auto* ph = reinterpret_cast<const elf::Phdr*>(base + eh->phoff);
  uintptr_t load = 0;
  const elf::Dyn* dyn = nullptr;
  bool loaded = false;
  for (int i = 0; i < eh->phnum; i++) {
    if (ph[i].type == elf::kPT_LOAD && !loaded) {
      load = base + ph[i].offset - ph[i].vaddr;  // where link-time address 0 landed
      loaded = true;
    }
    if (ph[i].type == elf::kPT_DYNAMIC)
      dyn = reinterpret_cast<const elf::Dyn*>(base + ph[i].offset);
  }
  if (!loaded || !dyn) return;
  const char* strtab = nullptr;
  const elf::Sym* symtab = nullptr;
  const uint32_t *hash = nullptr, *gnu = nullptr;
  for (; dyn->tag != elf::kDT_NULL; dyn++) {
    uintptr_t p = load + dyn->val;
    switch (dyn->tag) {
      case elf::kDT_STRTAB: strtab = reinterpret_cast<const char*>(p); break;
      case elf::kDT_SYMTAB: symtab = reinterpret_cast<const elf::Sym*>(p); break;
      case elf::kDT_HASH: hash = reinterpret_cast<const uint32_t*>(p); break;
      case elf::kDT_GNU_HASH: gnu = reinterpret_cast<const uint32_t*>(p); break;
    }
  }
  if (!strtab || !symtab) return;
  uint32_t n = nsyms(hash, gnu);
  for (uint32_t i = 0; i < n; i++) {
    const elf::Sym& s = symtab[i];
    uint8_t bind = s.info >> 4, type = s.info & 0xf;
    if (type != elf::kSTT_FUNC || (bind != elf::kSTB_GLOBAL && bind != elf::kSTB_WEAK) ||
        s.shndx == 0)
      continue;
    if (streq(strtab + s.name, sys::kVdsoClockGettime)) {
      clock_gettime_fn = reinterpret_cast<VdsoClockGettime>(load + s.value);
      return;
    }
  }
}

VdsoClockGettime vdso_clock_gettime() { return clock_gettime_fn; }

int linux_vdso_state() { return clock_gettime_fn ? 2 : mapped ? 1 : 0; }

}  // namespace gort
