// runtime/mstats.cpp — gort::read_mem_stats, with Go's runtime.MemStats
// field meanings. Per-M counters are summed without stopping the world
// (Go stops it; gort does not, to keep the call cheap), so a reading taken
// while other threads allocate is a moment's snapshot of each counter, not
// one instant of all.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "mgc.h"

namespace gort {

void read_mem_stats(MemStats* m) {
  uint64_t nmalloc = 0, total = 0, ntiny = 0;
  for (MCache* c = first_mcache(); c; c = c->next_cache) {
    // ntiny first: the owner counts a tiny object in nmalloc, then ntiny.
    ntiny += __atomic_load_n(&c->ntiny, __ATOMIC_ACQUIRE);
    nmalloc += __atomic_load_n(&c->nmalloc, __ATOMIC_ACQUIRE);
    total += __atomic_load_n(&c->total_alloc, __ATOMIC_RELAXED);
  }
  nmalloc += atomic::load(&heapstats.nlarge);
  total += atomic::load(&heapstats.large_alloc);
  *m = MemStats{};
  m->TotalAlloc = total;
  m->Mallocs = nmalloc;
  m->Frees = atomic::load(&heapstats.nfree) + ntiny;
  m->HeapAlloc = total - atomic::load(&heapstats.freed_bytes);
  m->Alloc = m->HeapAlloc;
  // Counters read one after another may cross: never a wrapped count.
  m->HeapObjects = m->Mallocs > m->Frees ? m->Mallocs - m->Frees : 0;
  m->HeapSys = atomic::load(&heapstats.sys);
  m->HeapInuse = atomic::load(&heapstats.inuse);
  m->HeapIdle = m->HeapSys - m->HeapInuse;
  m->HeapReleased = atomic::load(&heapstats.released);
  m->StackInuse = atomic::load(&heapstats.stack_inuse);
  m->StackSys = atomic::load(&heapstats.stack_sys);
  m->Sys = m->HeapSys + m->StackSys + atomic::load(&heapstats.meta_sys);
  read_gc_stats(m);
}

}  // namespace gort
