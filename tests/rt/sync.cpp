// tests/rt/sync.cpp — the sync package under load: Mutex exclusion and its
// starvation mode, RWMutex readers together and writers alone, WaitGroup
// with many waiters, Once with racing callers, Cond signal and broadcast.
// Run under several GOMAXPROCS values (tests/meson.build). Usage:
// rt_sync [goroutines increments] (the Mutex count; 1000 x 1000 natively).
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {

using gort::atomic::load;
using gort::atomic::xadd;

int64_t arg_or(int argc, char** argv, int i, int64_t dflt) {
  int64_t v;
  return argc > i && gort::parse_int(gort::Str(argv[i]), &v) ? v : dflt;
}

using tap::wait_until;

// ---- Mutex: n goroutines x k increments of a plain counter.
void mutex_count(int64_t n, int64_t k) {
  gort::Mutex mu;
  gort::WaitGroup wg;
  int64_t counter = 0;
  uint32_t bad_locks = 0;  // a goroutine that woke from a park still unpreemptible
  wg.add(n);
  for (int64_t i = 0; i < n; i++)
    gort::go([&, k] {
      for (int64_t j = 0; j < k; j++) {
        mu.lock();
        counter++;
        mu.unlock();
        if (gort::getg()->locks != 0) xadd(&bad_locks, 1u);
      }
      wg.done();
    });
  wg.wait();
  tap::ok(counter == n * k, "Mutex: every increment of every goroutine counted");
  if (counter != n * k) tap::diag("counter ", counter, " want ", n * k);
  tap::ok(bad_locks == 0 && gort::getg()->locks == 0,
          "a goroutine woken from a Mutex or WaitGroup park is preemptible again");
  tap::ok(gort::detail::mutex_state(mu) == 0, "Mutex: unlocked with no waiters at the end");
  tap::ok(mu.try_lock() && !mu.try_lock(), "Mutex: try_lock takes a free one, not a held one");
  mu.unlock();
}

// ---- Starvation: a hog relocks at once each time; waiters queue. Some
// waiter is bound to wait past 1 ms (the hog keeps the lock but for a few
// instructions; under GOMAXPROCS=1 the waiter runs only when the hog is
// preempted), and then the mutex must turn starving; once the hog stops, the
// last waiter's handoff (or a short wait) must turn it back.
void starvation() {
  gort::Mutex mu;
  gort::WaitGroup wg;
  uint32_t seen_starving = 0, stop = 0;
  constexpr int kWaiters = 4;
  constexpr int64_t kMaxRounds = 1000000;
  int64_t rounds = 0;
  auto starving = [&] {
    if (gort::detail::mutex_state(mu) & gort::detail::kMutexStarving) {
      gort::atomic::store(&seen_starving, 1u);
      gort::atomic::store(&stop, 1u);
    }
  };
  wg.add(1 + kWaiters);
  gort::go([&] {
    while (rounds < kMaxRounds && !load(&stop)) {
      mu.lock();
      rounds++;
      starving();
      for (int i = 0; i < 2000; i++) {  // work under the lock: it is mostly held
        __asm__ volatile("" ::: "memory");
      }
      mu.unlock();
    }
    gort::atomic::store(&stop, 1u);  // seen or not, the waiters stop too
    wg.done();
  });
  for (int w = 0; w < kWaiters; w++)
    gort::go([&] {
      while (!load(&stop)) {
        mu.lock();
        starving();
        mu.unlock();
      }
      wg.done();
    });
  // Without starvation the hog ends at kMaxRounds, and so does the test.
  wg.wait();
  tap::ok(seen_starving != 0, "Mutex: a waiter kept out over 1 ms turned it to starvation mode");
  tap::diag("starvation seen: ", seen_starving != 0, ", after ", rounds, " rounds of the hog");
  int32_t st = gort::detail::mutex_state(mu);
  mu.lock();
  int32_t held = gort::detail::mutex_state(mu);
  mu.unlock();
  tap::ok(st == 0 && held == gort::detail::kMutexLocked,
          "Mutex: starvation mode left once the waiters are served (plain locked state after)");
}

// ---- RWMutex
void rwmutex_readers() {
  // Every reader waits inside its read lock for all the others: if readers
  // excluded each other, every goroutine would park and checkdead would end
  // the test with "all goroutines are asleep".
  constexpr int kReaders = 50;
  gort::RWMutex rw;
  gort::WaitGroup inside, finished;
  inside.add(kReaders);
  finished.add(kReaders);
  bool try_ok = true;
  for (int i = 0; i < kReaders; i++)
    gort::go([&] {
      rw.rlock();
      inside.done();
      inside.wait();
      rw.runlock();
      finished.done();
    });
  finished.wait();
  try_ok = rw.try_lock();
  if (try_ok) {
    try_ok = !rw.try_rlock() && !rw.try_lock();
    rw.unlock();
  }
  tap::ok(true, "RWMutex: 50 readers held the read lock at once");
  tap::ok(try_ok && rw.try_rlock(),
          "RWMutex: try_lock and try_rlock on a free, held, and read one");
  rw.runlock();
}

void rwmutex_writers(int64_t rounds) {
  constexpr int kWriters = 8, kReaders = 16;
  gort::RWMutex rw;
  gort::WaitGroup wg;
  int32_t writers_in = 0, readers_in = 0;
  uint32_t violations = 0;
  int64_t value = 0;
  wg.add(kWriters + kReaders);
  for (int i = 0; i < kWriters; i++)
    gort::go([&] {
      for (int64_t j = 0; j < rounds; j++) {
        rw.lock();
        if (xadd(&writers_in, 1) != 1 || load(&readers_in) != 0) xadd(&violations, 1u);
        value++;
        if (j % 16 == 0) gort::gosched();  // let readers try while a writer is in
        xadd(&writers_in, -1);
        rw.unlock();
      }
      wg.done();
    });
  for (int i = 0; i < kReaders; i++)
    gort::go([&] {
      for (int64_t j = 0; j < rounds; j++) {
        rw.rlock();
        xadd(&readers_in, 1);
        if (load(&writers_in) != 0) xadd(&violations, 1u);
        int64_t v1 = value;
        if (j % 16 == 0) gort::gosched();
        if (value != v1) xadd(&violations, 1u);  // a writer got in under us
        xadd(&readers_in, -1);
        rw.runlock();
      }
      wg.done();
    });
  wg.wait();
  tap::ok(violations == 0 && value == kWriters * rounds,
          "RWMutex: a writer is alone, readers never see a writer in");
  if (violations) tap::diag(violations, " violations");
}

// ---- WaitGroup with many waiters, then reused.
void waitgroup_waiters() {
  constexpr int kWaiters = 200;
  gort::WaitGroup gate, all;
  uint32_t released = 0, early = 0, arrived = 0;
  gate.add(1);
  all.add(kWaiters);
  for (int i = 0; i < kWaiters; i++)
    gort::go([&] {
      xadd(&arrived, 1u);
      gate.wait();
      if (!load(&released)) xadd(&early, 1u);
      all.done();
    });
  wait_until([&] { return load(&arrived) == kWaiters; });
  gort::atomic::store(&released, 1u);
  gate.done();
  all.wait();
  gate.wait();  // counter 0: at once
  tap::ok(early == 0, "WaitGroup: 200 waiters all return, none before the counter reaches 0");
  // Reused for a second round, as Go allows once every Wait has returned.
  uint32_t n = 0;
  all.add(10);
  for (int i = 0; i < 10; i++)
    gort::go([&] {
      xadd(&n, 1u);
      all.done();
    });
  all.wait();
  tap::ok(n == 10, "WaitGroup: reused after its waiters returned");
}

// ---- Once with racing callers.
void once_race() {
  constexpr int kCallers = 500;
  gort::Once once;
  gort::WaitGroup wg;
  uint32_t calls = 0, after = 0;
  int64_t value = 0;  // written by f only: seen by every caller after call
  wg.add(kCallers);
  for (int i = 0; i < kCallers; i++)
    gort::go([&] {
      once.call([&] {
        xadd(&calls, 1u);
        for (int y = 0; y < 20; y++) gort::gosched();  // others pile up meanwhile
        value = 42;
      });
      if (value == 42) xadd(&after, 1u);
      wg.done();
    });
  wg.wait();
  tap::ok(calls == 1 && after == kCallers, "Once: f ran once; every caller returned after it");
}

// ---- Cond
void cond_signal() {
  // Waiters queue one at a time; each signal lets exactly the oldest out.
  constexpr int kWaiters = 20;
  gort::Mutex mu;
  gort::Cond c(&mu);
  gort::WaitGroup wg;
  int arrived = 0, permits = 0, nout = 0;
  int order[kWaiters];
  wg.add(kWaiters);
  for (int i = 0; i < kWaiters; i++) {
    gort::go([&, i] {
      mu.lock();
      arrived++;
      while (permits == 0) c.wait();
      permits--;
      order[nout++] = i;
      mu.unlock();
      wg.done();
    });
    // Its ticket is taken under mu, in wait(): seen here, it is queued.
    wait_until([&] {
      mu.lock();
      bool in = arrived == i + 1;
      mu.unlock();
      return in;
    });
  }
  bool in_order = true;
  for (int k = 0; k < kWaiters; k++) {
    mu.lock();
    permits++;
    c.signal();
    mu.unlock();
    wait_until([&] {
      mu.lock();
      bool out = nout == k + 1;
      mu.unlock();
      return out;
    });
    in_order = in_order && nout == k + 1 && order[k] == k;
  }
  wg.wait();
  tap::ok(in_order, "Cond: signal wakes one waiter, the oldest");
}

void cond_broadcast() {
  constexpr int kWaiters = 100;
  gort::RWMutex rw;  // a Cond over an RWMutex's write lock
  gort::Cond c(&rw);
  gort::WaitGroup wg;
  int arrived = 0, woke = 0;
  bool go_ahead = false;
  wg.add(kWaiters);
  for (int i = 0; i < kWaiters; i++)
    gort::go([&] {
      rw.lock();
      arrived++;
      while (!go_ahead) c.wait();
      woke++;
      rw.unlock();
      wg.done();
    });
  wait_until([&] {
    rw.lock();
    bool all = arrived == kWaiters;
    rw.unlock();
    return all;
  });
  rw.lock();
  go_ahead = true;
  c.broadcast();
  rw.unlock();
  wg.wait();
  tap::ok(woke == kWaiters, "Cond: broadcast wakes every waiter (over an RWMutex)");
}

}  // namespace

int main(int argc, char** argv) {
  tap::plan(15);
  int64_t n = arg_or(argc, argv, 1, 1000), k = arg_or(argc, argv, 2, 1000);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now(), ": ", n, " goroutines x ", k, " increments");
  mutex_count(n, k);
  starvation();
  rwmutex_readers();
  rwmutex_writers(k);
  waitgroup_waiters();
  once_race();
  cond_signal();
  cond_broadcast();
  tap::ok(tap::settle_goroutines(1) == 1, "every goroutine has exited");
  return tap::done();
}
