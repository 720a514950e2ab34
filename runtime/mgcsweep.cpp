// runtime/mgcsweep.cpp — the sweep (Go's mgcsweep.go). After each cycle
// every span is unswept; a span is swept exactly once before it is used
// again: by an allocation that needs a span of its class (mcentral), by
// allocations that take new pages (proportional sweep), by the background
// sweeper goroutine, or by the next cycle's start, which finishes the rest.
// Sweeping a span turns its mark bits into its allocation bits: an
// allocated object left unmarked is free from then on.
#include "atomic.h"
#include "gort/gort.h"
#include "memops.h"
#include "mgc.h"
#include "runtime.h"
#include "runtime2.h"

namespace gort {

uint32_t mheap_sweepgen = 0;

namespace {

// Large objects' spans, by sweep state as the centrals' lists.
RtMutex large_lock;
SpanList large_spans[2];

// What the current sweep has left: the next central to look at (then the
// large spans), and pages swept since the cycle, for the proportional sweep.
uint32_t sweep_next = 0;
uint64_t pages_swept = 0;
uint64_t sweep_pages_target = 0;  // pages the allocations must have swept by now
uint32_t sweep_done = 1;

G* bgsweep_g = nullptr;
uint32_t bgsweep_parked = 0;
RtMutex bgsweep_lock;

constexpr uint64_t kPoison = 0xdeadbeefdeadbeefull;

void poison(uintptr_t p, uintptr_t n) {
  auto* w = reinterpret_cast<uint64_t*>(p);
  for (uintptr_t i = 0; i < n / 8; i++) w[i] = kPoison;
}

void count_freed(uint64_t n, uint64_t bytes) {
  atomic::xadd(&heapstats.nfree, n);
  atomic::xadd(&heapstats.freed_bytes, bytes);
}

bool sweep_large(MSpan* s) {
  if (s->markbits[0] & 1) {
    s->markbits[0] = 0;
    s->sweepgen = atomic::load(&mheap_sweepgen);
    LockGuard g(&large_lock);
    large_spans[mheap_sweepgen / 2 % 2].push(s);
    return true;
  }
  uintptr_t bytes = s->npages * kPageSize;
  if (boot.debug.gcpoison) poison(s->start, bytes);
  count_freed(1, bytes);
  mheap_free(s, false);
  return false;
}

MSpan* take_unswept_large() {
  LockGuard g(&large_lock);
  SpanList& l = large_spans[1 - mheap_sweepgen / 2 % 2];
  MSpan* s = l.first;
  if (s) {
    l.remove(s);
    s->sweepgen = mheap_sweepgen - 1;
  }
  return s;
}

void bgsweep(void*);

}  // namespace

void large_span_add(MSpan* s) {
  s->sweepgen = atomic::load(&mheap_sweepgen);
  LockGuard g(&large_lock);
  large_spans[s->sweepgen / 2 % 2].push(s);
}

bool large_all_swept() {
  LockGuard g(&large_lock);
  return large_spans[1 - mheap_sweepgen / 2 % 2].empty();
}

bool sweep_span(MSpan* s, bool keep) {
  uint32_t sg = atomic::load(&mheap_sweepgen);
  if (s->sweepgen != sg - 1) fatal("sweep: span is not being swept");
  atomic::xadd(&pages_swept, uint64_t(s->npages));
  if (s->spanclass == 0) return sweep_large(s);
  uint64_t nfreed = 0;
  uint32_t live = 0;
  for (uint32_t w = 0; w < kBitmapWords; w++) {
    uint32_t lo = w * 64;
    if (lo >= s->nelems) break;
    uint64_t valid = s->nelems - lo >= 64 ? ~uint64_t(0) : (uint64_t(1) << (s->nelems - lo)) - 1;
    uint64_t dead = s->allocbits[w] & ~s->markbits[w] & valid;
    if (dead) {
      nfreed += uint64_t(__builtin_popcountll(dead));
      if (boot.debug.gcpoison)
        for (uint64_t d = dead; d; d &= d - 1)
          poison(s->start + uintptr_t(lo + uint32_t(__builtin_ctzll(d))) * s->elemsize,
                 s->elemsize);
    }
    s->allocbits[w] = (s->markbits[w] & valid) | ~valid;
    live += uint32_t(__builtin_popcountll(s->markbits[w] & valid));
    s->markbits[w] = 0;
  }
  s->alloccount = live;
  s->freeindex = 0;
  if (nfreed) {
    s->needzero = true;
    count_freed(nfreed, nfreed * s->elemsize);
  }
  s->sweepgen = sg;
  if (keep && live < s->nelems) return true;
  mcentral_file_swept(s);
  return false;
}

uintptr_t sweepone() {
  NoPreempt np;  // a span being swept is not left half done by a stopping world
  for (;;) {
    uint32_t i = atomic::load(&sweep_next);
    if (i > uint32_t(kNumSpanClasses)) return 0;
    MSpan* s =
        i < uint32_t(kNumSpanClasses) ? mcentral_take_unswept(uint8_t(i)) : take_unswept_large();
    if (s) {
      uintptr_t n = s->npages;
      sweep_span(s, false);
      return n;
    }
    if (atomic::cas(&sweep_next, i, i + 1) && i + 1 > uint32_t(kNumSpanClasses))
      atomic::store(&sweep_done, 1u);
  }
}

void sweep_finish() {
  while (sweepone()) {
  }
}

void sweep_start() {
  atomic::store(&pages_swept, uint64_t(0));
  atomic::store(&sweep_pages_target, uint64_t(0));
  atomic::store(&sweep_done, 0u);
  atomic::store(&sweep_next, 0u);
  if (!bgsweep_g) {
    bgsweep_g = newproc_system(bgsweep, nullptr);
    return;
  }
  LockGuard g(&bgsweep_lock);
  if (bgsweep_parked) {
    bgsweep_parked = 0;
    goready(bgsweep_g, false);
  }
}

void sweep_credit(uintptr_t npages) {
  if (atomic::load_relaxed(&sweep_done)) return;
  // Sweep twice the pages about to be taken: the unswept heap is at most
  // the live heap the goal was set from, and the goal leaves at least that
  // much room (GOGC=100), so the sweep ends before the goal is reached.
  uint64_t target = atomic::xadd(&sweep_pages_target, uint64_t(2 * npages));
  while (atomic::load(&pages_swept) < target)
    if (!sweepone()) break;
}

// The background sweeper (Go's bgsweep): a system goroutine that sweeps a
// span at a time, yielding between spans, and parks when nothing is left.
namespace {
bool park_bgsweep(G* gp, void*) {
  bgsweep_parked = 1;
  unlock_parked(&bgsweep_lock, gp);
  return true;
}

void bgsweep(void*) {
  for (;;) {
    int n = 0;
    while (sweepone()) {
      if (++n % 16 == 0) gosched();
    }
    lock(&bgsweep_lock);
    if (!atomic::load(&sweep_done)) {
      unlock(&bgsweep_lock);
      continue;
    }
    gopark(park_bgsweep, nullptr, "GC sweep wait", 1);
  }
}
}  // namespace

}  // namespace gort
