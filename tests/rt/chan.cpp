// tests/rt/chan.cpp — Go's channel semantics one by one: FIFO values and
// FIFO waiters, the full-buffer handoff, close waking receivers, a closed
// buffer drained first, try_send/try_recv, nil channels, range, the woken
// goroutine running next, every value destroyed once, and the operations
// the timers use from the scheduler's own stack (g0).
#include "chanutil.h"

namespace {

using chantest::Counted;
using chantest::wait_parked;
using gort::Chan;
using gort::G;
using gort::make_chan;

constexpr int kWaiters = 5;

void fifo_values() {
  bool ok = true;
  const int64_t caps[] = {0, 1, 16};
  for (int64_t cap : caps) {
    auto ch = make_chan<int64_t>(cap);
    gort::go([ch]() mutable {
      for (int64_t i = 0; i < 10000; i++) ch.send(i);
    });
    for (int64_t i = 0; i < 10000; i++) ok &= ch.recv() == i;
  }
  tap::ok(ok, "one sender's values arrive in order (cap 0, 1, 16)");
}

void fifo_senders() {
  // Blocked senders are served in the order they blocked; on a full
  // buffer, the head comes first and a waiting sender's value joins the tail.
  const int64_t caps[] = {0, 2};
  for (int64_t cap : caps) {
    auto ch = make_chan<int64_t>(cap);
    for (int64_t i = 0; i < cap; i++) ch.send(100 + i);
    G* volatile gs[kWaiters] = {};
    bool parked = true;
    for (int64_t i = 0; i < kWaiters; i++) {
      gort::go([ch, i, &gs]() mutable {
        gs[i] = gort::getg();
        ch.send(i);
      });
      parked &= wait_parked(&gs[i], "chan send");
    }
    bool order = true;
    for (int64_t i = 0; i < cap; i++) order &= ch.recv() == 100 + i;
    for (int64_t i = 0; i < kWaiters; i++) order &= ch.recv() == i;
    tap::ok(parked && order,
            cap ? "on a full buffer: head first, waiting senders' values after, in order"
                : "blocked senders are served first come, first served");
  }
}

void fifo_receivers() {
  auto ch = make_chan<int64_t>();
  auto done = make_chan<int64_t>(kWaiters);
  G* volatile gs[kWaiters] = {};
  int64_t got[kWaiters];
  bool parked = true;
  for (int64_t i = 0; i < kWaiters; i++) {
    gort::go([ch, done, i, &gs, &got]() mutable {
      gs[i] = gort::getg();
      got[i] = ch.recv();
      done.send(1);
    });
    parked &= wait_parked(&gs[i], "chan receive");
  }
  for (int64_t i = 0; i < kWaiters; i++) ch.send(i);
  for (int i = 0; i < kWaiters; i++) done.recv();
  bool order = true;
  for (int64_t i = 0; i < kWaiters; i++) order &= got[i] == i;
  tap::ok(parked && order, "blocked receivers are served first come, first served");
}

void close_wakes_receivers() {
  auto ch = make_chan<int64_t>();
  auto done = make_chan<bool>(kWaiters);
  G* volatile gs[kWaiters] = {};
  bool parked = true;
  for (int i = 0; i < kWaiters; i++) {
    gort::go([ch, done, i, &gs]() mutable {
      gs[i] = gort::getg();
      bool ok = true;
      int64_t v = ch.recv(&ok);
      done.send(!ok && v == 0);
    });
    parked &= wait_parked(&gs[i], "chan receive");
  }
  ch.close();
  bool all = true;
  for (int i = 0; i < kWaiters; i++) all &= done.recv();
  tap::ok(parked && all, "close wakes every waiting receiver with the zero value, ok false");
}

void closed_buffer_drains() {
  auto ch = make_chan<int64_t>(3);
  ch.send(1);
  ch.send(2);
  ch.send(3);
  ch.close();
  bool ok1, ok2, ok3, ok4;
  int64_t a = ch.recv(&ok1), b = ch.recv(&ok2);
  int64_t len = ch.len();
  int64_t c = ch.recv(&ok3), d = ch.recv(&ok4);
  int64_t e = -1;
  bool eok = true;
  bool tr = ch.try_recv(&e, &eok);
  tap::ok(a == 1 && b == 2 && c == 3 && ok1 && ok2 && ok3 && len == 1 && d == 0 && !ok4 && tr &&
              e == 0 && !eok,
          "a closed buffered channel gives its values, then the zero value with ok false");
}

void try_ops() {
  auto ch = make_chan<int64_t>(1);
  int64_t v = 7;
  bool ok = false;
  bool empty_recv = ch.try_recv(&v, &ok);
  bool s1 = ch.try_send(int64_t(5));
  bool s2 = ch.try_send(int64_t(6));
  int64_t len = ch.len(), cap = ch.cap();
  bool r1 = ch.try_recv(&v, &ok);
  auto unbuf = make_chan<int64_t>();
  bool u = unbuf.try_send(int64_t(1));
  tap::ok(!empty_recv && s1 && !s2 && len == 1 && cap == 1 && r1 && v == 5 && ok && !u,
          "try_send/try_recv never block: false on full/empty, true when ready");
  // A failed try_send leaves a value it was given by && alone.
  Counted x(42);
  auto cc = make_chan<Counted>(1);
  bool first = cc.try_send(static_cast<Counted&&>(x));
  Counted y(43);
  bool second = cc.try_send(static_cast<Counted&&>(y));
  tap::ok(first && x.v == -1 && !second && y.v == 43,
          "try_send moves from its value only when it sends");
  Counted z;
  cc.try_recv(&z);
}

void nil_chan() {
  Chan<int64_t> n;
  int64_t v = 9;
  bool ok = true;
  auto m = make_chan<int64_t>();
  Chan<int64_t> m2 = m;
  tap::ok(!n && !n.try_send(int64_t(1)) && !n.try_recv(&v, &ok) && v == 9 && ok && n.len() == 0 &&
              n.cap() == 0 && n == Chan<int64_t>() && m2 == m && m != n && bool(m),
          "nil channel: never ready, len and cap 0; handles compare by channel");
}

void range_loop() {
  auto ch = make_chan<int64_t>(4);
  gort::go([ch]() mutable {
    for (int64_t i = 1; i <= 1000; i++) ch.send(i);
    ch.close();
  });
  int64_t sum = 0, n = 0;
  for (int64_t v : ch) {
    sum += v;
    n++;
  }
  tap::ok(sum == 500500 && n == 1000, "for (v : ch) receives until closed and drained");
}

// On one P: R blocks in a receive; X is spawned (runnable); a send readies
// R, which goes to runnext and so runs before X (Go's ready).
void runnext() {
  if (gort::gomaxprocs_now() != 1)
    return tap::skip("a woken receiver runs next", "needs GOMAXPROCS=1");
  auto ch = make_chan<int64_t>();
  auto order = make_chan<int64_t>(2);
  G* volatile r = nullptr;
  gort::go([ch, order, &r]() mutable {
    r = gort::getg();
    ch.recv();
    order.send(1);
  });
  bool parked = wait_parked(&r, "chan receive");
  gort::go([order]() mutable { order.send(2); });
  ch.send(0);
  int64_t first = order.recv(), second = order.recv();
  tap::ok(parked && first == 1 && second == 2, "a woken receiver runs next on the waker's P");
}

// A goroutine that parked in a channel operation is preemptible again once
// it runs: the channel lock's no-preempt count went with the lock.
void locks_after_park() {
  auto ch = make_chan<int64_t>();
  G* volatile r = nullptr;
  auto res = make_chan<uint32_t>(1);
  gort::go([ch, res, &r]() mutable {
    r = gort::getg();
    ch.recv();
    res.send(gort::getg()->locks);
  });
  wait_parked(&r, "chan receive");
  ch.send(1);
  tap::ok(res.recv() == 0, "no no-preempt count is left behind by a park in recv");
  // The same for goparkunlock (parkunlock), which WaitGroup uses.
  gort::WaitGroup wg;
  wg.add(1);
  r = nullptr;
  gort::go([&wg, res, &r]() mutable {
    r = gort::getg();
    wg.wait();
    res.send(gort::getg()->locks);
  });
  wait_parked(&r, "sync.WaitGroup.Wait");
  wg.done();
  tap::ok(res.recv() == 0, "no no-preempt count is left behind by goparkunlock");
}

// The same over many rounds, where the wake races the park: the waker may
// run the goroutine again on another M while g0 is still in the park's
// unlock function (which must leave the goroutine's count alone by then).
void locks_race() {
  const int rounds = 3000;
  auto a = make_chan<int64_t>(), b = make_chan<int64_t>(), done = make_chan<int64_t>();
  auto* wgs = gort::make_array<gort::WaitGroup>(rounds);
  for (int i = 0; i < rounds; i++) wgs[i].add(1);
  gort::go([a, b, done, wgs]() mutable {
    int64_t bad = 0;
    for (int i = 0; i < rounds; i++) {
      a.recv();
      bad += gort::getg()->locks != 0;
      gort::select(gort::on_recv(a), gort::on_recv(b));
      bad += gort::getg()->locks != 0;
      wgs[i].wait();
      bad += gort::getg()->locks != 0;
    }
    done.send(bad);
  });
  for (int i = 0; i < rounds; i++) {
    a.send(1);
    (i & 1 ? a : b).send(2);
    wgs[i].done();
  }
  int64_t bad = done.recv();
  // Ping-pong: each side's park often meets the other side's wake.
  auto x = make_chan<int64_t>(), y = make_chan<int64_t>();
  gort::go([x, y, done]() mutable {
    int64_t bad2 = 0;
    for (int i = 0; i < 20 * rounds; i++) {
      x.send(i);
      bad2 += gort::getg()->locks != 0;
      y.recv();
      bad2 += gort::getg()->locks != 0;
    }
    done.send(bad2);
  });
  for (int i = 0; i < 20 * rounds; i++) {
    x.recv();
    bad += gort::getg()->locks != 0;
    y.send(i);
    bad += gort::getg()->locks != 0;
  }
  bad += done.recv();
  tap::diag("no-preempt counts left over: ", bad);
  tap::ok(bad == 0, "no count left behind when a wake races the park (chan, select, WaitGroup)");
}

// The timers' use: from the scheduler's own stack (g0, holding a P), the
// non-blocking operations, close, len and cap. gopark's unlock function
// runs there; returning false resumes the goroutine at once.
struct G0Work {
  Chan<int64_t> wake, buf, closing;
  bool on_g0 = false, sent = false, full = false, got = false;
  int64_t v = 0, len = -1, cap = -1;
};
bool on_g0(G*, void* p) {
  auto* w = static_cast<G0Work*>(p);
  w->on_g0 = gort::getg()->goid == 0;
  w->sent = w->wake.try_send(int64_t(11));  // readies the parked receiver
  w->buf.try_send(int64_t(12));
  w->full = !w->buf.try_send(int64_t(13));
  w->len = w->buf.len();
  w->cap = w->buf.cap();
  w->got = w->buf.try_recv(&w->v);
  w->closing.close();
  return false;
}
void g0_ops() {
  G0Work w;
  w.wake = make_chan<int64_t>();
  w.buf = make_chan<int64_t>(1);
  w.closing = make_chan<int64_t>();
  auto res = make_chan<int64_t>(2);
  G* volatile r1 = nullptr;
  G* volatile r2 = nullptr;
  gort::go([&w, res, &r1]() mutable {
    r1 = gort::getg();
    res.send(w.wake.recv());
  });
  gort::go([&w, res, &r2]() mutable {
    r2 = gort::getg();
    bool ok = true;
    w.closing.recv(&ok);
    res.send(ok ? -1 : 99);
  });
  bool parked = wait_parked(&r1, "chan receive") && wait_parked(&r2, "chan receive");
  gort::gopark(on_g0, &w, "test g0");
  int64_t a = res.recv(), b = res.recv();
  tap::ok(parked && w.on_g0 && w.sent && w.full && w.len == 1 && w.cap == 1 && w.got && w.v == 12 &&
              a + b == 110,
          "on g0: try_send wakes a receiver, try_recv, len, cap, close wakes a receiver");
}

// Non-trivially-copyable values: every construction has its destruction.
void counted() {
  int64_t made0 = Counted::made, ended0 = Counted::ended;
  bool values = true;
  {
    auto unbuf = make_chan<Counted>();
    auto buf = make_chan<Counted>(8);
    auto done = make_chan<bool>();
    gort::go([unbuf, buf, done]() mutable {
      for (int64_t i = 0; i < 1000; i++) unbuf.send(Counted(i));
      for (int64_t i = 0; i < 1000; i++) buf.send(Counted(i));
      for (int64_t i = 0; i < 5; i++) buf.send(Counted(i));
      buf.close();  // closed with values left in the buffer
      done.send(true);
    });
    for (int64_t i = 0; i < 1000; i++) values &= unbuf.recv().v == i;
    for (int64_t i = 0; i < 1000; i++) values &= buf.recv().v == i;
    done.recv();
    int64_t n = 0;
    for (Counted c : buf) values &= c.v == n++;
    values &= n == 5;
    bool ok = true;
    values &= buf.recv(&ok).v == 0 && !ok;  // closed: the zero value, built and destroyed
    // A full buffer with a sender waiting (recv's handoff) and a close while
    // receivers wait, with values.
    auto full = make_chan<Counted>(1);
    full.send(Counted(1));
    gort::go([full, done]() mutable {
      full.send(Counted(2));
      done.send(true);  // its Counted(2) is destroyed by now: counts below are final
    });
    values &= full.recv().v == 1 && full.recv().v == 2;
    done.recv();
    auto cl = make_chan<Counted>();
    gort::go([cl]() mutable { cl.close(); });
    values &= cl.recv().v == 0;
    // Move-only and select.
    auto sel = make_chan<Counted>(1);
    Counted out;
    gort::select(gort::on_send(sel, Counted(5)), gort::on_recv(cl, &out));  // cl closed: either
    gort::select(gort::on_recv(sel, &out), gort::on_default());
    gort::Select s;
    s.send(sel, Counted(6));
    s.recv(make_chan<Counted>(), &out);
    s.select();
    sel.try_recv(&out);
  }
  tap::ok(values, "values of a counted type arrive intact");
  int64_t made = Counted::made - made0, ended = Counted::ended - ended0;
  tap::diag("constructions ", made, ", destructions ", ended);
  tap::ok(made == ended && made > 4000, "every constructed value is destroyed exactly once");
}

struct MoveOnly {
  int64_t* p = nullptr;
  MoveOnly() = default;
  explicit MoveOnly(int64_t* q) : p(q) {}
  MoveOnly(MoveOnly&& o) : p(o.p) { o.p = nullptr; }
  MoveOnly& operator=(MoveOnly&& o) {
    p = o.p;
    o.p = nullptr;
    return *this;
  }
  MoveOnly(const MoveOnly&) = delete;
};

void move_only() {
  auto ch = make_chan<MoveOnly>(1);
  int64_t x = 5;
  ch.send(MoveOnly(&x));
  MoveOnly m = ch.recv();
  tap::ok(m.p == &x, "a move-only type goes through a channel");
}

// An over-aligned element: the buffer slots keep its alignment.
struct alignas(64) Wide {
  int64_t v = 0;
  static inline bool aligned = true;
  Wide() = default;
  explicit Wide(int64_t x) : v(x) {}
  Wide(Wide&& o) : v(o.v) { aligned &= (reinterpret_cast<uintptr_t>(this) & 63) == 0; }
  Wide& operator=(Wide&& o) {
    v = o.v;
    return *this;
  }
};

void over_aligned() {
  auto ch = make_chan<Wide>(5);
  for (int64_t i = 0; i < 5; i++) ch.send(Wide(i));
  bool ok = true;
  for (int64_t i = 0; i < 5; i++) ok &= ch.recv().v == i;
  tap::ok(ok && Wide::aligned, "a 64-byte-aligned element keeps its alignment in the buffer");
}

}  // namespace

int main(int, char**) {
  tap::plan(19);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now());
  fifo_values();
  fifo_senders();
  fifo_receivers();
  close_wakes_receivers();
  closed_buffer_drains();
  try_ops();
  nil_chan();
  range_loop();
  runnext();
  locks_after_park();
  locks_race();
  g0_ops();
  counted();
  move_only();
  over_aligned();
  return tap::done();
}
