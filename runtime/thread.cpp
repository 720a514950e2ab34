// runtime/thread.cpp — OS threads as Ms (Go's newm/mstart/mexit, before Ps
// exist): one mapping holds the M, its stacks and its TLS area; the kernel
// sets the new thread's thread pointer at creation.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "mgc.h"
#include "runtime.h"
#include "runtime2.h"

namespace gort {

namespace {
constexpr size_t kG0Stack = 256 << 10;
int64_t next_mid = 1;
RtMutex allm_lock;
M* allm = nullptr;

uintptr_t round_page(uintptr_t n, uintptr_t ps) { return (n + ps - 1) / ps * ps; }
uintptr_t page() { return boot.physpagesize > 4096 ? boot.physpagesize : 4096; }

void mstart(void* p) {
  auto* m = static_cast<M*>(p);
  atomic::store(&m->tid, os_thread_self());
  minitsignals(m->map, kSigStackSize);
#if defined(GORT_OS_LOADER_TLS)
  uintptr_t lo, hi;
  loader_tls_block(&lo, &hi);
  atomic::store(&m->loader_tls_lo, lo);
  atomic::store(&m->loader_tls_hi, hi);
#endif
  m->fn(m->arg);
  run_tls_dtors(m);
  freemcache(m->mcache);  // hand its spans back before the thread goes
#if defined(GORT_OS_LOADER_TLS)
  // The loader frees the block as the thread ends: no mark may be reading
  // it then. Mark sets the phase before it reads hi (mgcmark.cpp, scan_m);
  // a raw M holds no P, so no cycle waits for this one.
  atomic::xchg(&m->loader_tls_hi, uintptr_t(0));
  atomic::fence();
  uint32_t nap = 0;
  while (atomic::load(&gcphase) != uint32_t(GCPhase::Off)) os_futexsleep(&nap, 0, 1000000);
#endif
  os_exitthread(&m->running);
}
}  // namespace

void allm_add(M* m) {
  LockGuard g(&allm_lock);
  m->alllink = allm;
  atomic::store(&allm, m);
}

M* allm_head() { return atomic::load(&allm); }

M* newm(void (*fn)(void*), void* arg) {
  M* m = allocm(fn, arg);
  newosproc(m);
  return m;
}

M* allocm(void (*fn)(void*), void* arg) {
  atomic::xadd(&sched.nthreads, 1);  // every M counts (schedtrace, the thread limit)
  // One mapping: [signal stack][guard][g0 stack][M][TLS area]. The guard
  // (PROT_NONE) makes a g0 overflow fault instead of running into the
  // signal stack.
  uintptr_t ps = page();
  uintptr_t sig = round_page(kSigStackSize, ps), g0 = round_page(kG0Stack, ps);
  size_t size = sig + ps + g0 + round_page(sizeof(M) + tls_area_size(), ps);
  auto* map = static_cast<char*>(os_mmap(nullptr, size, kProtRead | kProtWrite));
  if (map && (uintptr_t(map) & (ps - 1))) {
    // Only under GORTDEBUG=pagesize (a page larger than the OS's): map a
    // page more and trim it to the simulated page's alignment.
    os_munmap(map, size);
    auto* raw = static_cast<char*>(os_mmap(nullptr, size + ps, kProtRead | kProtWrite));
    if (!raw) fatal("newm: cannot allocate an M");
    map = reinterpret_cast<char*>(round_page(uintptr_t(raw), ps));
    if (map > raw) os_munmap(raw, size_t(map - raw));
    if (raw + ps > map) os_munmap(map + size, size_t(raw + ps - map));
  }
  if (!map) fatal("newm: cannot allocate an M");
  if (!os_guard(whole_pages(map + sig, ps), ps))
    fatal("newm: cannot protect the g0 stack's guard page");
  char* stack = map + sig + ps;
  auto* m = new (stack + g0) M;
  m->map = map;
  m->mapsize = size;
  m->id = atomic::xadd(&next_mid, int64_t(1));
  m->tls = tls_area_init(m + 1, m, &m->g0);
  m->tlsmem = m + 1;
  m->g0.m = m;
  m->g0.stack_lo = uintptr_t(stack);
  m->g0.stack_hi = uintptr_t(stack) + g0;
  m->mcache = allocmcache();
  m->fn = fn;
  m->arg = arg;
  m->fastrand = uint32_t(rand64()) | 1;
  allm_add(m);
  return m;
}

void newosproc(M* m) {
  atomic::store(&m->running, 1u);
  int r = os_newthread(reinterpret_cast<void*>(m->g0.stack_lo), m->g0.stack_hi - m->g0.stack_lo,
                       tls_tp(m->tls), mstart, m);
  if (r < 0) {
    eprint("runtime: failed to create new OS thread (errno ", -r, ")\n");
    fatal("newosproc");
  }
}

void joinm(M* m) {
  while (uint32_t v = atomic::load(&m->running)) os_futexsleep(&m->running, v, 1000000);
  atomic::xadd(&sched.nthreads, -1);
  {
    LockGuard g(&allm_lock);
    M** pp = &allm;
    while (*pp != m) pp = &(*pp)->alllink;
    *pp = m->alllink;
  }
  os_munmap(m->map, m->mapsize);
}

}  // namespace gort
