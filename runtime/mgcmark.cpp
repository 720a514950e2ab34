// runtime/mgcmark.cpp — marking (Go's mgcmark.go and mgcwork.go), with the
// world stopped. Every P's worth of workers (the stopping goroutine's M and
// up to GOMAXPROCS-1 helper threads) first claims root jobs — the writable
// segments in 256 KiB pieces, add_roots ranges, each goroutine's G and
// stack, each P and each M — then drains grey objects from its own two work
// buffers, passing full buffers through a global list to idle workers.
//
// Scanning is conservative: every aligned word of a root or of a scanned
// object that points into an allocated object (anywhere inside it) marks
// that object. Noscan objects are marked, never scanned.
#include "atomic.h"
#include "gort/gort.h"
#include "memops.h"
#include "mgc.h"
#include "runtime.h"
#include "runtime2.h"
#include "traceback.h"

namespace gort {

namespace {

constexpr int kWbufPairs = 254;              // (base, bytes) pairs: a buffer is 4 KiB
constexpr uintptr_t kRootChunk = 256 << 10;  // data roots are split in pieces this big
constexpr uintptr_t kOblet = 128 << 10;      // big objects are scanned this much at a time
constexpr uint32_t kGenWorkers = 511;        // Work::gen's worker count bits
static_assert(kMaxProcs <= kGenWorkers);

struct WorkBuf {
  WorkBuf* next;
  uint32_t n;
  uint32_t pad_;
  uintptr_t e[2 * kWbufPairs];
};

struct alignas(64) GcWork {
  WorkBuf* w1 = nullptr;  // pushes and pops go here
  WorkBuf* w2 = nullptr;  // the spare: swapped in when w1 is full or empty
  uint64_t marked = 0;    // bytes of objects this worker marked
  uint64_t stack_bytes = 0, global_bytes = 0;
  uint32_t nscanned = 0;
};

struct Work {
  RtMutex lock;  // full and empty
  WorkBuf* full = nullptr;
  WorkBuf* empty = nullptr;
  uint32_t nfull = 0;
  uint32_t nwait = 0;     // workers out of work, waiting for a full buffer
  int32_t nworkers = 0;   // this round
  uint32_t rootnext = 0;  // next root job to claim
  uint32_t nroots = 0;    // root jobs: data pieces, then Gs, Ps, Ms, finalizers
  uint32_t ndata = 0, ngs = 0, nps = 0, nms = 0;
  G* gc_g = nullptr;
  bool checkmark = false;
  uint32_t checkgen = 0;
  G** gs = nullptr;  // this cycle's snapshot of allgs
  uintptr_t gs_cap = 0;
  // And of allm: helper threads made after it go to the head of allm,
  // which would shift an index walk past the oldest Ms and their TLS.
  M** ms = nullptr;
  uintptr_t ms_cap = 0;
  // Helper threads: woken by gen moving on, each counts itself in done.
  // gen holds a round number over the round's worker count (low 9 bits):
  // read in one load, so no helper can take one round's count for another.
  uint32_t gen = 0, done = 0;
  int32_t nhelpers = 0;
  uint32_t napnote = 0;  // never woken: idle workers nap on it
};
Work work;
GcWork workers[kMaxProcs];

WorkBuf* getempty() {
  WorkBuf* b;
  {
    LockGuard g(&work.lock);
    if ((b = work.empty)) work.empty = b->next;
  }
  if (!b) b = static_cast<WorkBuf*>(persistentalloc(sizeof(WorkBuf)));
  b->n = 0;
  b->next = nullptr;
  return b;
}

void putempty(WorkBuf* b) {
  LockGuard g(&work.lock);
  b->next = work.empty;
  work.empty = b;
}

void putfull(WorkBuf* b) {
  LockGuard g(&work.lock);
  b->next = work.full;
  work.full = b;
  atomic::store(&work.nfull, work.nfull + 1);
}

WorkBuf* trygetfull() {
  if (atomic::load(&work.nfull) == 0) return nullptr;
  LockGuard g(&work.lock);
  WorkBuf* b = work.full;
  if (b) {
    work.full = b->next;
    atomic::store(&work.nfull, work.nfull - 1);
  }
  return b;
}

void push(GcWork* gw, uintptr_t b, uintptr_t n) {
  WorkBuf* w = gw->w1;
  if (w->n == kWbufPairs) {
    if (gw->w2->n < kWbufPairs) {
      gw->w1 = gw->w2;
      gw->w2 = w;
    } else {
      putfull(gw->w2);
      gw->w2 = w;
      gw->w1 = getempty();
    }
    w = gw->w1;
  }
  w->e[2 * w->n] = b;
  w->e[2 * w->n + 1] = n;
  w->n++;
}

bool pop(GcWork* gw, uintptr_t* b, uintptr_t* n) {
  WorkBuf* w = gw->w1;
  if (w->n == 0) {
    if (gw->w2->n) {
      gw->w1 = gw->w2;
      gw->w2 = w;
    } else {
      WorkBuf* f = trygetfull();
      if (!f) return false;
      putempty(w);
      gw->w1 = f;
    }
    w = gw->w1;
  }
  w->n--;
  *b = w->e[2 * w->n];
  *n = w->e[2 * w->n + 1];
  return true;
}

uint64_t* checkbits(MSpan* s) {
  if (s->checkgen != work.checkgen) {
    if (!s->checkmarks)
      s->checkmarks = static_cast<uint64_t*>(persistentalloc(kBitmapWords * sizeof(uint64_t)));
    mem_set(s->checkmarks, 0, kBitmapWords * sizeof(uint64_t));
    s->checkgen = work.checkgen;
  }
  return s->checkmarks;
}

// Marks the object w points into, if it is an allocated heap object, and
// queues it for scanning if it may hold pointers (Go's greyobject).
inline void grey(GcWork* gw, uintptr_t w) {
  MSpan* s = span_of_unlocked(w);
  if (!s) return;
  uint32_t idx = 0;
  uintptr_t base = s->start, size;
  if (s->spanclass == 0) {
    size = s->npages * kPageSize;
  } else {
    idx = s->objindex(w);
    if (idx >= s->nelems || !(s->allocbits[idx / 64] >> (idx % 64) & 1)) return;
    size = s->elemsize;
    base += uintptr_t(idx) * size;
  }
  uint64_t* bits = work.checkmark ? checkbits(s) : s->markbits;
  uint64_t bit = uint64_t(1) << (idx % 64);
  if (__atomic_load_n(&bits[idx / 64], __ATOMIC_RELAXED) & bit) return;
  if (__atomic_fetch_or(&bits[idx / 64], bit, __ATOMIC_RELAXED) & bit) return;
  if (work.checkmark && !(s->markbits[idx / 64] & bit)) {
    eprint("runtime: checkmarks found unexpected unmarked object obj=", Hex{base}, " size=", size,
           " pointer=", Hex{w}, "\n");
    fatal("checkmark found unmarked object");
  }
  gw->marked += size;
  if (!s->noscan) push(gw, base, size);
}

// One copy of the hot loop, however many callers: inlined into each root
// job, it once made the collector a fifth of a hello world's code.
#if defined(__clang__)
__attribute__((noinline))
#else
__attribute__((noinline, noclone))  // nor a copy for a constant n
#endif
void scanblock(GcWork* gw, uintptr_t b, uintptr_t n) {
  uintptr_t p = (b + 7) & ~uintptr_t(7), end = b + n;
  for (; p + 8 <= end; p += 8) grey(gw, *reinterpret_cast<const uintptr_t*>(p));
}

void scan_stack(GcWork* gw, G* gp) {
  if (gp->status == GStatus::Dead || gp->status == GStatus::Idle) return;  // no stack
  uintptr_t sp;
  if (gp->status == GStatus::Syscall)
    sp = gp->syscallsp;
  else if (gp->status == GStatus::Running && gp != work.gc_g)
    fatal("gc: a goroutine is running while the world is stopped");
  else
    sp = uintptr_t(gp->sp);
  if (!sp) return;  // not started: no frames yet
  if (sp < gp->stack_lo || sp > gp->stack_hi) {
    eprint("runtime: goroutine ", gp->goid, " sp=", Hex{sp}, " stack=[", Hex{gp->stack_lo}, ", ",
           Hex{gp->stack_hi}, ")\n");
    fatal("gc: goroutine stack pointer out of its stack");
  }
  scanblock(gw, sp, gp->stack_hi - sp);
  gw->stack_bytes += gp->stack_hi - sp;
}

// Not its g0 stack: the scheduler's frames there hold no heap pointer
// across a scheduling point (Ps, Ms and Gs are scanned as roots of their
// own), and an idle M parked in stopm for the rest of the program would
// keep whatever stale words its frames hold alive with it (Go scans no g0
// stack either).
void scan_m(GcWork* gw, M* m) {
  scanblock(gw, uintptr_t(m), sizeof(M));
  if (m->tlsmem) scanblock(gw, uintptr_t(m->tlsmem), tls_area_size());
#if defined(GORT_OS_LOADER_TLS)
  // hi first: an M that drops its block (mstart) clears hi, then waits
  // for the phase to be Off again, so a block read here is not freed yet
  // (the fence orders the phase's store before this load, as that M's
  // exchange orders its own).
  atomic::fence();
  uintptr_t hi = atomic::load(&m->loader_tls_hi), lo = atomic::load(&m->loader_tls_lo);
  if (lo && hi > lo) scanblock(gw, lo, hi - lo);
#endif
}

void scan_finalizer_object(uintptr_t b, uintptr_t n, void* ctx) {
  scanblock(static_cast<GcWork*>(ctx), b, n);
}

// Root job j: data pieces, then the goroutines, the Ps, the Ms, and last
// the objects with finalizers.
void markroot(GcWork* gw, uint32_t j) {
  if (j < work.ndata) {
    uintptr_t off = 0;
    for (int i = 0;; i++) {
      uintptr_t lo, hi;
      if (!gc_data_roots(&lo, &hi, i)) return;
      uintptr_t pieces = (hi - lo + kRootChunk - 1) / kRootChunk;
      if (j < off + pieces) {
        uintptr_t b = lo + (j - off) * kRootChunk;
        uintptr_t e = b + kRootChunk < hi ? b + kRootChunk : hi;
        scanblock(gw, b, e - b);
        gw->global_bytes += e - b;
        return;
      }
      off += pieces;
    }
  }
  j -= work.ndata;
  if (j < work.ngs) {
    G* gp = work.gs[j];
    scanblock(gw, uintptr_t(gp), sizeof(G));
    scan_stack(gw, gp);
    return;
  }
  j -= work.ngs;
  if (j < work.nps) return scanblock(gw, uintptr_t(allp[j]), sizeof(P));
  j -= work.nps;
  if (j < work.nms) return scan_m(gw, work.ms[j]);
  finalizers_scan_objects(scan_finalizer_object, gw);
}

// Drains grey objects until every worker is out of work (Go's gcDrain and
// getfull): a worker with nothing counts itself in nwait and looks for full
// buffers; when all are waiting and none is full, marking is over.
__attribute__((noinline)) void drain(GcWork* gw) {
  // Objects wait in a small FIFO between being popped, when their first
  // line is prefetched, and being scanned: marking is bound by the misses
  // on objects' memory, and this overlaps kPrefetch of them.
  constexpr uint32_t kPrefetch = 8;
  uintptr_t qb[kPrefetch], qn[kPrefetch];
  uint32_t qhead = 0, qlen = 0;
  for (;;) {
    for (;;) {
      uintptr_t b, n;
      if (pop(gw, &b, &n)) {
        if (n > kOblet) {  // the rest of a big object: for whoever is free
          push(gw, b + kOblet, n - kOblet);
          n = kOblet;
        }
        __builtin_prefetch(reinterpret_cast<const void*>(b));
        uint32_t tail = (qhead + qlen) % kPrefetch;
        if (qlen < kPrefetch) {
          qb[tail] = b;
          qn[tail] = n;
          qlen++;
          continue;
        }
        // Full: scan the oldest, which takes this one's place.
        uintptr_t ob = qb[qhead], on = qn[qhead];
        qb[qhead] = b;
        qn[qhead] = n;
        qhead = (qhead + 1) % kPrefetch;
        b = ob;
        n = on;
      } else if (qlen) {
        b = qb[qhead];
        n = qn[qhead];
        qhead = (qhead + 1) % kPrefetch;
        qlen--;
      } else {
        break;
      }
      scanblock(gw, b, n);
      // Idle workers and nothing to give them: hand over the spare.
      if (++gw->nscanned % 32 == 0 && atomic::load_relaxed(&work.nwait) > 0 &&
          atomic::load_relaxed(&work.nfull) == 0 && gw->w2->n > 0) {
        putfull(gw->w2);
        gw->w2 = getempty();
      }
    }
    atomic::xadd(&work.nwait, 1u);
    for (uint32_t spins = 0;; spins++) {
      if (atomic::load(&work.nfull) > 0) {
        atomic::xadd(&work.nwait, ~0u);
        if (WorkBuf* f = trygetfull()) {
          putempty(gw->w1);
          gw->w1 = f;
          break;
        }
        atomic::xadd(&work.nwait, 1u);
        continue;
      }
      if (atomic::load(&work.nwait) == uint32_t(work.nworkers)) return;
      // Spin a little, then nap: more workers than CPUs (GOMAXPROCS above
      // the core count, QEMU) must not spin away the busy ones' time.
      if (spins < 200)
        arch_procyield(20);
      else
        os_futexsleep(&work.napnote, 0, 20000);
    }
  }
}

void mark_worker(int id) {
  GcWork* gw = &workers[id];
  if (!gw->w1) gw->w1 = getempty();
  if (!gw->w2) gw->w2 = getempty();
  for (;;) {
    uint32_t j = atomic::xadd(&work.rootnext, 1u) - 1;
    if (j >= work.nroots) break;
    markroot(gw, j);
  }
  drain(gw);
}

void gcworker(void* arg) {
  int id = int(reinterpret_cast<intptr_t>(arg));
  uint32_t seen = 0;
  for (;;) {
    uint32_t g;
    while ((g = atomic::load(&work.gen)) == seen) os_futexsleep(&work.gen, seen, -1);
    seen = g;
    if (id < int(g & kGenWorkers)) {
      mark_worker(id);
      atomic::xadd(&work.done, 1u);
      os_futexwakeup(&work.done, 1);
    }
  }
}

// Room for n entries in a snapshot array (mapped: the heap is being marked).
template <typename T>
void snapshot_room(T*** a, uintptr_t* cap, uintptr_t n) {
  if (n <= *cap) return;
  if (*a) os_munmap(*a, *cap * sizeof(T*));
  *cap = n * 2;
  *a = static_cast<T**>(os_mmap(nullptr, *cap * sizeof(T*), kProtRead | kProtWrite));
  if (!*a) fatal("gc: cannot allocate the root lists");
}

// Sets up this round's root jobs: a snapshot of allgs (not the dead).
void prepare_roots() {
  uint32_t ndata = 0;
  uintptr_t lo, hi;
  for (int i = 0; gc_data_roots(&lo, &hi, i); i++)
    ndata += uint32_t((hi - lo + kRootChunk - 1) / kRootChunk);
  uintptr_t ng = 0;
  for (G* gp = allgs_head(); gp; gp = gp->alllink) ng++;
  snapshot_room(&work.gs, &work.gs_cap, ng);
  uint32_t n = 0;
  for (G* gp = allgs_head(); gp; gp = gp->alllink)
    work.gs[n++] = gp;  // dead ones too: a G keeps its sleep timer for its next life
  uintptr_t nmall = 0;
  for (M* m = allm_head(); m; m = m->alllink) nmall++;
  snapshot_room(&work.ms, &work.ms_cap, nmall);
  uint32_t nm = 0;
  for (M* m = allm_head(); m && nm < nmall; m = m->alllink) work.ms[nm++] = m;
  uint32_t np = 0;
  while (np < kMaxProcs && allp[np]) np++;
  work.ndata = ndata;
  work.ngs = n;
  work.nps = np;
  work.nms = nm;
  work.nroots = ndata + n + np + nm + 1;
  work.rootnext = 0;
}

void run_workers(int32_t n) {
  work.nworkers = n;
  work.nwait = 0;
  if (n > 1) {
    while (work.nhelpers < n - 1) {
      work.nhelpers++;
      newm(gcworker, reinterpret_cast<void*>(intptr_t(work.nhelpers)));
    }
    atomic::store(&work.done, 0u);
    uint32_t round = (atomic::load(&work.gen) >> 9) + 1;
    atomic::store(&work.gen, round << 9 | uint32_t(n));
    os_futexwakeup(&work.gen, uint32_t(work.nhelpers));
  }
  mark_worker(0);
  for (uint32_t d; n > 1 && (d = atomic::load(&work.done)) != uint32_t(n - 1);)
    os_futexsleep(&work.done, d, -1);
  if (work.nfull) fatal("gc: mark work left after every worker finished");
  for (int32_t i = 0; i < n; i++)
    if (workers[i].w1->n || workers[i].w2->n) fatal("gc: mark work left in a worker's buffer");
}

}  // namespace

void gc_mark(G* gc_g, MarkResult* r) {
  work.gc_g = gc_g;
  work.checkmark = false;
  prepare_roots();
  for (auto& w : workers) w.marked = w.stack_bytes = w.global_bytes = 0;
  int32_t n = gomaxprocs;
  run_workers(n);
  *r = MarkResult{};
  for (int32_t i = 0; i < n; i++) {
    r->marked_bytes += workers[i].marked;
    r->stack_bytes += workers[i].stack_bytes;
    r->global_bytes += workers[i].global_bytes;
  }
  r->nworkers = n;
}

uint64_t gc_mark_from(uintptr_t obj) {
  GcWork* gw = &workers[0];
  uint64_t before = gw->marked;
  work.nworkers = 1;
  work.nwait = 0;
  scanblock(gw, uintptr_t(&obj), sizeof obj);
  drain(gw);
  return gw->marked - before;
}

void gc_print_mark_state() {
  eprint("gc: mark workers=", work.nworkers, " waiting=", atomic::load(&work.nwait),
         " fullbufs=", atomic::load(&work.nfull), " roots=", atomic::load(&work.rootnext), "/",
         work.nroots, " helpers=", work.nhelpers, " done=", atomic::load(&work.done), "\n");
}

bool gc_is_marked(uintptr_t obj) {
  MSpan* s = span_of_unlocked(obj);
  if (!s) return true;  // not a heap object: nothing to free
  uint32_t idx = s->objindex(obj);
  return s->markbits[idx / 64] >> (idx % 64) & 1;
}

void gc_checkmark(G* gc_g) {
  work.gc_g = gc_g;
  work.checkmark = true;
  work.checkgen++;
  work.rootnext = 0;  // the mark's own root snapshot, so both see the same roots
  run_workers(1);
  work.checkmark = false;
}

}  // namespace gort
