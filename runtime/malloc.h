// runtime/malloc.h — the heap, as Go lays it out (docs/ARCHITECTURE.md, "Memory"):
//
//   mallocgc ── small ──> mcache (per M, no lock) ──> mcentral (per span class,
//      │                                               locked) ──> mheap
//      └────── large (> 32 KiB) ────────────────────────────────> mheap
//
// mheap owns 8 KiB pages in 64 MiB arenas (reserved, committed on use) and
// hands out runs of pages as spans. A small-object span holds objects of one
// size class; its span class also says scan / noscan (pointer-free objects,
// which the GC will not need to scan).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lock.h"
#include "sizeclasses.h"

namespace gort {

inline constexpr uintptr_t kArenaBytes = uintptr_t(64) << 20;
inline constexpr uintptr_t kPagesPerArena = kArenaBytes / kPageSize;
inline constexpr int kNumSpanClasses = kNumSizeClasses * 2;
inline constexpr int kMaxObjsPerSpan = kPageSize / 8;  // class 1: 1024 objects
inline constexpr int kBitmapWords = kMaxObjsPerSpan / 64;

// spanclass = sizeclass << 1 | noscan. Class 0 means a large object's span.
constexpr uint8_t make_spanclass(uint8_t sizeclass, bool noscan) {
  return uint8_t(sizeclass << 1 | (noscan ? 1 : 0));
}

// Tiny blocks have their own span class: sizeclass 0 (no small object uses
// it) with noscan set, laid out as the 16-byte class.
inline constexpr uint8_t kTinySpanClass = make_spanclass(0, true);
constexpr int sizeclass_of(uint8_t spanclass) {
  return spanclass == kTinySpanClass ? 2 : spanclass >> 1;
}

enum class SpanState : uint8_t { Dead, Free, InUse };

// One span's GC state goes with the heap's sweep generation (sweepgen, +2
// per cycle, as Go's mheap_.sweepgen): a span whose sweepgen is the heap's
// is swept, sweepgen - 1 is being swept, sweepgen - 2 waits for its sweep.
struct MSpan {
  MSpan* next = nullptr;  // in a free bucket, an mcentral list, or fixalloc's free list
  MSpan* prev = nullptr;
  uintptr_t start = 0;  // address of the first page
  uintptr_t npages = 0;
  SpanState state = SpanState::Dead;
  uint8_t spanclass = 0;  // 0: a large object's span
  bool cached = false;    // owned by an mcache (its allocbits are that mcache's)
  bool needzero = false;  // free pages, or free objects, that may hold old data
  bool noscan = false;    // holds no pointers: never scanned
  uint32_t sweepgen = 0;
  uint32_t elemsize = 0, nelems = 0;
  uint32_t divmul = 0;             // offset * divmul >> 32 == offset / elemsize (Go's divMul)
  uint32_t freeindex = 0;          // allocation resumes scanning allocbits here
  uint32_t alloccount = 0;         // objects allocated
  uint32_t checkgen = 0;           // gccheckmark pass checkmarks belong to
  uintptr_t released = 0;          // free span: pages returned to the OS
  int64_t idle_since = 0;          // free span: nanotime it became free
  uint64_t* checkmarks = nullptr;  // gccheckmark's own mark bits (kBitmapWords)
  uint64_t allocbits[kBitmapWords];
  uint64_t markbits[kBitmapWords];  // set by the marker, read by the sweep

  uintptr_t limit() const { return start + npages * kPageSize; }
  uintptr_t objsize() const { return spanclass == 0 ? npages * kPageSize : elemsize; }
  // The index of the object p points into (p inside the span).
  uint32_t objindex(uintptr_t p) const {
    return spanclass == 0 ? 0 : uint32_t((uint64_t(p - start) * divmul) >> 32);
  }
};

// A span list with O(1) insert and remove.
struct SpanList {
  MSpan* first = nullptr;
  void push(MSpan* s);
  void remove(MSpan* s);
  bool empty() const { return first == nullptr; }
};

// Spans not cached, by fill and by sweep state: [sweepgen / 2 % 2] are the
// swept ones, the other the unswept (Go's partialSwept/partialUnswept). The
// heap's sweepgen moving on by 2 turns every swept list into an unswept one.
struct MCentral {
  RtMutex lock;
  uint8_t spanclass = 0;
  SpanList partial[2];  // spans with free objects
  SpanList full[2];     // spans with no free object
};

// Per-M allocation cache. Counters are written by the owning thread only
// (relaxed stores) and summed by read_mem_stats.
struct MCache {
  MSpan* alloc[kNumSpanClasses];
  uintptr_t tiny = 0, tinyoffset = 0;  // current 16-byte tiny block
  uint64_t nmalloc = 0;                // objects allocated, small and tiny
  uint64_t total_alloc = 0;            // bytes, rounded to their class
  // Of nmalloc, tiny objects placed in a block already counted: no sweep
  // frees them one by one, so they count as freed at once (Go's
  // tinyAllocCount, in both Mallocs and Frees), and HeapObjects counts
  // the blocks.
  uint64_t ntiny = 0;
  MCache* next_cache = nullptr;  // registry of all caches (read_mem_stats)
  uintptr_t stackcache[32];      // free goroutine stacks (their hi ends)
  int nstack = 0;
};

// ---- mheap.cpp
void mheap_init();  // mallocinit: the arena index
// A span of npages in-use pages (zeroed) starting at a multiple of align (a
// power of two; spans are always page-aligned), or nullptr if the OS has no
// memory.
MSpan* mheap_alloc(uintptr_t npages, uint8_t spanclass, uintptr_t align = kPageSize);
// Returns an in-use span's pages to the heap. zeroed: its memory is all zero.
void mheap_free(MSpan* s, bool zeroed);
// The in-use span holding p, or nullptr if p is not in the heap.
MSpan* span_of(const void* p);
// The same without the heap lock, for the marker: the span map only
// changes under the heap lock, and while the world is stopped it cannot
// change under the marker. Inline: the marker calls it for every word.
struct Arena {
  uintptr_t base = 0, npages = 0, committed = 0;
  MSpan** spans = nullptr;  // one per page
};
inline constexpr int kArenaAddrBits = 48;
inline constexpr uintptr_t kArenaShift = 26;
static_assert(uintptr_t(1) << kArenaShift == kArenaBytes);
// Every 64 MiB of a 48-bit address space to its arena (Go's arenas map);
// mapped at mallocinit (not in .bss, which the collector scans).
extern Arena** arena_map;
inline MSpan* span_of_unlocked(uintptr_t p) {
  if (p >> kArenaAddrBits) return nullptr;
  Arena* a = __atomic_load_n(&arena_map[p >> kArenaShift], __ATOMIC_ACQUIRE);
  if (!a) return nullptr;
  uintptr_t i = (p - a->base) / kPageSize;
  if (i >= __atomic_load_n(&a->committed, __ATOMIC_ACQUIRE)) return nullptr;
  MSpan* s = __atomic_load_n(&a->spans[i], __ATOMIC_RELAXED);
  return s && s->state == SpanState::InUse ? s : nullptr;
}
// Returns free pages idle for at least idle_ns to the OS; returns bytes released.
uintptr_t mheap_scavenge(int64_t idle_ns);
// Starts the background scavenger thread once (mgcscavenge.cpp).
void start_scavenger();
// Runtime metadata that is never freed (Go's persistentalloc). Fatal on OOM.
void* persistentalloc(size_t n);

// ---- mcentral.cpp
void mcentral_init();
MSpan* mcentral_cache_span(uint8_t spanclass);  // a swept span with a free object
void mcentral_uncache_span(MSpan* s);           // back from an mcache
// Sweeping (mgcsweep.cpp calls these): takes one unswept span of class
// spanclass off its central's lists, marked as being swept; null if none.
MSpan* mcentral_take_unswept(uint8_t spanclass);
// Files a span just swept (not cached) on its central's swept lists, or
// frees it to the heap if nothing in it is allocated.
void mcentral_file_swept(MSpan* s);
bool mcentral_all_swept();  // nothing waits for its sweep (world stopped)

// ---- mcache.cpp
void mcache_system_init();
MCache* first_mcache();  // the registry of every cache ever made (next_cache)
MCache* allocmcache();
void freemcache(MCache* c);  // returns its spans; its counters stay in the totals
MCache* mcache0();           // m0's cache
MCache* getmcache();         // the current M's cache
void mcache_refill(MCache* c, uint8_t spanclass);
void flush_all_mcaches();  // world stopped: every cache's spans back to the centrals

// ---- malloc.cpp
void mallocinit();
// Go's mallocgc: size bytes, zeroed. noscan: the object holds no pointers.
// At least 8-aligned; an object whose size is a multiple of 16 is 16-aligned
// (every size class but 8 and 24 is a multiple of 16), which is C++'s
// default new alignment for every type that needs it. May run a GC cycle
// first if the heap has reached its goal (mgc.cpp).
void* mallocgc(size_t size, bool noscan);
// mallocgc at a multiple of align (a power of two, any size): a size class
// whose size align divides, or whole pages starting on an align boundary.
void* mallocgc_aligned(size_t size, size_t align, bool noscan);

// ---- mstats.cpp: heap-wide counters (atomics; MCache has the per-M ones)
struct HeapStats {
  uint64_t sys = 0;          // heap memory committed from the OS
  uint64_t inuse = 0;        // bytes in in-use spans
  uint64_t released = 0;     // free bytes returned to the OS
  uint64_t meta_sys = 0;     // persistentalloc'd metadata
  uint64_t large_alloc = 0;  // bytes of large objects allocated, ever
  uint64_t nlarge = 0;       // large objects allocated, ever
  uint64_t freed_bytes = 0;  // bytes freed by the sweep (all sizes)
  uint64_t nfree = 0;        // objects freed by the sweep (all sizes)
  uint64_t stack_inuse = 0, stack_sys = 0;
};
extern HeapStats heapstats;
void register_mcache(MCache* c);

}  // namespace gort
