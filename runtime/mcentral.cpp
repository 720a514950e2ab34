// runtime/mcentral.cpp — per-span-class lists of spans (Go's mcentral.go).
// An mcache takes a swept span with free objects from here and gives it
// back when it is full. After a GC cycle every list is unswept: taking a
// span then sweeps unswept ones until one has room (Go's cacheSpan), before
// the heap is asked for a new span.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "memops.h"
#include "mgc.h"

namespace gort {

namespace {

MCentral centrals[kNumSpanClasses];

uint32_t sweepgen() { return atomic::load(&mheap_sweepgen); }
SpanList& swept(SpanList (&l)[2]) { return l[sweepgen() / 2 % 2]; }
SpanList& unswept(SpanList (&l)[2]) { return l[1 - sweepgen() / 2 % 2]; }

// The bytes a cached span's free objects could still take: counted live
// while an mcache holds the span (Go's heapLive accounting).
int64_t free_bytes(const MSpan* s) { return int64_t(s->nelems - s->alloccount) * s->elemsize; }

// Places a swept span no cache owns on its swept list, or frees it.
// Central lock held.
void file_span(MCentral* c, MSpan* s) {
  if (s->alloccount == 0) {
    mheap_free(s, !s->needzero);
  } else if (s->alloccount == s->nelems) {
    swept(c->full).push(s);
  } else {
    swept(c->partial).push(s);
  }
}

MSpan* fresh_span(uint8_t spanclass) {
  const SizeClass& sc = kSizeClasses.c[sizeclass_of(spanclass)];
  sweep_credit(sc.npages);
  MSpan* s = mheap_alloc(sc.npages, spanclass);
  if (!s) return nullptr;
  s->elemsize = sc.size;
  s->nelems = uint32_t(sc.npages * kPageSize / sc.size);
  s->divmul = span_divmul(sc.size);
  s->noscan = spanclass & 1;
  s->freeindex = 0;
  s->alloccount = 0;
  s->sweepgen = sweepgen();
  mem_set(s->allocbits, 0, sizeof s->allocbits);
  mem_set(s->markbits, 0, sizeof s->markbits);
  // Bits past nelems read as allocated, so the bitmap scan stops there.
  for (uint32_t i = s->nelems; i < kMaxObjsPerSpan; i++)
    s->allocbits[i / 64] |= uint64_t(1) << (i % 64);
  return s;
}

}  // namespace

void mcentral_init() {
  for (int i = 0; i < kNumSpanClasses; i++) centrals[i].spanclass = uint8_t(i);
}

MSpan* mcentral_cache_span(uint8_t spanclass) {
  MCentral* c = &centrals[spanclass];
  MSpan* s = nullptr;
  {
    LockGuard g(&c->lock);
    if ((s = swept(c->partial).first)) swept(c->partial).remove(s);
  }
  // Sweep spans waiting for it until one has room (a bounded number, as
  // Go's spanBudget: past that a new span is cheaper than more sweeping).
  for (int budget = 100; !s && budget > 0; budget--) {
    MSpan* u = mcentral_take_unswept(spanclass);
    if (!u) break;
    if (sweep_span(u, true)) s = u;
  }
  if (!s && !(s = fresh_span(spanclass))) return nullptr;
  s->cached = true;
  pacer_heap_live_add(free_bytes(s));
  return s;
}

void mcentral_uncache_span(MSpan* s) {
  pacer_heap_live_add(-free_bytes(s));
  MCentral* c = &centrals[s->spanclass];
  LockGuard g(&c->lock);
  s->cached = false;
  s->freeindex = 0;
  file_span(c, s);
}

MSpan* mcentral_take_unswept(uint8_t spanclass) {
  MCentral* c = &centrals[spanclass];
  LockGuard g(&c->lock);
  uint32_t sg = sweepgen();
  SpanList* lists[2] = {&unswept(c->partial), &unswept(c->full)};
  for (SpanList* l : lists) {
    if (MSpan* s = l->first) {
      l->remove(s);
      if (s->sweepgen != sg - 2) fatal("sweep: span on an unswept list is not unswept");
      s->sweepgen = sg - 1;
      return s;
    }
  }
  return nullptr;
}

void mcentral_file_swept(MSpan* s) {
  MCentral* c = &centrals[s->spanclass];
  LockGuard g(&c->lock);
  file_span(c, s);
}

bool mcentral_all_swept() {
  for (MCentral& c : centrals)
    if (!unswept(c.partial).empty() || !unswept(c.full).empty()) return false;
  return true;
}

}  // namespace gort
