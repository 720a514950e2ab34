// tests/fatal/fatal_msg.cpp — gort::fatal prints Go's "fatal error:" line and
// exits 2, whatever main would have returned.
#include <gort/gort.h>

int main(int, char**) {
  gort::println("before");
  gort::fatal("something broke");
  return 0;
}
