// runtime/mfinal.cpp — finalizers (Go's mfinal.go). A finalizer record
// keeps its object's address hidden (complemented: no heap address looks
// like it), so the record does not keep the object alive; its callable is
// an ordinary heap object the record points to. Each cycle the objects
// with finalizers have their contents scanned (what they reach lives, so
// that the finalizer can use it), and at mark termination each one left
// unmarked moves, with its address now plain, to the queue that the
// finalizer goroutine runs: it is marked again, and freed by a later cycle
// once the finalizer is done with it.
#include "atomic.h"
#include "gort/gort.h"
#include "mgc.h"
#include "runtime.h"
#include "runtime2.h"

namespace gort {

namespace {

struct Finalizer {
  Finalizer* next = nullptr;
  uintptr_t hidden = 0;  // ~object while registered; object once queued
  uintptr_t size = 0;    // of the object
  void (*call)(void*, void*) = nullptr;
  void* ctx = nullptr;
};

constexpr uintptr_t kBuckets = 1024;
RtMutex finlock;              // the table and the queue
Finalizer** table = nullptr;  // heap array of kBuckets chains (scanned: a root in .bss)
Finalizer* finq = nullptr;    // queued, in order, for the goroutine
Finalizer* finq_tail = nullptr;
G* fing = nullptr;
bool fing_parked = false;

uintptr_t bucket(uintptr_t obj) { return (obj >> 4) * 0x9e3779b97f4a7c15ull >> 54; }

bool park_fing(G* gp, void*) {
  fing_parked = true;
  unlock_parked(&finlock, gp);
  return true;
}

// The finalizer goroutine (Go's runfinq): a system goroutine while it
// waits, the program's while it runs a finalizer.
void runfinq(void*) {
  G* gp = getg();
  for (;;) {
    lock(&finlock);
    Finalizer* f = finq;
    if (!f) {
      gp->system = true;
      gopark(park_fing, nullptr, "finalizer wait", 1);
      continue;
    }
    finq = f->next;
    if (!finq) finq_tail = nullptr;
    unlock(&finlock);
    if (gp->system) {
      gp->system = false;
      atomic::xadd(&sched.ngsys, int64_t(-1));
    }
    f->call(reinterpret_cast<void*>(f->hidden), f->ctx);
    // Dead now, and the object with it at a later cycle, unless a stale
    // word still reaches the record: clear what it points to (Go's runfinq
    // clears its entries too). Conservative scanning finds such words (on
    // s390x, tests/rt/gc_review.cpp saw one in a reachable stale record),
    // and a record pointing at one tiny object kept its whole 16-byte
    // block, the neighbours' finalizers never run.
    f->next = nullptr;
    f->hidden = 0;
    f->ctx = nullptr;
    if (!atomic::load(&finq)) {
      gp->system = true;
      atomic::xadd(&sched.ngsys, int64_t(1));
    }
  }
}

}  // namespace

namespace detail {
void set_finalizer(void* p, void (*call)(void*, void*), void* ctx) {
  uintptr_t obj = uintptr_t(p);
  MSpan* s = span_of(p);
  if (!s) {
    if (!p) fatal("runtime.SetFinalizer: nil pointer");
    // Go lets a global have a finalizer that never runs; gort's globals are
    // not heap objects either: nothing to do.
    return;
  }
  // A noscan object's contents are no root: it holds no pointers.
  uintptr_t size = s->noscan ? 0 : s->objsize();
  uintptr_t off = obj - s->start;
  // Small pointer-free objects share 16-byte tiny blocks: as Go does, one
  // may have a finalizer at its own address inside the block, which runs
  // once the whole block is unreachable.
  if (off % s->objsize() != 0 && s->spanclass != kTinySpanClass)
    fatal("runtime.SetFinalizer: pointer not at beginning of allocated block");
  Finalizer* rec = call ? make<Finalizer>() : nullptr;
  bool start = false;
  {
    LockGuard g(&finlock);
    if (!table) table = make_array<Finalizer*>(kBuckets);
    Finalizer** pp = &table[bucket(obj)];
    while (*pp && (*pp)->hidden != ~obj) pp = &(*pp)->next;
    if (!call) {  // SetFinalizer(p, nil)
      if (*pp) *pp = (*pp)->next;
      return;
    }
    if (*pp) fatal("runtime.SetFinalizer: finalizer already set");
    rec->hidden = ~obj;
    rec->size = size;
    rec->call = call;
    rec->ctx = ctx;
    *pp = rec;
    start = !fing;
    if (start) fing = reinterpret_cast<G*>(1);  // claimed: made just below
  }
  if (start) {
    G* gp = newproc_system(runfinq, nullptr);
    LockGuard g(&finlock);
    fing = gp;
  }
}
}  // namespace detail

void finalizers_scan_objects(void (*scan)(uintptr_t, uintptr_t, void*), void* ctx) {
  if (!table) return;
  for (uintptr_t b = 0; b < kBuckets; b++)
    for (Finalizer* f = table[b]; f; f = f->next) scan(~f->hidden, f->size, ctx);
}

uint64_t finalizers_queue_unmarked() {
  uint64_t n = 0;
  if (!table) return 0;
  for (uintptr_t b = 0; b < kBuckets; b++) {
    Finalizer** pp = &table[b];
    while (Finalizer* f = *pp) {
      uintptr_t obj = ~f->hidden;
      if (gc_is_marked(obj)) {
        pp = &f->next;
        continue;
      }
      *pp = f->next;
      f->hidden = obj;
      f->next = nullptr;
      if (finq_tail)
        finq_tail->next = f;
      else
        finq = f;
      finq_tail = f;
      n += gc_mark_from(obj);  // lives until its finalizer has run
      n += gc_mark_from(uintptr_t(f));
    }
  }
  return n;
}

void finalizers_wake() {
  LockGuard g(&finlock);
  if (finq && fing_parked && fing) {
    fing_parked = false;
    goready(fing, false);
  }
}

}  // namespace gort
