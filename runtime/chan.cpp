// runtime/chan.cpp — Go's channels (runtime/chan.go): a lock, a ring buffer
// and two FIFO queues of waiting goroutines. A value goes straight from a
// sender to a waiting receiver's destination (or the reverse), never
// through the buffer; the woken goroutine runs next on the waker's P.
#include "chan.h"

#include "atomic.h"
#include "memops.h"

namespace gort {

void WaitQ::enqueue(Sudog* sg) {
  sg->next = nullptr;
  sg->prev = last;
  if (last)
    last->next = sg;
  else
    atomic::store(&first, sg);  // read without the lock by the non-blocking fast paths
  last = sg;
}

Sudog* WaitQ::dequeue() {
  for (;;) {
    Sudog* sg = first;
    if (!sg) return nullptr;
    atomic::store(&first, sg->next);
    if (sg->next)
      sg->next->prev = nullptr;
    else
      last = nullptr;
    sg->next = nullptr;
    // A select is woken by one case only: the first to flip selectdone.
    // A loser's sudogs stay queued until it takes its locks again and
    // removes them; until then they are skipped (and unlinked) here.
    if (sg->isselect && !atomic::cas(&sg->g->selectdone, 0u, 1u)) continue;
    return sg;
  }
}

void WaitQ::remove(Sudog* sg) {
  if (sg->prev)
    sg->prev->next = sg->next;
  else if (first == sg)
    atomic::store(&first, sg->next);
  else
    return;  // already unlinked by a waker's dequeue
  if (sg->next)
    sg->next->prev = sg->prev;
  else
    last = sg->prev;
  sg->next = sg->prev = nullptr;
}

void chan_throw_on_g0(const char* what) {
  if (getg()->goid == 0) {
    eprint("runtime: ", what, " would block the scheduler\n");
    fatal("blocking channel operation on g0");
  }
}

void buf_put(hchan* c, void* ep) {
  elem_move(c->t, chanbuf(c, c->sendx), ep);
  if (++c->sendx == c->dataqsiz) c->sendx = 0;
  atomic::store(&c->qcount, c->qcount + 1);
}

void buf_take(hchan* c, void* ep) {
  void* qp = chanbuf(c, c->recvx);
  if (ep)
    elem_relocate(c->t, ep, qp);
  else
    elem_destroy(c->t, qp);
  // A value received must not stay reachable from the buffer, where the
  // collector would find it until the slot is reused (Go's typedmemclr).
  mem_set(qp, 0, c->t->size);
  if (++c->recvx == c->dataqsiz) c->recvx = 0;
  atomic::store(&c->qcount, c->qcount - 1);
}

G* send_direct(hchan* c, Sudog* sg, void* ep) {
  if (sg->elem) elem_move(c->t, sg->elem, ep);  // into the receiver's own storage
  sg->elem = nullptr;
  sg->success = true;
  sg->g->param = sg;
  return sg->g;
}

G* recv_direct(hchan* c, Sudog* sg, void* ep) {
  if (c->dataqsiz == 0) {
    if (ep) elem_move(c->t, ep, sg->elem);
  } else {
    // The buffer is full (a sender waits): take its head, and the sender's
    // value goes to the tail, the slot just freed, so the order stays FIFO.
    void* qp = chanbuf(c, c->recvx);
    if (ep)
      elem_relocate(c->t, ep, qp);
    else
      elem_destroy(c->t, qp);
    elem_move(c->t, qp, sg->elem);
    if (++c->recvx == c->dataqsiz) c->recvx = 0;
    c->sendx = c->recvx;
  }
  sg->elem = nullptr;
  sg->success = true;
  sg->g->param = sg;
  return sg->g;
}

namespace {

// Go's chanparkcommit: the channel's lock is released only once the
// goroutine is Waiting, so a waker that finds its sudog can ready it.
bool chanparkcommit(G* gp, void* c) {
  unlock_parked(&static_cast<hchan*>(c)->lock, gp);
  return true;
}

// Lock-free looks for the non-blocking paths (Go's full/empty): a stale
// answer is one a locked look could have given a moment earlier.
bool full(hchan* c) {
  if (c->dataqsiz == 0) return atomic::load(&c->recvq.first) == nullptr;
  return atomic::load(&c->qcount) == c->dataqsiz;
}
bool empty(hchan* c) {
  if (c->dataqsiz == 0) return atomic::load(&c->sendq.first) == nullptr;
  return atomic::load(&c->qcount) == 0;
}

// Parks the current goroutine on q until a peer or close wakes it; returns
// whether a value passed (false: closed). c->lock held, released by the park.
bool chanpark(hchan* c, WaitQ* q, void* ep, const char* reason) {
  G* gp = getg();
  Sudog mysg;  // on this stack: it never moves, and outlives the wait
  mysg.g = gp;
  mysg.elem = ep;
  mysg.c = c;
  gp->waiting = &mysg;
  gp->param = nullptr;
  q->enqueue(&mysg);
  gopark(chanparkcommit, c, reason, 1);
  gp->waiting = nullptr;
  gp->param = nullptr;
  return mysg.success;
}

[[noreturn]] void block_forever(const char* reason) {
  chan_throw_on_g0(reason);
  gopark(nullptr, nullptr, reason);
  fatal("unreachable");
}

constexpr uint64_t kMaxAlloc = uint64_t(1) << 48;  // Go's maxAlloc on 64-bit Linux

}  // namespace

namespace detail {

hchan* makechan(const ChanType* t, int64_t size) {
  uint64_t align = t->align < 8 ? 8 : t->align;
  uint64_t header = (sizeof(hchan) + align - 1) & ~(align - 1);
  if (size < 0 || (t->size && uint64_t(size) > (kMaxAlloc - header) / t->size))
    panic("makechan: size out of range");
  uint64_t total = header + uint64_t(size) * t->size;
  // One block: the GC (when it lands) scans the buffer with the header.
  char* p =
      static_cast<char*>(align <= 8 ? alloc(total, false) : alloc_aligned(total, align, false));
  hchan* c = new (p) hchan;
  c->t = t;
  c->dataqsiz = uint64_t(size);
  if (size > 0) c->buf = p + header;
  return c;
}

bool chansend(hchan* c, void* ep, bool block) {
  if (!c) {
    if (!block) return false;
    block_forever(waitreason::ChanSendNilChan);
  }
  if (!block && !atomic::load(&c->closed) && full(c)) return false;
  lock(&c->lock);
  if (c->closed) {
    unlock(&c->lock);
    panic("send on closed channel");
  }
  if (Sudog* sg = c->recvq.dequeue()) {
    G* gp = send_direct(c, sg, ep);
    unlock(&c->lock);
    goready(gp);
    return true;
  }
  if (c->qcount < c->dataqsiz) {
    buf_put(c, ep);
    unlock(&c->lock);
    return true;
  }
  if (!block) {
    unlock(&c->lock);
    return false;
  }
  chan_throw_on_g0(waitreason::ChanSend);
  if (!chanpark(c, &c->sendq, ep, waitreason::ChanSend)) panic("send on closed channel");
  return true;
}

bool chanrecv(hchan* c, void* ep, bool block, bool* received) {
  *received = false;
  if (!c) {
    if (!block) return false;
    block_forever(waitreason::ChanReceiveNilChan);
  }
  if (!block && empty(c)) {
    if (!atomic::load(&c->closed)) return false;
    // Closed, and empty once closed: that stays so (Go's order of checks).
    if (empty(c)) {
      if (ep) c->t->zero(ep);
      return true;
    }
  }
  lock(&c->lock);
  if (c->closed && c->qcount == 0) {
    unlock(&c->lock);
    if (ep) c->t->zero(ep);
    return true;
  }
  if (Sudog* sg = c->sendq.dequeue()) {  // none once closed: close woke them all
    G* gp = recv_direct(c, sg, ep);
    unlock(&c->lock);
    goready(gp);
    *received = true;
    return true;
  }
  if (c->qcount > 0) {
    buf_take(c, ep);
    unlock(&c->lock);
    *received = true;
    return true;
  }
  if (!block) {
    unlock(&c->lock);
    return false;
  }
  chan_throw_on_g0(waitreason::ChanReceive);
  *received = chanpark(c, &c->recvq, ep, waitreason::ChanReceive);
  return true;
}

void closechan(hchan* c) {
  if (!c) panic("close of nil channel");
  lock(&c->lock);
  if (c->closed) {
    unlock(&c->lock);
    panic("close of closed channel");
  }
  atomic::store(&c->closed, 1u);
  // Every waiter goes: receivers with the zero value, senders to panic.
  // Readied only after the unlock, as Go does.
  G* list = nullptr;
  G** tail = &list;
  WaitQ* qs[2] = {&c->recvq, &c->sendq};
  for (WaitQ* q : qs) {
    while (Sudog* sg = q->dequeue()) {
      if (sg->elem && q == &c->recvq) c->t->zero(sg->elem);
      sg->elem = nullptr;
      sg->success = false;
      sg->g->param = sg;
      sg->g->schedlink = nullptr;
      *tail = sg->g;
      tail = &sg->g->schedlink;
    }
  }
  unlock(&c->lock);
  while (G* gp = list) {
    list = gp->schedlink;
    gp->schedlink = nullptr;
    goready(gp);
  }
}

int64_t chanlen(const hchan* c) { return c ? int64_t(atomic::load(&c->qcount)) : 0; }
int64_t chancap(const hchan* c) { return c ? int64_t(c->dataqsiz) : 0; }

}  // namespace detail

}  // namespace gort
