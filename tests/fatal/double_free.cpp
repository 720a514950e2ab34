// tests/fatal/double_free.cpp — freeing an object twice is a fatal error, not
// a corrupted heap.
#include <gort/gort.h>

int main(int, char**) {
  void* p = gort::alloc(100, false);
  gort::free(p);
  gort::free(p);
  return 0;
}
