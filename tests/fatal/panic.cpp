// tests/fatal/panic.cpp — gort::panic prints Go's panic report: the message,
// the panicking goroutine and its symbolized frames; exit status 2.
#include <gort/gort.h>

#include "runtime2.h"

volatile bool armed = true;

extern "C" __attribute__((noinline)) void crash_here(int depth) {
  if (depth == 0 && armed) gort::panic("something went wrong");
  if (depth > 0) crash_here(depth - 1);
  asm volatile("");  // not a tail call: keep every frame
}

int main(int, char**) {
  gort::WaitGroup wg;
  wg.add(1);
  gort::go([] { crash_here(3); });
  wg.wait();  // never returns: the goroutine panics
  return 0;
}
