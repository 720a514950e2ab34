// tests/fatal/deadlock.cpp — when every goroutine is blocked and nothing can
// wake one, Go's deadlock error and exit status 2.
#include <gort/gort.h>

#include "runtime2.h"

int main(int, char**) {
  gort::go([] { gort::gopark(nullptr, nullptr, "select (no cases)"); });
  gort::gosched();
  gort::gopark(nullptr, nullptr, "chan receive (nil chan)");
  return 0;
}
