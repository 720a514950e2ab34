// runtime/mcache.cpp — per-M allocation caches (Go's mcache.go). Each holds
// one span per span class; allocating from it takes no lock.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "memops.h"
#include "runtime.h"
#include "runtime2.h"

namespace gort {

namespace {
// Every slot of a fresh cache points here: no free object, so the first
// allocation refills (Go's emptymspan) and the fast path needs no null test.
MSpan empty_span;
MCache cache0;
RtMutex caches_lock;
MCache* all_caches = nullptr;

void init_cache(MCache* c) {
  for (auto& s : c->alloc) s = &empty_span;
  c->tiny = c->tinyoffset = 0;
}
}  // namespace

void register_mcache(MCache* c) {
  LockGuard g(&caches_lock);
  c->next_cache = all_caches;
  all_caches = c;
}

MCache* mcache0() { return &cache0; }

MCache* first_mcache() {
  LockGuard g(&caches_lock);
  return all_caches;
}

// The running P's cache; an M without a P (m0 before procresize, sysmon,
// the scavenger, raw newm threads) uses its own.
MCache* getmcache() {
  auto* m = static_cast<M*>(gettls()->m);
  return m->p ? m->p->mcache : m->mcache;
}

void mcache_system_init() {
  mem_set(empty_span.allocbits, 0xff, sizeof empty_span.allocbits);
  empty_span.freeindex = kMaxObjsPerSpan;
  init_cache(&cache0);
  register_mcache(&cache0);
}

// Caches live as long as the process: their counters are part of the totals
// (Go likewise keeps an M's mcache until the P is destroyed).
MCache* allocmcache() {
  auto* c = static_cast<MCache*>(persistentalloc(sizeof(MCache)));
  *c = MCache{};
  init_cache(c);
  register_mcache(c);
  return c;
}

void freemcache(MCache* c) {
  for (auto& s : c->alloc) {
    if (s != &empty_span) mcentral_uncache_span(s);
    s = &empty_span;
  }
  c->tiny = c->tinyoffset = 0;
}

// Every cache gives its spans back, so that the sweep after the cycle can
// reach each span (Go's mcache.releaseAll at mark termination). The tiny
// block goes too: it may die like any other object.
void flush_all_mcaches() {
  for (MCache* c = first_mcache(); c; c = c->next_cache) freemcache(c);
}

void mcache_refill(MCache* c, uint8_t spanclass) {
  if (c->alloc[spanclass] != &empty_span) mcentral_uncache_span(c->alloc[spanclass]);
  c->alloc[spanclass] = &empty_span;
  MSpan* s = mcentral_cache_span(spanclass);
  if (!s) {
    const SizeClass& sc = kSizeClasses.c[sizeclass_of(spanclass)];
    eprint("runtime: out of memory: cannot allocate ", sc.npages * kPageSize, "-byte block (",
           atomic::load(&heapstats.inuse), " in use)\n");
    fatal("out of memory");
  }
  c->alloc[spanclass] = s;
}

}  // namespace gort
