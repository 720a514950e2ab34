// runtime/mgcroots.cpp — the roots that are not goroutines: the program's
// writable segments, found through its own headers (the ELF program
// headers, or the Mach-O load commands), and the ranges the program
// registers with gort::add_roots (bdwgc's GC_add_roots).
#include "atomic.h"
#include "elf.h"
#include "gort/gort.h"
#include "macho.h"
#include "mgc.h"
#include "runtime.h"

namespace gort {

namespace {

struct Range {
  uintptr_t lo = 0, hi = 0;
};

constexpr int kMaxSegments = 16;
Range segments[kMaxSegments];
int nsegments = 0;

constexpr int kMaxUserRoots = 4096;
RtMutex roots_lock;
Range user_roots[kMaxUserRoots];
int nuser_roots = 0;

void add_segment(uintptr_t lo, uintptr_t hi) {
  lo = (lo + 7) & ~uintptr_t(7);
  if (hi <= lo) return;
  // Two stacks lie in .bss: m0's g0 stack, behind a guard page nothing may
  // read (gc_mark scans m0's g0 from where it stopped, as every M's), and
  // m0's signal stack, where the contexts signals interrupted stay behind
  // stale (Go scans no signal stack; a handler never holds the only
  // pointer to anything across a collection).
  const Range skip[] = {{m0_stack_region(), m0_stack_region() + kM0Guard + kM0Stack},
                        {m0_sigstack_region(), m0_sigstack_region() + kSigStackSize}};
  for (const Range& r : skip)
    if (r.lo < hi && lo < r.hi) {
      if (lo < r.lo) add_segment(lo, r.lo);
      if (r.hi < hi) add_segment(r.hi, hi);
      return;
    }
  if (nsegments == kMaxSegments) fatal("gcinit: too many writable segments");
  segments[nsegments++] = Range{lo, hi};
}

#if defined(GORT_OS_MACHO)
// Mach-O: the LC_SEGMENT_64 segments whose initial protection allows
// writing are the data.
void find_segments() {
  if (!macho::header()) fatal("gcinit: not a 64-bit Mach-O image");
  intptr_t slide = macho::slide();
  macho::each_command([slide](const macho::LoadCommand* c) {
    auto* sc = reinterpret_cast<const macho::SegmentCommand64*>(c);
    if (c->cmd == macho::kLC_SEGMENT_64 && (sc->initprot & macho::kVM_PROT_WRITE))
      add_segment(uintptr_t(sc->vmaddr + slide), uintptr_t(sc->vmaddr + slide + sc->vmsize));
  });
}

// Thread-local variables: dyld makes each thread's block from the
// template (__thread_data, then __thread_bss) on its first use, in memory
// gort does not see. Any descriptor's thunk gives the calling thread's
// address of its variable, offset bytes into the block.
const macho::TlvDescriptor* tlv_desc = nullptr;
uintptr_t tlv_size = 0;

void find_tlv() {
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  const macho::Section64* vars = nullptr;
  macho::each_section([&](const macho::Section64* s, uint32_t) {
    uint32_t type = s->flags & macho::kSECTION_TYPE;
    if (type == macho::kS_THREAD_LOCAL_REGULAR || type == macho::kS_THREAD_LOCAL_ZEROFILL) {
      if (s->addr < lo) lo = s->addr;
      if (s->addr + s->size > hi) hi = s->addr + s->size;
    }
    if (type == macho::kS_THREAD_LOCAL_VARIABLES && s->size >= sizeof(macho::TlvDescriptor))
      vars = s;
  });
  if (!vars || hi <= lo) return;
  tlv_desc = reinterpret_cast<const macho::TlvDescriptor*>(vars->addr + macho::slide());
  tlv_size = hi - lo;
}
#else
// ELF: every PT_LOAD segment with PF_W, its memory size (.bss included).
// The header is found as tls.cpp finds it (__ehdr_start), the load bias
// measured the same way.
extern "C" const elf::Ehdr __ehdr_start __attribute__((visibility("hidden")));
constexpr uint32_t kPF_W = 2;

void find_segments() {
  const elf::Ehdr* eh = &__ehdr_start;
  if (eh->phentsize != sizeof(elf::Phdr)) fatal("gcinit: unexpected ELF program header size");
  auto* ph = reinterpret_cast<const elf::Phdr*>(reinterpret_cast<const char*>(eh) + eh->phoff);
  uintptr_t bias = 0;
  for (int i = 0; i < eh->phnum; i++)
    if (ph[i].type == elf::kPT_LOAD && ph[i].offset == 0 && ph[i].filesz > 0) {
      bias = uintptr_t(eh) - ph[i].vaddr;
      break;
    }
  for (int i = 0; i < eh->phnum; i++)
    if (ph[i].type == elf::kPT_LOAD && (ph[i].flags & kPF_W))
      add_segment(bias + ph[i].vaddr, bias + ph[i].vaddr + ph[i].memsz);
}
#endif

}  // namespace

void gc_roots_init() {
  find_segments();
#if defined(GORT_OS_MACHO)
  find_tlv();
#endif
  if (nsegments == 0) fatal("gcinit: the program has no writable segment");
}

int gc_data_roots(uintptr_t* lo, uintptr_t* hi, int i) {
  if (i < nsegments) {
    *lo = segments[i].lo;
    *hi = segments[i].hi;
    return 1;
  }
  i -= nsegments;
  if (i < nuser_roots) {
    *lo = user_roots[i].lo;
    *hi = user_roots[i].hi;
    return 2;
  }
  return 0;
}

#if defined(GORT_OS_MACHO)
void loader_tls_block(uintptr_t* lo, uintptr_t* hi) {
  *lo = *hi = 0;
  if (!tlv_desc) return;
  auto* d = const_cast<macho::TlvDescriptor*>(tlv_desc);
  *lo = uintptr_t(d->thunk(d)) - d->offset;
  *hi = *lo + tlv_size;
}
#endif

void add_roots(const void* p, size_t n) {
  uintptr_t lo = uintptr_t(p), hi = lo + n;
  if (hi < lo) fatal("add_roots: range wraps around the address space");
  LockGuard g(&roots_lock);
  for (int i = 0; i < nuser_roots; i++)
    if (user_roots[i].lo == lo) {
      user_roots[i].hi = hi;  // registered again: the new size holds (as bdwgc)
      return;
    }
  if (nuser_roots == kMaxUserRoots) fatal("add_roots: too many root ranges (4096)");
  user_roots[nuser_roots++] = Range{lo, hi};
}

void remove_roots(const void* p) {
  LockGuard g(&roots_lock);
  for (int i = 0; i < nuser_roots; i++)
    if (user_roots[i].lo == uintptr_t(p)) {
      user_roots[i] = user_roots[--nuser_roots];
      return;
    }
  fatal("remove_roots: no roots were added at this address");
}

}  // namespace gort
