// tests/rt/lockthread.cpp — lock_os_thread: the locked goroutine runs only
// on its thread across yields and parks, and no other goroutine runs there;
// after unlock_os_thread that ends.
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {
uintptr_t locked_tid;
uint32_t locked_phase = 1;  // 1 while the goroutine holds the lock
uint32_t others_on_locked_thread;
uint32_t moved;
}  // namespace

int main(int, char**) {
  tap::plan(3);
  gort::WaitGroup done, others;
  done.add(1);
  gort::go([&] {
    gort::lock_os_thread();
    locked_tid = gort::os_thread_self();
    for (int i = 0; i < 2000; i++) {
      gort::gosched();
      if (gort::os_thread_self() != locked_tid) gort::atomic::xadd(&moved, 1u);
    }
    gort::atomic::store(&locked_phase, 0u);
    gort::unlock_os_thread();
    done.done();
  });
  // Others keep running meanwhile, never on the locked thread.
  others.add(200);
  for (int i = 0; i < 200; i++)
    gort::go([&] {
      for (int k = 0; k < 20; k++) {
        if (gort::atomic::load(&locked_phase) && gort::os_thread_self() == locked_tid)
          gort::atomic::xadd(&others_on_locked_thread, 1u);
        gort::gosched();
      }
      others.done();
    });
  others.wait();
  done.wait();
  tap::ok(locked_tid != 0 && moved == 0,
          "the locked goroutine ran only on its thread across 2000 yields");
  tap::ok(others_on_locked_thread == 0, "no other goroutine ran on the locked thread");
  int64_t left = tap::settle_goroutines(1);
  tap::ok(left == 1, "every goroutine finished");
  return tap::done();
}
