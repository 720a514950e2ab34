// runtime/select.cpp — Go's select (runtime/select.go's selectgo): lock
// every channel in address order, look at the cases in a random order, and
// if none is ready (and there is no default) wait on all of them at once
// with one sudog per case; the first peer to flip g->selectdone wins.
#include "atomic.h"
#include "chan.h"

namespace gort {

using detail::SelCase;

namespace {

constexpr int kStackCases = 16;  // more than this: the scratch comes from the heap

struct SelState {
  SelCase* cases;
  uint32_t* lockorder;  // indexes of the non-nil cases, by channel address
  int norder;
};

hchan* lockchan(const SelState& s, int k) { return s.cases[s.lockorder[k]].c; }

void sellock(const SelState& s) {
  for (int k = 0; k < s.norder; k++)
    if (k == 0 || lockchan(s, k) != lockchan(s, k - 1)) lock(&lockchan(s, k)->lock);
}

// In reverse: as selparkcommit must (see there), for one order everywhere.
void selunlock(const SelState& s) {
  for (int k = s.norder - 1; k >= 0; k--)
    if (k == 0 || lockchan(s, k) != lockchan(s, k - 1)) unlock(&lockchan(s, k)->lock);
}

int32_t nlocks(const SelState& s) {  // distinct channels: the locks sellock takes
  int32_t n = 0;
  for (int k = 0; k < s.norder; k++) n += k == 0 || lockchan(s, k) != lockchan(s, k - 1);
  return n;
}

// Go's selparkcommit. Once a lock is released a peer may win the select and
// the goroutine resume (its stack, which holds s, is then live again), but
// it cannot get past sellock while the lower-addressed locks are held: so
// unlock from the top down and read nothing after the last one.
// The no-preempt counts the locks raised are gp's, lowered all at once
// before the first release: after it gp may be running on another M.
bool selparkcommit(G* gp, void* arg) {
  const SelState& s = *static_cast<SelState*>(arg);
  gp->locks -= uint32_t(nlocks(s));
  for (int k = s.norder - 1; k >= 0; k--)
    if (k == 0 || lockchan(s, k) != lockchan(s, k - 1)) unlock_nocount(&lockchan(s, k)->lock);
  return true;
}

void heapsort_by_chan(SelCase* cases, uint32_t* a, int n) {
  auto less = [&](uint32_t x, uint32_t y) { return uintptr_t(cases[x].c) < uintptr_t(cases[y].c); };
  auto sift = [&](int i, int end) {
    for (;;) {
      int j = 2 * i + 1;
      if (j >= end) return;
      if (j + 1 < end && less(a[j], a[j + 1])) j++;
      if (!less(a[i], a[j])) return;
      uint32_t t = a[i];
      a[i] = a[j];
      a[j] = t;
      i = j;
    }
  };
  for (int i = n / 2 - 1; i >= 0; i--) sift(i, n);
  for (int end = n - 1; end > 0; end--) {
    uint32_t t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift(0, end);
  }
}

WaitQ* queue_of(const SelCase& cas) { return cas.send ? &cas.c->sendq : &cas.c->recvq; }

// The body of selectgo, with its scratch: pollorder and lockorder (n each)
// and one sudog per case.
int selectgo1(SelCase* cases, int n, bool block, bool* recv_ok, uint32_t* pollorder,
              uint32_t* lockorder, Sudog* sgs) {
  // A random permutation of the cases with a channel: each ready case is
  // as likely as any other to be the one taken. Nil channels never are.
  int norder = 0;
  for (int i = 0; i < n; i++) {
    if (!cases[i].c) continue;
    uint32_t j = cheaprandn(uint32_t(norder + 1));
    pollorder[norder] = pollorder[j];
    pollorder[j] = uint32_t(i);
    norder++;
  }
  for (int k = 0; k < norder; k++) lockorder[k] = pollorder[k];
  // Address order, so two selects over the same channels cannot deadlock.
  heapsort_by_chan(cases, lockorder, norder);
  SelState s{cases, lockorder, norder};
  sellock(s);

  // Pass 1: a case ready now.
  for (int k = 0; k < norder; k++) {
    int casi = int(pollorder[k]);
    SelCase& cas = cases[casi];
    hchan* c = cas.c;
    if (cas.send) {
      if (c->closed) {
        selunlock(s);
        panic("send on closed channel");
      }
      if (Sudog* sg = c->recvq.dequeue()) {
        G* gp = send_direct(c, sg, cas.elem);
        selunlock(s);
        goready(gp);
        return casi;
      }
      if (c->qcount < c->dataqsiz) {
        buf_put(c, cas.elem);
        selunlock(s);
        return casi;
      }
    } else {
      if (Sudog* sg = c->sendq.dequeue()) {
        G* gp = recv_direct(c, sg, cas.elem);
        selunlock(s);
        goready(gp);
        *recv_ok = true;
        return casi;
      }
      if (c->qcount > 0) {
        buf_take(c, cas.elem);
        selunlock(s);
        *recv_ok = true;
        return casi;
      }
      if (c->closed) {
        const ChanType* t = c->t;
        selunlock(s);
        if (cas.elem) t->zero(cas.elem);
        *recv_ok = false;
        return casi;
      }
    }
  }
  if (!block) {
    selunlock(s);
    return -1;
  }

  // Pass 2: wait on every channel at once.
  G* gp = getg();
  chan_throw_on_g0(waitreason::Select);
  gp->param = nullptr;
  atomic::store(&gp->selectdone, 0u);
  Sudog** link = &gp->waiting;
  for (int k = 0; k < norder; k++) {
    int casi = int(lockorder[k]);
    Sudog* sg = new (&sgs[casi]) Sudog;  // only now: most selects never block
    sg->g = gp;
    sg->isselect = true;
    sg->success = false;
    sg->elem = cases[casi].elem;
    sg->c = cases[casi].c;
    *link = sg;
    link = &sg->waitlink;
    queue_of(cases[casi])->enqueue(sg);
  }
  *link = nullptr;
  gopark(selparkcommit, &s, waitreason::Select, nlocks(s));

  // Pass 3: the winner is the sudog the waker passed in param; take the
  // others off their queues (a waker may already have skipped them).
  sellock(s);
  atomic::store(&gp->selectdone, 0u);
  Sudog* won = static_cast<Sudog*>(gp->param);
  gp->param = nullptr;
  gp->waiting = nullptr;
  int casi = -1;
  bool success = false;
  for (int k = 0; k < norder; k++) {
    int i = int(lockorder[k]);
    Sudog* sg = &sgs[i];
    if (sg == won) {
      casi = i;
      success = sg->success;
    } else {
      queue_of(cases[i])->remove(sg);
    }
    sg->isselect = false;
    sg->waitlink = nullptr;
  }
  if (casi < 0) fatal("selectgo: bad wakeup");
  selunlock(s);
  if (cases[casi].send) {
    if (!success) panic("send on closed channel");
  } else {
    *recv_ok = success;
  }
  return casi;
}

}  // namespace

namespace detail {

int selectgo(SelCase* cases, int n, bool block, bool* recv_ok) {
  *recv_ok = false;
  if (n == 0) {
    if (!block) return -1;
    chan_throw_on_g0(waitreason::SelectNoCases);
    gopark(nullptr, nullptr, waitreason::SelectNoCases);
    fatal("unreachable");
  }
  if (n <= kStackCases) {
    uint32_t pollorder[kStackCases], lockorder[kStackCases];
    // On this stack, which never moves: no allocation. Raw: pass 2 makes
    // the sudogs it enqueues (zeroing all 16 up front was 7% of a select
    // that finds a case ready).
    alignas(Sudog) unsigned char raw[kStackCases * sizeof(Sudog)];
    return selectgo1(cases, n, block, recv_ok, pollorder, lockorder, reinterpret_cast<Sudog*>(raw));
  }
  auto* order = make_array<uint32_t>(2 * size_t(n));
  auto* sgs = make_array<Sudog>(size_t(n));  // all-zero is a fresh Sudog
  return selectgo1(cases, n, block, recv_ok, order, order + n, sgs);
}

}  // namespace detail

// ---- the dynamic form (gort::Select)

struct Select::Case {
  const ChanType* t;
  detail::hchan* c;
  void* store;  // a send's value (owned here), or where a receive lands
  void* out;
  bool* ok;
  void (*assign)(void*, void*);
  bool send;
  bool isdefault;
};

int Select::add(detail::hchan* c, const ChanType* t, bool send, void* out, bool* ok, void* value,
                void (*assign)(void*, void*)) {
  if (done_) fatal("gort::Select: case added after select()");
  if (n_ == capn_) {
    int ncap = capn_ ? 2 * capn_ : 8;
    auto* nc = make_array<Case>(size_t(ncap));
    for (int i = 0; i < n_; i++) nc[i] = cases_[i];
    cases_ = nc;
    capn_ = ncap;
  }
  Case& k = cases_[n_];
  k = Case{t, c, nullptr, out, ok, assign, send, t == nullptr};
  if (t) {
    k.store = t->align <= 8 ? alloc(t->size, false) : alloc_aligned(t->size, t->align, false);
    if (send) elem_move(t, k.store, value);
  }
  return n_++;
}

int Select::on_default() {
  if (default_ >= 0) fatal("gort::Select: more than one default case");
  default_ = add(nullptr, nullptr, false, nullptr, nullptr, nullptr, nullptr);
  return default_;
}

int Select::select() {
  if (done_) fatal("gort::Select: select() called twice");
  done_ = true;
  int ne = n_ - (default_ >= 0);
  auto* sc = make_array<SelCase>(size_t(ne > 0 ? ne : 1));
  auto* at = make_array<int>(size_t(ne > 0 ? ne : 1));
  int k = 0;
  for (int i = 0; i < n_; i++)
    if (!cases_[i].isdefault) {
      sc[k] = SelCase{cases_[i].c, cases_[i].store, cases_[i].send};
      at[k++] = i;
    }
  bool got = false;
  int e = detail::selectgo(sc, ne, default_ < 0, &got);
  int chosen = e < 0 ? default_ : at[e];
  if (chosen >= 0 && !cases_[chosen].send && !cases_[chosen].isdefault) {
    Case& r = cases_[chosen];
    if (r.out) r.assign(r.out, r.store);
    elem_destroy(r.t, r.store);
    if (r.ok) *r.ok = got;
  }
  return chosen;
}

Select::~Select() {
  for (int i = 0; i < n_; i++) {
    Case& k = cases_[i];
    if (!k.t) continue;
    if (k.send) elem_destroy(k.t, k.store);  // sent or not, the value was moved from at most
  }
}

}  // namespace gort
