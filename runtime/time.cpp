// runtime/time.cpp — timers on per-P 4-ary heaps (timers.h), and sleep.
//
// Locks: a timer's mu before any heap's lock. A heap runner pops a due
// timer under the heap's lock, drops it, then takes the timer's mu and
// runs f only if nobody stopped or re-armed the timer in between (its seq
// is still the one it was inserted with). So stop and modify, which hold
// mu, see a timer either not yet fired (and cancel it for good) or fired.
#include "gort/time.h"

#include "atomic.h"
#include "malloc.h"
#include "runtime2.h"

namespace gort {

namespace {

P* curp() { return static_cast<M*>(gettls()->m)->p; }

// ---- the 4-ary heap of a P (its lock held); Go's siftupTimer/siftdownTimer.
void heap_set(Timers* ts, int32_t i, RtTimer* t) {
  ts->heap[i] = t;
  t->idx = i;
}

void siftup(Timers* ts, int32_t i) {
  RtTimer* t = ts->heap[i];
  while (i > 0) {
    int32_t p = (i - 1) / 4;
    if (ts->heap[p]->hwhen <= t->hwhen) break;
    heap_set(ts, i, ts->heap[p]);
    i = p;
  }
  heap_set(ts, i, t);
}

void siftdown(Timers* ts, int32_t i) {
  RtTimer* t = ts->heap[i];
  for (;;) {
    int32_t c = 4 * i + 1;
    if (c >= ts->len) break;
    int32_t best = c;
    for (int32_t k = c + 1; k < c + 4 && k < ts->len; k++)
      if (ts->heap[k]->hwhen < ts->heap[best]->hwhen) best = k;
    if (ts->heap[best]->hwhen >= t->hwhen) break;
    heap_set(ts, i, ts->heap[best]);
    i = best;
  }
  heap_set(ts, i, t);
}

void update_when0(Timers* ts) {
  atomic::store(&ts->when0, ts->len ? ts->heap[0]->hwhen : int64_t(0));
}

void heap_add(P* pp, RtTimer* t) {
  Timers* ts = &pp->timers;
  if (ts->len == ts->cap) {
    int32_t ncap = ts->cap ? 2 * ts->cap : 16;
    auto** nh = static_cast<RtTimer**>(alloc(size_t(ncap) * sizeof(RtTimer*), false));
    for (int32_t i = 0; i < ts->len; i++) nh[i] = ts->heap[i];
    ts->heap = nh;
    ts->cap = ncap;
  }
  atomic::store(&t->pp, pp);
  t->hwhen = t->when;
  t->hseq = t->seq;
  heap_set(ts, ts->len++, t);
  siftup(ts, t->idx);
  update_when0(ts);
}

void heap_del(Timers* ts, RtTimer* t) {
  int32_t i = t->idx;
  RtTimer* last = ts->heap[--ts->len];
  ts->heap[ts->len] = nullptr;
  if (i != ts->len) {
    heap_set(ts, i, last);
    siftdown(ts, i);
    siftup(ts, last->idx);
  }
  atomic::store(&t->pp, static_cast<P*>(nullptr));
  t->idx = -1;
  update_when0(ts);
}

// Takes t off whatever heap holds it (t->mu held). A runner may pop it
// meanwhile: then it is on no heap, and its seq tells the runner to skip it.
void unheap(RtTimer* t) {
  for (;;) {
    P* pp = atomic::load(&t->pp);
    if (!pp) return;
    LockGuard g(&pp->timers.lock);
    if (t->pp != pp) continue;  // moved (procresize) or popped: look again
    heap_del(&pp->timers, t);
    return;
  }
}

}  // namespace

bool timer_modify(RtTimer* t, int64_t when, int64_t period) {
  NoPreempt np;  // our P stays ours while we add to its heap
  LockGuard g(&t->mu);
  bool pending = t->when != 0;
  t->seq++;
  unheap(t);
  if (t->drain && t->drain(t->arg)) pending = true;
  t->when = when;
  t->period = period;
  {
    P* pp = curp();
    LockGuard h(&pp->timers.lock);
    heap_add(pp, t);
  }
  wake_timer_sleeper(when);
  return pending;
}

bool timer_stop(RtTimer* t) {
  LockGuard g(&t->mu);
  bool pending = t->when != 0;
  t->seq++;
  t->when = 0;
  unheap(t);
  if (t->drain && t->drain(t->arg)) pending = true;
  return pending;
}

int64_t checktimers(P* pp, int64_t now) {
  Timers* ts = &pp->timers;
  int64_t next = atomic::load(&ts->when0);
  if (next == 0) return 0;
  if (now == 0) now = os_nanotime();
  if (next > now) return next;
  for (;;) {
    RtTimer* t;
    uint64_t seq;
    {
      LockGuard g(&ts->lock);
      if (ts->len == 0) return 0;
      t = ts->heap[0];
      if (t->hwhen > now) return t->hwhen;
      seq = t->hseq;
      heap_del(ts, t);
    }
    LockGuard g(&t->mu);
    if (t->seq != seq) continue;  // stopped or re-armed after we popped it
    int64_t when = t->when;
    if (t->period > 0) {  // catch up, as Go: the next multiple of period after now
      int64_t n = (now - when) / t->period + 1;
      t->when = when_after(when, n * t->period);
      LockGuard h(&pp->timers.lock);
      heap_add(pp, t);
    } else {
      t->when = 0;
    }
    t->f(t->arg, seq, now - when);
  }
}

int64_t timers_next() {
  int64_t next = 0;
  int32_t n = atomic::load(&gomaxprocs);
  for (int32_t i = 0; i < n; i++) {
    int64_t w = atomic::load(&allp[i]->timers.when0);
    if (w && (next == 0 || w < next)) next = w;
  }
  return next;
}

void movetimers(P* dst, P* src) {
  LockGuard a(&src->timers.lock);
  LockGuard b(&dst->timers.lock);
  while (src->timers.len) {
    RtTimer* t = src->timers.heap[src->timers.len - 1];
    heap_del(&src->timers, t);
    uint64_t seq = t->hseq;
    heap_add(dst, t);
    t->hseq = seq;  // a pending firing stays the same firing
  }
}

void wake_timer_sleeper(int64_t when) {
  if (atomic::load(&sched.timersleeping)) {
    int64_t until = atomic::load(&sched.polluntil);
    if (until == 0 || until > when) {
      atomic::xchg(&sched.pollnote, 1u);
      os_futexwakeup(&sched.pollnote, 1);
    }
    return;
  }
  wakep();
}

// ---- sleep (Go's timeSleep): the goroutine's own timer readies it.
namespace {
void goroutine_ready(void* arg, uint64_t, int64_t) { goready(static_cast<G*>(arg)); }

// On g0, once the goroutine is parked: only now may the timer fire.
bool arm_for_sleep(G* gp, void* when) {
  timer_modify(gp->timer, *static_cast<int64_t*>(when), 0);
  return true;
}
}  // namespace

void sleep(int64_t ns) {
  if (ns <= 0) return;
  G* gp = getg();
  if (!gp->timer) {
    gp->timer = make<RtTimer>();
    gp->timer->f = goroutine_ready;
    gp->timer->arg = gp;
  }
  int64_t when = when_after(os_nanotime(), ns);
  gopark(arm_for_sleep, &when, waitreason::Sleep);
}

// ---- <gort/time.h>'s Timer, Ticker, after, after_func.
namespace detail {
RtTimer* timer_new(TimerFunc f, bool (*drain)(void*), void* arg) {
  RtTimer* t = make<RtTimer>();
  t->f = f;
  t->drain = drain;
  t->arg = arg;
  return t;
}
bool timer_reset(RtTimer* t, int64_t d, int64_t period) {
  return timer_modify(t, when_after(os_nanotime(), d), period);
}
bool timer_stop(RtTimer* t) { return gort::timer_stop(t); }
// On g0, in the scheduler: newproc puts the goroutine on this P.
void timer_goroutine(void (*fn)(void*), void* arg) { newproc(fn, arg); }
}  // namespace detail

}  // namespace gort
