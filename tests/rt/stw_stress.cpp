// tests/rt/stw_stress.cpp — stop the world under concurrency: set_gomaxprocs
// changes many times (argv[1], default 5000; between 1 and 8, in a random
// order) while other goroutines yield, spawn, allocate, write to a pipe and,
// two of them, block reading it: Ps go in and out of system calls, are
// taken back by exitsyscall's fast path and retaken by sysmon.
// Each stop preempts the running goroutines, which mostly sit in the
// scheduler's own entry points (gosched, park, entersyscall): exactly where a
// preemption that carries a thread's state to another M corrupts it.
// Every goroutine must keep its work and the program must not crash.
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {
uint32_t stop;
int64_t yields, spawned, allocated, reads;

int64_t parse(const char* s, int64_t dflt) {
  if (!s) return dflt;
  int64_t v = 0;
  for (; *s >= '0' && *s <= '9'; s++) v = v * 10 + (*s - '0');
  return v ? v : dflt;
}

bool stopping() { return __atomic_load_n(&stop, __ATOMIC_RELAXED) != 0; }
}  // namespace

int main(int argc, char** argv) {
  tap::plan(5);
  int64_t toggles = parse(argc > 1 ? argv[1] : nullptr, 5000);
  gort::WaitGroup wg;
  int fds[2];
  tap::ok(gort::os_pipe(fds) == 0, "pipe");
  wg.add(8);
  for (int i = 0; i < 3; i++)
    gort::go([&wg] {  // yield
      while (!stopping()) {
        gort::gosched();
        gort::atomic::xadd(&yields, int64_t(1));
      }
      wg.done();
    });
  gort::go([&wg] {  // spawns batches of short goroutines and waits for them
    while (!stopping()) {
      gort::WaitGroup batch;
      batch.add(64);
      for (int i = 0; i < 64; i++)
        gort::go([&batch] {
          gort::atomic::xadd(&spawned, int64_t(1));
          batch.done();
        });
      batch.wait();
    }
    wg.done();
  });
  gort::go([&wg] {  // allocates
    while (!stopping()) {
      auto* p = gort::make_array<int64_t>(size_t(allocated % 700) + 1);
      p[0] = allocated;
      gort::atomic::xadd(&allocated, int64_t(1));
      if (allocated % 4096 == 0) gort::gosched();
    }
    wg.done();
  });
  for (int i = 0; i < 2; i++)
    gort::go([&wg, fds] {  // block in read: their Ps go to sysmon or the stopper
      char c;
      while (gort::read(fds[0], &c, 1) == 1 && c == 'x') gort::atomic::xadd(&reads, int64_t(1));
      wg.done();
    });
  gort::go([&wg, fds] {  // feeds them
    while (!stopping()) {
      gort::write(fds[1], "x", 1);
      for (int k = 0; k < 20; k++) gort::gosched();
    }
    wg.done();
  });
  int64_t bad = 0;
  uint32_t x = 12345;
  for (int64_t i = 0; i < toggles; i++) {
    x = x * 1103515245 + 12345;
    int32_t want = 1 + int32_t(x >> 16) % 8;
    gort::set_gomaxprocs(want);
    if (gort::gomaxprocs_now() != want) bad++;
    if (i % 16 == 0) gort::write(fds[1], "x", 1);
    if (i % 4 == 0) gort::gosched();  // main holds its P otherwise: let the queue run
  }
  tap::ok(bad == 0, "every set_gomaxprocs took effect");
  __atomic_store_n(&stop, 1u, __ATOMIC_RELAXED);
  gort::write(fds[1], "qq", 2);
  wg.wait();
  tap::diag("toggles=", toggles, " yields=", yields, " spawned=", spawned, " allocated=", allocated,
            " reads=", reads);
  tap::ok(yields > 0 && spawned > 0 && allocated > 0, "the other goroutines ran meanwhile");
  tap::ok(reads > 0, "the reader got its bytes");
  int64_t left = tap::settle_goroutines(1);
  tap::ok(left == 1, "every goroutine finished");
  return tap::done();
}
