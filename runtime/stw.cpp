// runtime/stw.cpp — stopping the world and changing GOMAXPROCS while it is
// stopped (Go's stopTheWorldWithSema, procresize, startTheWorldWithSema).
// See docs/ARCHITECTURE.md, "Scheduler".
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "runtime2.h"

namespace gort {

void stop_the_world() {
  // Held until start_the_world (so not preempted meanwhile). Waiting for it
  // by yielding, not sleeping: a sleeper would keep its P from the stopper.
  while (!trylock(&sched.worldlock)) gosched();
  M* m = getg()->m;
  {
    LockGuard g(&sched.lock);
    sched.stopwait = gomaxprocs;
    atomic::store(&sched.gcwaiting, 1u);
    atomic::store(pstatus(m->p), uint32_t(PStatus::Stopped));  // ours: we keep running
    sched.stopwait--;
    for (int32_t i = 0; i < gomaxprocs; i++) {
      P* pp = allp[i];
      if (atomic::cas(pstatus(pp), uint32_t(PStatus::Syscall), uint32_t(PStatus::Stopped))) {
        pp->m = nullptr;
        sched.stopwait--;
      }
    }
    while (P* pp = pidleget()) {
      atomic::store(pstatus(pp), uint32_t(PStatus::Stopped));
      sched.stopwait--;
    }
  }
  // The running ones stop at their next scheduling point: preempt them.
  for (;;) {
    int32_t left;
    {
      LockGuard g(&sched.lock);
      left = sched.stopwait;
    }
    if (left == 0) break;
    for (int32_t i = 0; i < gomaxprocs; i++)
      if (atomic::load(pstatus(allp[i])) == uint32_t(PStatus::Running)) preemptone(allp[i]);
    os_futexsleep(&sched.stopnote, 0, 100000);
  }
  atomic::store(&sched.stopnote, 0u);
}

namespace {
// With the world stopped: n Ps from now on (Go's procresize at run time).
void procresize_live(M* m, int32_t n) {
  int32_t old = gomaxprocs;
  for (int32_t i = old; i < n; i++) {
    if (!allp[i]) {
      allp[i] = new (persistentalloc(sizeof(P))) P;
      allp[i]->id = i;
      allp[i]->mcache = allocmcache();
    }
    atomic::store(pstatus(allp[i]), uint32_t(PStatus::Stopped));
  }
  {
    LockGuard g(&sched.lock);
    for (int32_t i = n; i < old; i++)  // going away: their goroutines go global
      while (G* gp = runqget(allp[i])) globrunqput(gp);
  }
  for (int32_t i = n; i < old; i++) freemcache(allp[i]->mcache);  // spans back to mcentral
  for (int32_t i = n; i < old; i++) {
    gfpurge(allp[i]);
    atomic::xadd(&sched.ngoroutines, allp[i]->ngoroutines);  // its count goes global
    allp[i]->ngoroutines = 0;
  }
  for (int32_t i = n; i < old; i++) movetimers(m->p->id < n ? m->p : allp[0], allp[i]);
  atomic::store(&gomaxprocs, n);
  if (m->p->id >= n) {  // ours is going away too: take P 0
    P* cur = m->p;
    cur->m = nullptr;
    m->p = nullptr;
    atomic::store(pstatus(allp[0]), uint32_t(PStatus::Idle));
    acquirep(m, allp[0]);
  } else {
    atomic::store(pstatus(m->p), uint32_t(PStatus::Running));
  }
}

}  // namespace

void start_the_world() {
  M* m = getg()->m;
  {
    LockGuard g(&sched.lock);
    atomic::store(&sched.gcwaiting, 0u);
  }
  atomic::store(pstatus(m->p), uint32_t(PStatus::Running));  // ours, Stopped since stop_the_world
  for (int32_t i = 0; i < gomaxprocs; i++) {
    P* pp = allp[i];
    if (pp == m->p) continue;
    atomic::store(pstatus(pp), uint32_t(PStatus::Idle));
    if (!runqempty(pp)) {
      startm(pp, false);
    } else {
      LockGuard g(&sched.lock);
      pidleput(pp);
    }
  }
  wakep();
  unlock(&sched.worldlock);
}

int32_t set_gomaxprocs(int32_t n) {
  int32_t prev = atomic::load(&gomaxprocs);
  if (n < 1 || n == prev) return prev;
  if (n > kMaxProcs) n = kMaxProcs;
  stop_the_world();
  M* m = getg()->m;
  procresize_live(m, n);
  start_the_world();
  return prev;
}

}  // namespace gort
