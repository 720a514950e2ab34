// tests/fatal/oom.cpp — an allocation the OS cannot back is Go's out-of-memory
// fatal error, naming the size asked for.
#include <gort/gort.h>

int main(int argc, char** argv) {
  size_t size = size_t(1) << 45;  // 32 TiB
  if (argc > 1) {
    size = 0;
    for (const char* s = argv[1]; *s; s++) size = size * 10 + size_t(*s - '0');
  }
  gort::println("asking for ", size);
  void* p = gort::alloc(size, true);
  gort::println("got ", p);
  return 0;
}
