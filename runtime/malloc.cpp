// runtime/malloc.cpp — object allocation (Go's malloc.go: mallocgc): tiny
// noscan objects packed into 16-byte blocks, small objects from the M's
// mcache, large objects (> 32 KiB) straight from the heap in whole pages.
#include "malloc.h"

#include "atomic.h"
#include "gort/gort.h"
#include "memops.h"
#include "mgc.h"
#include "runtime.h"
#include "runtime2.h"

namespace gort {

namespace {
// Zero-byte allocations all return this address, as in Go.
alignas(16) uint64_t zerobase;

[[noreturn]] void throw_oom(uintptr_t size) {
  eprint("runtime: out of memory: cannot allocate ", size, "-byte block (",
         atomic::load(&heapstats.inuse), " in use)\n");
  fatal("out of memory");
}

template <typename T>
void bump(T* counter, T by) {  // owner-only counter, read racily by read_mem_stats
  __atomic_store_n(counter, *counter + by, __ATOMIC_RELAXED);
}

// The fast path: the next free slot of the cache's span for this class.
inline void* next_free(MCache* c, uint8_t spanclass) {
  for (;;) {
    MSpan* s = c->alloc[spanclass];
    uint32_t w = s->freeindex / 64;
    if (w < kBitmapWords) {
      uint64_t bits = ~s->allocbits[w] & (~uint64_t(0) << (s->freeindex % 64));
      while (!bits && ++w < kBitmapWords) bits = ~s->allocbits[w];
      if (bits) {
        uint32_t idx = w * 64 + uint32_t(__builtin_ctzll(bits));
        __atomic_store_n(&s->allocbits[w], s->allocbits[w] | uint64_t(1) << (idx % 64),
                         __ATOMIC_RELAXED);
        s->freeindex = idx + 1;
        s->alloccount++;
        bump(&c->nmalloc, uint64_t(1));
        bump(&c->total_alloc, uint64_t(s->elemsize));
        void* p = reinterpret_cast<void*>(s->start + uintptr_t(idx) * s->elemsize);
        if (s->needzero) mem_set(p, 0, s->elemsize);  // a slot the sweep freed
        return p;
      }
    }
    s->freeindex = kMaxObjsPerSpan;
    mcache_refill(c, spanclass);
  }
}

void* alloc_tiny(MCache* c, uintptr_t size) {
  // Align within the block as Go does: to 8, 4 or 2 bytes by the size's low bits.
  uintptr_t off = c->tinyoffset;
  if ((size & 7) == 0)
    off = (off + 7) & ~uintptr_t(7);
  else if ((size & 3) == 0)
    off = (off + 3) & ~uintptr_t(3);
  else if ((size & 1) == 0)
    off = (off + 1) & ~uintptr_t(1);
  if (c->tiny && off + size <= kTinySize) {
    c->tinyoffset = off + size;
    bump(&c->nmalloc, uint64_t(1));
    // After nmalloc (read_mem_stats reads them the other way round).
    __atomic_store_n(&c->ntiny, c->ntiny + 1, __ATOMIC_RELEASE);
    return reinterpret_cast<void*>(c->tiny + off);
  }
  void* block = next_free(c, kTinySpanClass);  // counts the block itself, freed by the sweep
  // Keep whichever block has more room left, as Go does.
  if (size < c->tinyoffset || c->tiny == 0) {
    c->tiny = uintptr_t(block);
    c->tinyoffset = size;
  }
  return block;
}

void* alloc_large(uintptr_t size, bool noscan, uintptr_t align = kPageSize) {
  if (size > (uintptr_t(1) << 47)) throw_oom(size);  // more than any address space
  uintptr_t npages = (size + kPageSize - 1) / kPageSize;
  sweep_credit(npages);
  MSpan* s = mheap_alloc(npages, 0, align);
  if (!s) throw_oom(size);
  s->elemsize = uint32_t(npages * kPageSize > UINT32_MAX ? 0 : npages * kPageSize);
  s->nelems = 1;
  s->noscan = noscan;
  s->markbits[0] = 0;
  large_span_add(s);
  atomic::xadd(&heapstats.nlarge, uint64_t(1));
  atomic::xadd(&heapstats.large_alloc, uint64_t(npages * kPageSize));
  pacer_heap_live_add(int64_t(npages * kPageSize));
  return reinterpret_cast<void*>(s->start);
}

// The allocating M's cache. Once the collector runs, only a goroutine may
// allocate (Go's rule): an M without a P is nothing the collector stops,
// and its stack is no root.
MCache* alloc_cache() {
  auto* m = static_cast<M*>(gettls()->m);
  if (m->p) [[likely]]
    return m->p->mcache;
  if (atomic::load_relaxed(&gc_enabled))
    fatal("mallocgc called without a P or outside bootstrapping");
  return m->mcache;
}
}  // namespace

void mallocinit() {
  mheap_init();
  mcentral_init();
  mcache_system_init();
  m0.mcache = mcache0();
}

void* mallocgc(size_t size, bool noscan) {
  if (size == 0) return &zerobase;
  void* p;
  {
    NoPreempt np;  // the M's mcache is in use until we return
    MCache* c = alloc_cache();
    if (size > kMaxSmallSize)
      p = alloc_large(size, noscan);
    else if (noscan && size < kTinySize)
      p = alloc_tiny(c, size);
    else
      p = next_free(c, make_spanclass(size_to_class(size), noscan));
  }
  if (atomic::load_relaxed(&gc_trigger_hit)) gc_maybe_start();
  return p;
}

void* mallocgc_aligned(size_t size, size_t align, bool noscan) {
  if (align == 0 || (align & (align - 1)) != 0) fatal("alloc: alignment is not a power of 2");
  if (size > ~size_t(0) - align) throw_oom(size);
  // Up to 8 (every size class is a multiple of 8), a size rounded to the
  // alignment is enough: the tiny allocator aligns by the size's low bits.
  if (align <= 8) return mallocgc((size + align - 1) & ~(align - 1), noscan);
  if (size == 0) size = 1;  // a distinct object still has to be aligned
  void* p;
  {
    NoPreempt np;
    MCache* c = alloc_cache();
    if (size > kMaxSmallSize || align > kPageSize) {
      p = alloc_large(size, noscan, align);
    } else {
      // Objects of a class start at multiples of its size from a page-aligned
      // span: take the first class at least this big whose size align divides
      // (there is one: the 32 KiB class is a multiple of every align <= 8 KiB).
      uint8_t cls = size_to_class(size);
      while (kSizeClasses.c[cls].size % align) cls++;
      p = next_free(c, make_spanclass(cls, noscan));
    }
  }
  if (atomic::load_relaxed(&gc_trigger_hit)) gc_maybe_start();
  return p;
}

}  // namespace gort
