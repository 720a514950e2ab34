// tests/fatal/deadlock.cpp — when every goroutine is blocked and nothing can
// wake one, Go's deadlock error and exit status 2: main receives from a nil
// channel, another goroutine is in a select with no cases.
#include <gort/gort.h>

int main(int, char**) {
  gort::go([] { gort::select(); });
  gort::gosched();
  gort::Chan<int> nil;
  nil.recv();
  return 0;
}
