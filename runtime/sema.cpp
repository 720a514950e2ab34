// runtime/sema.cpp — semaphores for the sync package (Go's sema.go).
//
// A goroutine waiting on a semaphore address parks in one of 251 roots,
// chosen by the address. A root's waiters form a treap (a binary search tree
// on the address, a heap on a random priority: O(log n) expected for any
// number of distinct addresses hashed to the root); each tree node heads the
// list of every waiter on its address, FIFO, or LIFO for a Mutex waiter
// that already waited once. Waiters are counted in the root before they
// recheck the semaphore, so a release either sees the count and takes the
// root's lock, or the waiter's recheck sees the release: no wakeup is lost.
// Sudogs live on the waiting goroutine's stack (stacks never move).
#include "sema.h"

#include "atomic.h"
#include "gort/gort.h"

namespace gort {

namespace {

struct SemaRoot {
  RtMutex lock;
  Sudog* treap = nullptr;  // one node per address, heading its waiters
  uint32_t nwait = 0;      // waiters, read without the lock
};

constexpr int kSemTabSize = 251;  // Go's semTabSize: a prime, spreads aligned addresses

struct alignas(64) SemTabEntry {  // a cache line each: roots are hot
  SemaRoot root;
};
SemTabEntry semtable[kSemTabSize];

SemaRoot* semroot(const void* addr) { return &semtable[(uintptr_t(addr) >> 3) % kSemTabSize].root; }

bool cansemacquire(uint32_t* addr) {
  for (;;) {
    uint32_t v = atomic::load(addr);
    if (v == 0) return false;
    if (atomic::cas(addr, v, v - 1)) return true;
  }
}

// The parent's link to old (or the root's) now points at nw.
void replace_child(SemaRoot* r, Sudog* parent, Sudog* old, Sudog* nw) {
  if (!parent)
    r->treap = nw;
  else if (parent->prev == old)
    parent->prev = nw;
  else if (parent->next == old)
    parent->next = nw;
  else
    fatal("semaRoot: corrupted treap");
}

// x's right child takes its place; x becomes that child's left.
void rotate_left(SemaRoot* r, Sudog* x) {
  Sudog* p = x->parent;
  Sudog* y = x->next;
  Sudog* b = y->prev;
  y->prev = x;
  x->parent = y;
  x->next = b;
  if (b) b->parent = x;
  y->parent = p;
  replace_child(r, p, x, y);
}

// y's left child takes its place; y becomes that child's right.
void rotate_right(SemaRoot* r, Sudog* y) {
  Sudog* p = y->parent;
  Sudog* x = y->prev;
  Sudog* b = x->next;
  x->next = y;
  y->parent = x;
  y->prev = b;
  if (b) b->parent = y;
  x->parent = p;
  replace_child(r, p, y, x);
}

// t's tree position (links, priority) goes to s; t leaves the tree.
void take_place(SemaRoot* r, Sudog* t, Sudog* s) {
  s->ticket = t->ticket;
  s->parent = t->parent;
  s->prev = t->prev;
  s->next = t->next;
  if (s->prev) s->prev->parent = s;
  if (s->next) s->next->parent = s;
  replace_child(r, s->parent, t, s);
  t->parent = t->prev = t->next = nullptr;
}

// Adds s, the current goroutine's, as a waiter on addr. r->lock held.
void semqueue(SemaRoot* r, uint32_t* addr, Sudog* s, bool lifo) {
  s->g = getg();
  s->elem = addr;
  s->next = s->prev = s->parent = nullptr;
  s->waitlink = s->waittail = nullptr;
  Sudog* last = nullptr;
  Sudog** pt = &r->treap;
  for (Sudog* t = *pt; t; t = *pt) {
    if (t->elem == addr) {
      if (lifo) {  // s heads the list and the tree node
        take_place(r, t, s);
        s->waitlink = t;
        s->waittail = t->waittail ? t->waittail : t;
        t->waittail = nullptr;
      } else {
        (t->waittail ? t->waittail : t)->waitlink = s;
        t->waittail = s;
      }
      return;
    }
    last = t;
    pt = uintptr_t(addr) < uintptr_t(t->elem) ? &t->prev : &t->next;
  }
  // A new address: a leaf, then up while its priority beats its parent's.
  s->ticket = cheaprand() | 1;
  s->parent = last;
  *pt = s;
  while (s->parent && s->parent->ticket > s->ticket) {
    if (s->parent->prev == s)
      rotate_right(r, s->parent);
    else
      rotate_left(r, s->parent);
  }
}

// Removes and returns the first waiter on addr, or null. r->lock held.
Sudog* semdequeue(SemaRoot* r, uint32_t* addr) {
  Sudog* s = r->treap;
  while (s && s->elem != addr) s = uintptr_t(addr) < uintptr_t(s->elem) ? s->prev : s->next;
  if (!s) return nullptr;
  if (Sudog* t = s->waitlink) {  // the next waiter on addr becomes the node
    take_place(r, s, t);
    t->waittail = s->waittail == t ? nullptr : s->waittail;
    s->waitlink = s->waittail = nullptr;
  } else {  // the address's last waiter: rotate it down to a leaf, drop it
    while (s->next || s->prev) {
      if (!s->next || (s->prev && s->prev->ticket < s->next->ticket))
        rotate_right(r, s);
      else
        rotate_left(r, s);
    }
    replace_child(r, s->parent, s, nullptr);
    s->parent = nullptr;
  }
  s->elem = nullptr;
  s->ticket = 0;  // from here on: 1 means the releaser handed the count over
  return s;
}

// The notify list's lock is a runtime lock word in the public struct.
static_assert(sizeof(RtMutex) == sizeof(uint32_t) && alignof(RtMutex) == alignof(uint32_t));
RtMutex* nllock(detail::NotifyList* l) { return reinterpret_cast<RtMutex*>(&l->lock); }

bool less(uint32_t a, uint32_t b) { return int32_t(a - b) < 0; }  // tickets wrap

// Only goroutines park or ready others (an OS thread of newm's, or a g0,
// has no P to queue on): Go's "semacquire not on the G stack".
void check_goroutine(const char* msg) {
  NoPreempt np;
  G* gp = getg();
  if (gp != gp->m->curg) fatal(msg);
}

}  // namespace

void semacquire(uint32_t* addr, bool lifo, const char* reason) {
  if (cansemacquire(addr)) return;
  check_goroutine("semacquire not on the G stack");
  Sudog s;
  SemaRoot* r = semroot(addr);
  for (;;) {
    lock(&r->lock);
    // Counted before the recheck: a release after this sees a waiter.
    atomic::xadd(&r->nwait, 1u);
    if (cansemacquire(addr)) {
      atomic::xadd(&r->nwait, ~0u);
      unlock(&r->lock);
      return;
    }
    semqueue(r, addr, &s, lifo);
    goparkunlock(&r->lock, reason);
    if (s.ticket != 0 || cansemacquire(addr)) return;
  }
}

void semrelease(uint32_t* addr, bool handoff) {
  SemaRoot* r = semroot(addr);
  atomic::xadd(addr, 1u);
  // Seen after the increment: a waiter counted later rechecks *addr itself.
  if (atomic::load(&r->nwait) == 0) return;
  lock(&r->lock);
  if (atomic::load(&r->nwait) == 0) {  // taken meanwhile by a waiter's recheck
    unlock(&r->lock);
    return;
  }
  Sudog* s = semdequeue(r, addr);
  if (s) atomic::xadd(&r->nwait, ~0u);
  unlock(&r->lock);
  if (!s) return;
  if (s->ticket != 0) fatal("corrupted semaphore ticket");
  check_goroutine("semrelease not on the G stack");
  bool handed = handoff && cansemacquire(addr);
  if (handed) s->ticket = 1;
  // s is on the waiter's stack: not ours once it may run.
  goready(s->g);
  // Go's goyield: let the waiter, just put in runnext, use what it got now.
  if (handed && getg()->locks == 0) gosched();
}

uint32_t semwaiters(uint32_t* addr) { return atomic::load(&semroot(addr)->nwait); }

uint32_t notify_list_add(detail::NotifyList* l) { return atomic::xadd(&l->wait, 1u) - 1; }

void notify_list_wait(detail::NotifyList* l, uint32_t t) {
  check_goroutine("notifyListWait not on the G stack");
  lock(nllock(l));
  if (less(t, l->notify)) {  // already notified
    unlock(nllock(l));
    return;
  }
  Sudog s;
  s.g = getg();
  s.ticket = t;
  if (l->tail)
    l->tail->next = &s;
  else
    l->head = &s;
  l->tail = &s;
  goparkunlock(nllock(l), waitreason::SyncCondWait);
}

void notify_list_notify_all(detail::NotifyList* l) {
  if (atomic::load(&l->wait) == atomic::load(&l->notify)) return;  // nobody new: no lock
  lock(nllock(l));
  Sudog* s = l->head;
  l->head = l->tail = nullptr;
  atomic::store(&l->notify, atomic::load(&l->wait));
  unlock(nllock(l));
  if (s) check_goroutine("notifyListNotifyAll not on the G stack");
  while (s) {
    Sudog* next = s->next;  // read before the waiter may run and drop s
    goready(s->g);
    s = next;
  }
}

void notify_list_notify_one(detail::NotifyList* l) {
  if (atomic::load(&l->wait) == atomic::load(&l->notify)) return;
  lock(nllock(l));
  uint32_t t = l->notify;
  if (t == atomic::load(&l->wait)) {
    unlock(nllock(l));
    return;
  }
  // Ticket t goes now, whether or not its holder has queued yet: one that
  // has not will see it is notified and not park.
  atomic::store(&l->notify, t + 1);
  for (Sudog *p = nullptr, *s = l->head; s; p = s, s = s->next) {
    if (s->ticket != t) continue;
    Sudog* n = s->next;
    if (p)
      p->next = n;
    else
      l->head = n;
    if (!n) l->tail = p;
    unlock(nllock(l));
    check_goroutine("notifyListNotifyOne not on the G stack");
    goready(s->g);
    return;
  }
  unlock(nllock(l));
}

// Mutex spinning (Go's sync_runtime_canSpin/doSpin): only while spinning
// can pay, i.e. the holder is likely running on another CPU: several CPUs,
// another P running goroutines, and nothing queued on ours.
bool sync_can_spin(int i) {
  if (i >= 4 || boot.ncpu <= 1) return false;
  if (atomic::load(&gomaxprocs) <=
      int32_t(atomic::load(&sched.npidle) + atomic::load(&sched.nmspinning)) + 1)
    return false;
  NoPreempt np;
  P* pp = getg()->m->p;
  return pp && runqempty(pp);
}

void sync_do_spin() { arch_procyield(30); }

}  // namespace gort
