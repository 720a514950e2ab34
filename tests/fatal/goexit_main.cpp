// tests/fatal/goexit_main.cpp — main calls goexit: the other goroutines go
// on running (as in Go), and when the last has finished Go's fatal error
// says why nothing is left.
#include <gort/gort.h>

int main(int, char**) {
  gort::go([] {
    for (int i = 0; i < 3; i++) gort::gosched();
    gort::println("the other goroutine finished");
  });
  gort::goexit();
  gort::println("not reached");
  return 0;
}
