// tests/fatal/stdfds.cpp — started with fd 0 closed, the boot ("secure"
// stage, Go's checkfds) reopens it on /dev/null before main.
#include <gort/gort.h>

#include "port.h"

int main(int, char**) {
  bool ok = gort::os_fd_valid(0) && gort::os_fd_valid(1) && gort::os_fd_valid(2);
  gort::println(ok ? "fds 0 1 2 open" : "an fd is closed");
  return ok ? 0 : 1;
}
