// runtime/mcentral.cpp — per-span-class lists of spans (Go's mcentral.go).
// An mcache takes a span with free objects from here and gives it back when
// it is full. Objects freed explicitly are recorded in the span's freebits
// and folded into allocbits (Go's sweep) when the span is not in a cache.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "memops.h"

namespace gort {

namespace {

MCentral centrals[kNumSpanClasses];

// Folds freed objects into allocbits. Called with the central's lock held,
// for a span no cache owns.
void sync_frees(MSpan* s) {
  for (int w = 0; w < kBitmapWords; w++) {
    uint64_t f = s->freebits[w];
    if (!f) continue;
    s->allocbits[w] &= ~f;
    s->alloccount -= uint32_t(__builtin_popcountll(f));
    s->freebits[w] = 0;
  }
  s->freeindex = 0;
}

// Places a span no cache owns on the list its fill says, or frees it.
void file_span(MCentral* c, MSpan* s) {
  if (s->alloccount == 0) {
    mheap_free(s, true);  // every object was zeroed when it was freed
  } else if (s->alloccount == s->nelems) {
    c->full.push(s);
    s->in_full = true;
  } else {
    c->partial.push(s);
  }
}

}  // namespace

void mcentral_init() {
  for (int i = 0; i < kNumSpanClasses; i++) centrals[i].spanclass = uint8_t(i);
}

MSpan* mcentral_cache_span(uint8_t spanclass) {
  MCentral* c = &centrals[spanclass];
  {
    LockGuard g(&c->lock);
    if (MSpan* s = c->partial.first) {
      c->partial.remove(s);
      s->cached = true;
      return s;
    }
  }
  const SizeClass& sc = kSizeClasses.c[sizeclass_of(spanclass)];
  MSpan* s = mheap_alloc(sc.npages, spanclass);
  if (!s) return nullptr;
  s->elemsize = sc.size;
  s->nelems = uint32_t(sc.npages * kPageSize / sc.size);
  s->freeindex = 0;
  s->alloccount = 0;
  mem_set(s->allocbits, 0, sizeof s->allocbits);
  mem_set(s->freebits, 0, sizeof s->freebits);
  // Bits past nelems read as allocated, so the bitmap scan stops there.
  for (uint32_t i = s->nelems; i < kMaxObjsPerSpan; i++)
    s->allocbits[i / 64] |= uint64_t(1) << (i % 64);
  s->cached = true;
  return s;
}

void mcentral_uncache_span(MSpan* s) {
  MCentral* c = &centrals[s->spanclass];
  LockGuard g(&c->lock);
  s->cached = false;
  sync_frees(s);
  file_span(c, s);
}

void mcentral_free_object(MSpan* s, void* p) {
  uintptr_t off = uintptr_t(p) - s->start;
  uint32_t idx = uint32_t(off / s->elemsize);
  if (off % s->elemsize) fatal("free of a pointer into the middle of an object");
  MCentral* c = &centrals[s->spanclass];
  LockGuard g(&c->lock);
  uint64_t bit = uint64_t(1) << (idx % 64);
  // The owning cache may be setting other bits of this word: read it atomically.
  uint64_t alloc = __atomic_load_n(&s->allocbits[idx / 64], __ATOMIC_RELAXED);
  if (!(alloc & bit) || (s->freebits[idx / 64] & bit))
    fatal("free of an object that is not allocated");
  mem_set(p, 0, s->elemsize);  // handed out zeroed again
  s->freebits[idx / 64] |= bit;
  if (s->cached) return;  // the owning cache's span: folded in when it comes back
  if (s->in_full) {
    c->full.remove(s);
    s->in_full = false;
  } else {
    c->partial.remove(s);
  }
  sync_frees(s);
  file_span(c, s);
}

}  // namespace gort
