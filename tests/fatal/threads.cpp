// tests/fatal/threads.cpp — more threads than set_max_threads allows is Go's
// "thread exhaustion" fatal error: goroutines blocked in read(2) each keep a
// thread, and sysmon starts new ones to run the rest.
#include <gort/gort.h>

#include "port.h"

int main(int, char**) {
  gort::set_max_threads(4);
  for (int i = 0; i < 16; i++) {
    int fds[2];
    if (gort::os_pipe(fds) != 0) gort::fatal("pipe");
    gort::go([fd = fds[0]] {
      char c;
      gort::read(fd, &c, 1);  // never written: blocks for good
    });
  }
  for (int i = 0; i < 1000000; i++) gort::gosched();
  gort::println("not reached: threads were not limited");
  return 0;
}
