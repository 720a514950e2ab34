// tests/fatal/main_exit.cpp — when main returns, the process exits with its
// status at once, whatever other goroutines are doing.
#include <gort/gort.h>

int main(int, char**) {
  for (int i = 0; i < 8; i++)
    gort::go([] {
      for (;;) gort::gosched();
    });
  gort::gosched();
  gort::println("main returns 3 with ", gort::num_goroutine(), " goroutines");
  return 3;
}
