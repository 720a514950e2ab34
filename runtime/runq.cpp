// runtime/runq.cpp — run queues (Go's runqput/runqget/runqgrab/runqsteal and
// the global queue). A P's ring is single-producer (its owner), multi-consumer
// (the owner and thieves): consumers claim slots by CAS on runqhead.
#include "atomic.h"
#include "gort/gort.h"
#include "runtime2.h"

namespace gort {

namespace {
G* slot_load(P* pp, uint32_t i) {
  return __atomic_load_n(&pp->runq[i % kRunqSize], __ATOMIC_RELAXED);
}
void slot_store(P* pp, uint32_t i, G* gp) {
  __atomic_store_n(&pp->runq[i % kRunqSize], gp, __ATOMIC_RELAXED);
}

// Moves half the local queue and gp to the global queue (the ring is full).
bool runqputslow(P* pp, G* gp, uint32_t h, uint32_t t) {
  G* batch[kRunqSize / 2 + 1];
  uint32_t n = (t - h) / 2;
  if (n != kRunqSize / 2) fatal("runqputslow: queue is not full");
  for (uint32_t i = 0; i < n; i++) batch[i] = slot_load(pp, h + i);
  if (!atomic::cas(&pp->runqhead, h, h + n)) return false;  // a thief took some: retry
  batch[n] = gp;
  for (uint32_t i = 0; i < n; i++) batch[i]->schedlink = batch[i + 1];
  batch[n]->schedlink = nullptr;
  LockGuard g(&sched.lock);
  if (sched.runqtail)
    sched.runqtail->schedlink = batch[0];
  else
    sched.runqhead = batch[0];
  sched.runqtail = batch[n];
  sched.runqsize += int32_t(n + 1);
  return true;
}

// Takes half of pp's queue into batch (a ring) at batch_head; 0 if empty.
uint32_t runqgrab(P* pp, P* into, uint32_t batch_head, bool steal_runnext) {
  for (;;) {
    uint32_t h = atomic::load(&pp->runqhead);
    uint32_t t = atomic::load(&pp->runqtail);
    uint32_t n = t - h;
    n = n - n / 2;
    if (n == 0) {
      if (steal_runnext) {
        G* next = atomic::load(&pp->runnext);
        if (!next) return 0;
        // A running P has likely just readied next (a channel handoff)
        // and is about to block and run it: give it 3 us first, as Go
        // does, or the two goroutines of a ping-pong bounce between Ms
        // and every handoff costs a futex wake and sleep.
        if (atomic::load(reinterpret_cast<uint32_t*>(&pp->status)) == uint32_t(PStatus::Running)) {
          uint32_t never = 0;
          os_futexsleep(&never, 0, 3000);
        }
        if (!atomic::cas(&pp->runnext, next, static_cast<G*>(nullptr))) continue;
        slot_store(into, batch_head, next);
        return 1;
      }
      return 0;
    }
    if (n > kRunqSize / 2) continue;  // read h and t at different times: retry
    for (uint32_t i = 0; i < n; i++) slot_store(into, batch_head + i, slot_load(pp, h + i));
    if (atomic::cas(&pp->runqhead, h, h + n)) return n;
  }
}
}  // namespace

void runqput(P* pp, G* gp, bool next) {
  if (next) {
    G* old = atomic::xchg(&pp->runnext, gp);
    if (!old) return;
    gp = old;  // the old runnext goes to the ring
  }
  for (;;) {
    uint32_t h = atomic::load(&pp->runqhead);
    uint32_t t = pp->runqtail;
    if (t - h < kRunqSize) {
      slot_store(pp, t, gp);
      atomic::store(&pp->runqtail, t + 1);
      return;
    }
    if (runqputslow(pp, gp, h, t)) return;
  }
}

G* runqget(P* pp, bool* inherit) {
  if (G* next = atomic::load(&pp->runnext))
    if (atomic::cas(&pp->runnext, next, static_cast<G*>(nullptr))) {
      if (inherit) *inherit = true;
      return next;
    }
  if (inherit) *inherit = false;
  for (;;) {
    uint32_t h = atomic::load(&pp->runqhead);
    uint32_t t = pp->runqtail;
    if (t == h) return nullptr;
    G* gp = slot_load(pp, h);
    if (atomic::cas(&pp->runqhead, h, h + 1)) return gp;
  }
}

bool runqempty(P* pp) {
  for (;;) {
    uint32_t h = atomic::load(&pp->runqhead);
    uint32_t t = atomic::load(&pp->runqtail);
    G* next = atomic::load(&pp->runnext);
    if (t == atomic::load(&pp->runqtail)) return h == t && !next;
  }
}

G* runqsteal(P* pp, P* victim, bool steal_runnext) {
  uint32_t t = pp->runqtail;
  uint32_t n = runqgrab(victim, pp, t, steal_runnext);
  if (n == 0) return nullptr;
  n--;
  G* gp = slot_load(pp, t + n);
  if (n == 0) return gp;
  uint32_t h = atomic::load(&pp->runqhead);
  if (t - h + n >= kRunqSize) fatal("runqsteal: runq overflow");
  atomic::store(&pp->runqtail, t + n);
  return gp;
}

void globrunqput(G* gp) {
  gp->schedlink = nullptr;
  if (sched.runqtail)
    sched.runqtail->schedlink = gp;
  else
    sched.runqhead = gp;
  sched.runqtail = gp;
  sched.runqsize++;
}

G* globrunqget(P* pp, int32_t max) {
  if (sched.runqsize == 0) return nullptr;
  int32_t n = sched.runqsize / gomaxprocs + 1;
  if (n > sched.runqsize) n = sched.runqsize;
  if (max > 0 && n > max) n = max;
  if (n > kRunqSize / 2) n = kRunqSize / 2;
  sched.runqsize -= n;
  G* gp = sched.runqhead;
  sched.runqhead = gp->schedlink;
  for (int32_t i = 1; i < n; i++) {
    G* g1 = sched.runqhead;
    sched.runqhead = g1->schedlink;
    runqput(pp, g1, false);
  }
  if (!sched.runqhead) sched.runqtail = nullptr;
  return gp;
}

}  // namespace gort
