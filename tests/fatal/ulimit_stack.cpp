// tests/fatal/ulimit_stack.cpp — runs under `ulimit -s 8` (tests/meson.build):
// the OS main thread's stack is then a few KiB, so m0 must not run the boot
// or its scheduler there. Starts goroutines on every P and waits for them,
// with main locked to m0 (whose g0 then hands the P on and sleeps).
#include <gort/gort.h>

#include "atomic.h"
#include "waitgroup.h"

int main(int, char**) {
  gort::lock_os_thread();
  int64_t ran = 0;
  for (int round = 0; round < 20; round++) {
    gort::WaitGroup wg;
    wg.add(100);
    for (int i = 0; i < 100; i++)
      gort::go([&wg, &ran] {
        gort::gosched();
        gort::atomic::xadd(&ran, int64_t(1));
        wg.done();
      });
    wg.wait();
  }
  gort::println(ran, " goroutines ran");
  return 0;
}
