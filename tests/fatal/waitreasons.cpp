// tests/fatal/waitreasons.cpp — a SIGQUIT dump names each goroutine's wait
// as Go does: [chan receive], [chan send], [chan receive (nil chan)],
// [select], [select (no cases)], [sleep], [sync.Mutex.Lock],
// [sync.RWMutex.Lock], [sync.RWMutex.RLock], [sync.WaitGroup.Wait],
// [sync.Cond.Wait]. Every one is parked before the signal is raised.
#include <gort/time.h>

#include "atomic.h"
#include "runtime2.h"
#include "traceback.h"

namespace {

// Goroutines besides main that are parked (Waiting) right now.
int64_t parked() {
  int64_t n = 0;
  for (gort::G* gp = gort::allgs_head(); gp; gp = gp->alllink)
    n += gp->status == gort::GStatus::Waiting;
  return n;
}

}  // namespace

int main(int, char**) {
  gort::Chan<int> c = gort::make_chan<int>(), full = gort::make_chan<int>(1), nil;
  full.send(1);
  gort::Mutex mu;
  gort::RWMutex rw, rw2;
  gort::WaitGroup wg;
  gort::Mutex cmu;
  gort::Cond cond(&cmu);
  mu.lock();
  rw.lock();
  rw2.rlock();
  wg.add(1);
  gort::go([c]() mutable { c.recv(); });
  gort::go([full]() mutable { full.send(2); });
  gort::go([nil]() mutable { nil.recv(); });
  gort::go([c, full]() mutable { gort::select(gort::on_recv(c), gort::on_send(full, 3)); });
  gort::go([] { gort::select(); });
  gort::go([] { gort::sleep(gort::Hour); });
  gort::go([&mu] { mu.lock(); });
  gort::go([&rw] { rw.rlock(); });
  gort::go([&rw2] { rw2.lock(); });
  gort::go([&wg] { wg.wait(); });
  gort::go([&cmu, &cond] {
    cmu.lock();
    cond.wait();
  });
  constexpr int64_t kWaiters = 11;
  // Bounded by naps, not a time: a run where some goroutine never parks
  // still dumps (and the expected lines say which one is missing).
  for (int i = 0; i < 3000 && parked() < kWaiters; i++) {
    for (int j = 0; j < 100 && parked() < kWaiters; j++) gort::gosched();
    uint32_t w = 0;
    gort::os_futexsleep(&w, 0, 1000000);
  }
  gort::println("parked ", parked());
  gort::os_raise(gort::kSIGQUIT);
  // The dump exits. Under QEMU user mode a thread-directed signal is now and
  // then never delivered (seen with SIGURG too): say so and send another.
  for (int i = 1;; i++) {
    uint32_t w = 0;
    gort::os_futexsleep(&w, 0, 10000000);
    if (i % 100 == 0) {
      gort::eprint("waitreasons: SIGQUIT not delivered after ", i / 100, " s; raising it again\n");
      gort::os_raise(gort::kSIGQUIT);
    }
  }
}
