// A gort program built against an installed gort.
#include <gort/gort.h>

int main(int argc, char**) {
  gort::println("installed gort: argc=", argc);
  return 0;
}
