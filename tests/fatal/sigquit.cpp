// tests/fatal/sigquit.cpp — SIGQUIT dumps every goroutine (Go's
// `goroutine N [state]:` with frames) and exits 2.
#include <gort/gort.h>

#include "runtime2.h"

gort::G* volatile waiter;

extern "C" __attribute__((noinline)) void wait_here() {
  waiter = gort::getg();
  gort::gopark(nullptr, nullptr, "test wait");
  asm volatile("");
}

int main(int, char**) {
  gort::go([] { wait_here(); });
  // Until it has parked (it may be running on another M meanwhile).
  for (int i = 0; i < 1000000 && !(waiter && waiter->status == gort::GStatus::Waiting); i++)
    gort::gosched();
  gort::os_raise(gort::kSIGQUIT);
  return 0;
}
