// examples/hello — the first gort program: an ordinary main, booted by gort.
#include <gort/gort.h>

int main(int, char**) {
  gort::println("hello, world");
  return 0;
}
