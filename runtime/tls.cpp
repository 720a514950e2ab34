// runtime/tls.cpp — static TLS: each M's copy of the program's thread_local
// data, laid out around its thread pointer as the arch's ELF TLS ABI demands
// (runtime/port.h's TlsBlock, arch_port.h's kTls* constants).
//
// gort programs are static ELF executables built without -fpic, so the
// compiler uses the local-exec model: every access is tp + a constant the
// linker computed from the PT_TLS segment's size and alignment. The runtime
// must therefore put, for every M, a copy of that segment exactly where the
// linker expects it: .tdata's initial image followed by zeroed .tbss.
//
// The segment is found through the program headers, which the linker maps
// with the ELF header (__ehdr_start); no section symbols are trusted. Darwin's dyld lays out
// thread_local storage itself (GORT_OS_LOADER_TLS): there the area is the TlsBlock alone.
#include "elf.h"
#include "gort/gort.h"
#include "memops.h"
#include "runtime.h"

namespace gort {

namespace {

struct TlsLayout {
  const char* image = nullptr;  // .tdata's initial contents
  uintptr_t filesz = 0;         // bytes of image; the rest of memsz is .tbss
  uintptr_t memsz = 0;
  uintptr_t align = 16;   // of tp and of the area (at least 16)
  uintptr_t tp_off = 0;   // tp - area start
  intptr_t data_off = 0;  // TLS data - tp
  uintptr_t size = 0;     // area bytes from its (aligned) start
};
TlsLayout layout;

constexpr uintptr_t round_up(uintptr_t n, uintptr_t a) { return (n + a - 1) & ~(a - 1); }

#if !defined(GORT_OS_LOADER_TLS)
using elf::kPT_LOAD, elf::kPT_TLS;

// Defined by the linker when the ELF header is loaded, as it is in every
// gort program (GNU ld and lld both map it with the first segment). Not weak:
// a link that did not map it fails at build time instead of guessing.
extern "C" const elf::Ehdr __ehdr_start __attribute__((visibility("hidden")));

// Finds PT_TLS; false if the program has no thread_local data.
bool find_tls_segment() {
  const elf::Ehdr* eh = &__ehdr_start;
  if (eh->phentsize != sizeof(elf::Phdr)) fatal("static TLS: unexpected ELF program header size");
  auto* ph = reinterpret_cast<const elf::Phdr*>(reinterpret_cast<const char*>(eh) + eh->phoff);
  // Where the file is loaded relative to its link addresses: zero for the
  // static, non-PIE executables gort builds, but measured, not assumed.
  // The segment holding the header is the first PT_LOAD that maps file
  // offset 0 with file bytes: a .bss-only segment (a variable aligned past
  // the page size gets one) also says offset 0, but maps none.
  uintptr_t bias = 0;
  bool found = false;
  const elf::Phdr* tls = nullptr;
  for (int i = 0; i < eh->phnum; i++) {
    if (!found && ph[i].type == kPT_LOAD && ph[i].offset == 0 && ph[i].filesz > 0) {
      bias = uintptr_t(eh) - ph[i].vaddr;
      found = true;
    }
    if (ph[i].type == kPT_TLS) tls = &ph[i];
  }
  if (!tls || tls->memsz == 0) return false;
  uintptr_t a = tls->align ? tls->align : 1;
  if ((a & (a - 1)) != 0 || tls->vaddr % a != 0 || tls->filesz > tls->memsz)
    fatal("static TLS: malformed PT_TLS segment");
  layout.image = reinterpret_cast<const char*>(tls->vaddr + bias);
  layout.filesz = tls->filesz;
  layout.memsz = tls->memsz;
  if (a > layout.align) layout.align = a;
  return true;
}
#endif

}  // namespace

void tlsinit() {
  uintptr_t a = 1;
#if !defined(GORT_OS_LOADER_TLS)
  if (find_tls_segment()) a = layout.align;
#endif
  // The data's offset from tp, exactly as the linker computed its accesses.
  if (kTlsVariant == 2)
    layout.data_off = -intptr_t(round_up(layout.memsz, a));
  else
    layout.data_off = intptr_t(round_up(kTlsTcbSize, a)) - kTlsTpOffset;
  intptr_t lo = kTlsBlockOffset < layout.data_off ? kTlsBlockOffset : layout.data_off;
  intptr_t hi = layout.data_off + intptr_t(layout.memsz);
  intptr_t block_end = kTlsBlockOffset + intptr_t(sizeof(TlsBlock));
  if (block_end > hi) hi = block_end;
  if (lo > 0) lo = 0;
  layout.tp_off = round_up(uintptr_t(-lo), layout.align);
  // With a biased tp (POWER) it is the data's start that must be aligned.
  if (kTlsTpOffset != 0) {
    uintptr_t mis = (layout.tp_off + uintptr_t(layout.data_off)) & (layout.align - 1);
    if (mis) layout.tp_off += layout.align - mis;
  }
  layout.size = layout.tp_off + uintptr_t(hi);
}

uintptr_t tls_area_size() { return layout.size + layout.align - 1; }

TlsBlock* tls_area_init(void* mem, M* m, G* g0) {
  uintptr_t start = round_up(uintptr_t(mem), layout.align);
  char* tp = reinterpret_cast<char*>(start + layout.tp_off);
  char* data = tp + layout.data_off;
  mem_move(data, layout.image, layout.filesz);
  mem_set(data + layout.filesz, 0, layout.memsz - layout.filesz);
  auto* b = reinterpret_cast<TlsBlock*>(tp + kTlsBlockOffset);
  b->self = b;
  b->m = m;
  b->g = g0;
  return b;
}

void* tls_tp(TlsBlock* b) { return reinterpret_cast<char*>(b) - kTlsBlockOffset; }

}  // namespace gort
