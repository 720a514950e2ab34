// runtime/thread.cpp — OS threads as Ms (Go's newm/mstart/mexit, before Ps
// exist): one mapping holds the M and its g0 stack; the thread's TLS block
// is the M's, set by the kernel at creation.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "runtime.h"
#include "runtime2.h"

namespace gort {

namespace {
constexpr size_t kG0Stack = 256 << 10;
int64_t next_mid = 1;

void mstart(void* p) {
  auto* m = static_cast<M*>(p);
  atomic::store(&m->tid, os_thread_self());
  minitsignals(reinterpret_cast<char*>(m) - kG0Stack - kSigStackSize, kSigStackSize);
  m->fn(m->arg);
  freemcache(m->mcache);  // hand its spans back before the thread goes
  os_exitthread(&m->running);
}
}  // namespace

M* newm(void (*fn)(void*), void* arg) {
  M* m = allocm(fn, arg);
  newosproc(m);
  return m;
}

M* allocm(void (*fn)(void*), void* arg) {
  atomic::xadd(&sched.nthreads, 1);  // every M counts (schedtrace, the thread limit)
  // One mapping: [signal stack][g0 stack][M].
  size_t size = kSigStackSize + kG0Stack + ((sizeof(M) + 4095) & ~size_t(4095));
  void* map = os_mmap(nullptr, size, kProtRead | kProtWrite);
  if (!map) fatal("newm: cannot allocate an M");
  char* mem = static_cast<char*>(map) + kSigStackSize;
  auto* m = new (mem + kG0Stack) M;
  m->mapsize = size;
  m->id = atomic::xadd(&next_mid, int64_t(1));
  m->tls.self = &m->tls;
  m->tls.m = m;
  m->tls.g = &m->g0;
  m->g0.m = m;
  m->g0.stack_lo = uintptr_t(mem);
  m->g0.stack_hi = uintptr_t(mem) + kG0Stack;
  m->mcache = allocmcache();
  m->fn = fn;
  m->arg = arg;
  m->fastrand = uint32_t(rand64()) | 1;
  return m;
}

void newosproc(M* m) {
  atomic::store(&m->running, 1u);
  int r = os_newthread(reinterpret_cast<void*>(m->g0.stack_lo), kG0Stack, &m->tls, mstart, m);
  if (r < 0) {
    eprint("runtime: failed to create new OS thread (errno ", -r, ")\n");
    fatal("newosproc");
  }
}

void joinm(M* m) {
  while (uint32_t v = atomic::load(&m->running)) os_futexsleep(&m->running, v, 1000000);
  atomic::xadd(&sched.nthreads, -1);
  os_munmap(reinterpret_cast<char*>(m) - kG0Stack - kSigStackSize, m->mapsize);
}

}  // namespace gort
