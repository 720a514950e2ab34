// runtime/mheap.cpp — the page heap: arenas, spans, the page allocator, and
// the metadata allocators (Go's mheap.go, persistentalloc, fixalloc).
//
// Arenas are reserved from the OS (kProtNone) 64 MiB at a time, or larger for
// a larger object, and committed (os_sysmap) in 4 MiB steps as the heap grows,
// as Go's mheap.grow does. Free runs of pages are spans on size-bucketed
// lists: one list per length below 128 pages, found with a bitmap of
// non-empty buckets, and one best-fit list for longer runs. Every page of an
// in-use span maps to its span (span_of); a free span maps its first and last
// page, which is all that coalescing on free needs. No allocation scans pages.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "memops.h"
#include "port.h"
#include "runtime.h"

namespace gort {

HeapStats heapstats;
Arena** arena_map = nullptr;

namespace {

constexpr uintptr_t kSmallRuns = 128;  // free lists for 1..127 pages
constexpr uintptr_t kGrowPages = 512;  // commit 4 MiB at a time
constexpr int kMaxArenas = 4096;       // 256 GiB of 64 MiB arenas
constexpr size_t kPersistentChunk = 256 << 10;

RtMutex heap_lock;
Arena* arenas[kMaxArenas];  // sorted by base (grow's first fit); records never move (arena_map)
int narenas = 0;
SpanList free_runs[kSmallRuns];  // [n]: free spans of exactly n pages
uint64_t free_bits[kSmallRuns / 64];
SpanList free_large;         // free spans of kSmallRuns pages or more
MSpan* span_pool = nullptr;  // fixalloc free list of MSpan records

RtMutex persistent_lock;
uintptr_t persistent_next = 0, persistent_end = 0;

uintptr_t add(uint64_t* stat, int64_t delta) {
  return uintptr_t(atomic::xadd(stat, uint64_t(delta)));
}

// The arena holding p, through the arena index (heap lock held).
Arena* arena_of(uintptr_t p) { return p >> kArenaAddrBits ? nullptr : arena_map[p >> kArenaShift]; }

uintptr_t page_index(const Arena* a, uintptr_t p) { return (p - a->base) / kPageSize; }

MSpan* new_span_record() {
  if (!span_pool) {
    auto* batch = static_cast<MSpan*>(persistentalloc(64 * sizeof(MSpan)));
    for (int i = 0; i < 64; i++) {
      batch[i].next = span_pool;
      span_pool = &batch[i];
    }
  }
  MSpan* s = span_pool;
  span_pool = s->next;
  *s = MSpan{};
  return s;
}
void free_span_record(MSpan* s) {
  s->state = SpanState::Dead;
  s->next = span_pool;
  span_pool = s;
}

void map_edges(Arena* a, MSpan* s) {
  uintptr_t i = page_index(a, s->start);
  a->spans[i] = s;
  a->spans[i + s->npages - 1] = s;
}

void insert_free(MSpan* s) {
  if (s->npages < kSmallRuns) {
    free_runs[s->npages].push(s);
    free_bits[s->npages / 64] |= uint64_t(1) << (s->npages % 64);
  } else {
    free_large.push(s);
  }
}

void remove_free(MSpan* s) {
  if (s->npages < kSmallRuns) {
    free_runs[s->npages].remove(s);
    if (free_runs[s->npages].empty())
      free_bits[s->npages / 64] &= ~(uint64_t(1) << (s->npages % 64));
  } else {
    free_large.remove(s);
  }
}

// The smallest free span of at least npages, taken off its list.
MSpan* take_free(uintptr_t npages) {
  for (uintptr_t w = npages / 64; npages < kSmallRuns && w < kSmallRuns / 64; w++) {
    uint64_t bits = free_bits[w];
    if (w == npages / 64) bits &= ~uint64_t(0) << (npages % 64);
    if (bits) {
      MSpan* s = free_runs[w * 64 + uintptr_t(__builtin_ctzll(bits))].first;
      remove_free(s);
      return s;
    }
  }
  MSpan* best = nullptr;
  for (MSpan* s = free_large.first; s; s = s->next)
    if (s->npages >= npages && (!best || s->npages < best->npages ||
                                (s->npages == best->npages && s->start < best->start)))
      best = s;
  if (best) remove_free(best);
  return best;
}

// Frees s (already off every list) into the heap, merging it with free
// neighbours in the same arena.
void coalesce_and_insert(Arena* a, MSpan* s) {
  uintptr_t i = page_index(a, s->start);
  if (i > 0) {
    MSpan* left = a->spans[i - 1];
    if (left && left->state == SpanState::Free) {
      remove_free(left);
      left->npages += s->npages;
      left->released += s->released;
      left->needzero |= s->needzero;
      if (s->idle_since > left->idle_since) left->idle_since = s->idle_since;
      free_span_record(s);
      s = left;
    }
  }
  uintptr_t j = page_index(a, s->start) + s->npages;
  if (j < a->committed) {
    MSpan* right = a->spans[j];
    if (right && right->state == SpanState::Free) {
      remove_free(right);
      a->spans[j] = nullptr;
      s->npages += right->npages;
      s->released += right->released;
      s->needzero |= right->needzero;
      if (right->idle_since > s->idle_since) s->idle_since = right->idle_since;
      free_span_record(right);
    }
  }
  map_edges(a, s);
  insert_free(s);
}

// Reserves a new arena of at least npages (64 MiB multiples) and its page ->
// span map. Nothing is committed yet.
Arena* new_arena(uintptr_t npages) {
  if (narenas == kMaxArenas) return nullptr;
  uintptr_t bytes = (npages * kPageSize + kArenaBytes - 1) / kArenaBytes * kArenaBytes;
  if (bytes / kPageSize < npages) return nullptr;  // overflow
  // Aligned to the arena size, as Go's arenas are (the OS aligns only to its
  // own, smaller page): reserve one arena more and trim both ends.
  auto* raw = static_cast<char*>(os_mmap(nullptr, bytes + kArenaBytes, kProtNone));
  if (!raw) return nullptr;
  uintptr_t base = (uintptr_t(raw) + kArenaBytes - 1) & ~(kArenaBytes - 1);
  if (base > uintptr_t(raw)) os_munmap(raw, base - uintptr_t(raw));
  if (uintptr_t(raw) + kArenaBytes > base)
    os_munmap(reinterpret_cast<void*>(base + bytes), uintptr_t(raw) + kArenaBytes - base);
  Arena a;
  a.base = base;
  a.npages = bytes / kPageSize;
  // Mapped, not persistentalloc'd: untouched entries cost no memory, and a
  // failed grow can give the whole arena back.
  a.spans =
      static_cast<MSpan**>(os_mmap(nullptr, a.npages * sizeof(MSpan*), kProtRead | kProtWrite));
  if (!a.spans) {
    os_munmap(reinterpret_cast<void*>(base), bytes);
    return nullptr;
  }
  if (((base + bytes - 1) >> kArenaAddrBits) != 0) {  // the map covers 48 bits
    os_munmap(reinterpret_cast<void*>(base), bytes);
    os_munmap(a.spans, a.npages * sizeof(MSpan*));
    return nullptr;
  }
  int at = narenas;
  while (at > 0 && arenas[at - 1]->base > a.base) {
    arenas[at] = arenas[at - 1];
    at--;
  }
  auto* rec = static_cast<Arena*>(persistentalloc(sizeof(Arena)));
  *rec = a;
  arenas[at] = rec;
  narenas++;
  for (uintptr_t p = base; p < base + bytes; p += kArenaBytes)
    atomic::store(&arena_map[p >> kArenaShift], rec);
  return rec;
}

void drop_arena(Arena* a) {
  for (uintptr_t p = a->base; p < a->base + a->npages * kPageSize; p += kArenaBytes)
    atomic::store(&arena_map[p >> kArenaShift], static_cast<Arena*>(nullptr));
  os_munmap(reinterpret_cast<void*>(a->base), a->npages * kPageSize);
  os_munmap(a->spans, a->npages * sizeof(MSpan*));
  int i = 0;
  while (arenas[i] != a) i++;
  for (; i < narenas - 1; i++) arenas[i] = arenas[i + 1];
  narenas--;  // the record itself is persistentalloc'd: left behind
}

// Commits at least npages more pages as one free span. Go's mheap.grow.
bool grow(uintptr_t npages) {
  uintptr_t ask = (npages + kGrowPages - 1) / kGrowPages * kGrowPages;
  if (ask < npages) return false;  // overflow
  Arena* a = nullptr;
  for (int i = 0; i < narenas && !a; i++)
    if (arenas[i]->npages - arenas[i]->committed >= npages) a = arenas[i];
  if (!a && !(a = new_arena(ask))) return false;
  if (ask > a->npages - a->committed) ask = a->npages - a->committed;
  uintptr_t start = a->base + a->committed * kPageSize;
  if (!os_sysmap(reinterpret_cast<void*>(start), ask * kPageSize)) {
    if (a->committed == 0) drop_arena(a);
    return false;
  }
  if (a->committed == 0) add(&heapstats.meta_sys, int64_t(a->npages * sizeof(MSpan*)));
  add(&heapstats.sys, int64_t(ask * kPageSize));
  MSpan* s = new_span_record();
  s->start = start;
  s->npages = ask;
  s->state = SpanState::Free;
  s->idle_since = os_nanotime();
  atomic::store(&a->committed, a->committed + ask);
  coalesce_and_insert(a, s);
  return true;
}

}  // namespace

void SpanList::push(MSpan* s) {
  s->prev = nullptr;
  s->next = first;
  if (first) first->prev = s;
  first = s;
}

void SpanList::remove(MSpan* s) {
  if (s->prev)
    s->prev->next = s->next;
  else
    first = s->next;
  if (s->next) s->next->prev = s->prev;
  s->next = s->prev = nullptr;
}

void* persistentalloc(size_t n) {
  n = (n + 15) & ~size_t(15);
  LockGuard g(&persistent_lock);
  if (persistent_end - persistent_next < n) {
    size_t chunk = n > kPersistentChunk ? (n + kPageSize - 1) & ~(kPageSize - 1) : kPersistentChunk;
    void* p = os_mmap(nullptr, chunk, kProtRead | kProtWrite);
    if (!p) {
      eprint("runtime: cannot allocate ", chunk, " bytes of runtime metadata\n");
      fatal("out of memory");
    }
    add(&heapstats.meta_sys, int64_t(chunk));
    persistent_next = uintptr_t(p);
    persistent_end = persistent_next + chunk;
  }
  void* r = reinterpret_cast<void*>(persistent_next);
  persistent_next += n;
  return r;
}

MSpan* mheap_alloc(uintptr_t npages, uint8_t spanclass, uintptr_t align) {
  MSpan* s;
  Arena* a;
  // Spans start on page boundaries; a larger alignment takes that many more
  // pages and gives back the head before the aligned start (arenas are
  // aligned to their own size, so any alignment up to 64 MiB fits in one).
  uintptr_t extra = align > kPageSize ? align / kPageSize - 1 : 0;
  if (npages + extra < npages) return nullptr;
  {
    LockGuard g(&heap_lock);
    s = take_free(npages + extra);
    if (!s) {
      if (!grow(npages + extra)) return nullptr;
      s = take_free(npages + extra);
    }
    a = arena_of(s->start);
    if (uintptr_t head = extra ? ((align - s->start % align) % align) / kPageSize : 0) {
      MSpan* h = new_span_record();  // its left neighbour is in use: no merging
      h->start = s->start;
      h->npages = head;
      h->state = SpanState::Free;
      h->needzero = s->needzero;
      h->idle_since = s->idle_since;
      h->released = s->released < head ? s->released : head;
      s->released -= h->released;
      s->start += head * kPageSize;
      s->npages -= head;
      map_edges(a, h);
      insert_free(h);
    }
    if (s->npages > npages) {  // split: the tail stays free
      MSpan* rest = new_span_record();
      rest->start = s->start + npages * kPageSize;
      rest->npages = s->npages - npages;
      rest->state = SpanState::Free;
      rest->needzero = s->needzero;
      rest->idle_since = s->idle_since;
      rest->released = s->released > npages ? s->released - npages : 0;
      s->released -= rest->released;
      s->npages = npages;
      map_edges(a, rest);
      insert_free(rest);
    }
    s->state = SpanState::InUse;
    s->spanclass = spanclass;
    uintptr_t first = page_index(a, s->start);
    for (uintptr_t i = 0; i < npages; i++) a->spans[first + i] = s;
  }
  if (s->released) add(&heapstats.released, -int64_t(s->released * kPageSize));
  s->released = 0;
  add(&heapstats.inuse, int64_t(npages * kPageSize));
  if (s->needzero) mem_set(reinterpret_cast<void*>(s->start), 0, npages * kPageSize);
  s->needzero = false;
  return s;
}

void mheap_free(MSpan* s, bool zeroed) {
  add(&heapstats.inuse, -int64_t(s->npages * kPageSize));
  {
    LockGuard g(&heap_lock);
    Arena* a = arena_of(s->start);
    uintptr_t first = page_index(a, s->start);
    for (uintptr_t i = 0; i < s->npages; i++) a->spans[first + i] = nullptr;
    s->state = SpanState::Free;
    s->needzero = !zeroed;
    s->cached = false;
    s->idle_since = os_nanotime();
    s->released = 0;
    coalesce_and_insert(a, s);
  }
  start_scavenger();
}

void mheap_init() {
  arena_map = static_cast<Arena**>(
      os_mmap(nullptr, (uintptr_t(1) << (kArenaAddrBits - kArenaShift)) * sizeof(Arena*),
              kProtRead | kProtWrite));
  if (!arena_map) fatal("mallocinit: cannot map the arena index");
}

MSpan* span_of(const void* p) {
  LockGuard g(&heap_lock);
  return span_of_unlocked(uintptr_t(p));
}

void* whole_pages(void* p, size_t n) {
  uintptr_t ps = boot.physpagesize;
  if (ps && ((uintptr_t(p) | n) & (ps - 1))) {
    eprint("runtime: not whole OS pages from ", Hex{uintptr_t(p)}, "\n");
    fatal("memory operation on a partial OS page");
  }
  return p;
}

uintptr_t mheap_scavenge(int64_t idle_ns) {
  int64_t now = os_nanotime();
  uintptr_t bytes = 0;
  LockGuard g(&heap_lock);
  auto visit = [&](MSpan* s) {
    if (s->released == s->npages || now - s->idle_since < idle_ns) return;
    // Only the OS pages wholly inside the span: where an OS page is larger
    // than the runtime's 8 KiB, its ends may be shared with spans in use.
    uintptr_t ps = boot.physpagesize > kPageSize ? boot.physpagesize : kPageSize;
    uintptr_t lo = (s->start + ps - 1) & ~(ps - 1),
              hi = (s->start + s->npages * kPageSize) & ~(ps - 1);
    if (hi > lo) os_madvise_free(whole_pages(reinterpret_cast<void*>(lo), hi - lo), hi - lo);
    bytes += (s->npages - s->released) * kPageSize;
    s->released = s->npages;
  };
  for (auto& l : free_runs)
    for (MSpan* s = l.first; s; s = s->next) visit(s);
  for (MSpan* s = free_large.first; s; s = s->next) visit(s);
  add(&heapstats.released, int64_t(bytes));
  return bytes;
}

}  // namespace gort
