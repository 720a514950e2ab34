// bench/alloc — bytes TotalAlloc counts for make([]int, n), as Go's B/op does
// (bench/alloc/alloc.go is the twin; both must print the same lines).
#include <gort/gort.h>

namespace {
int64_t* sink;

void one(size_t n) {
  gort::MemStats a, b;
  gort::read_mem_stats(&a);
  sink = gort::make_array<int64_t>(n);
  gort::read_mem_stats(&b);
  gort::println("make([]int,", n, ") bytes=", b.TotalAlloc - a.TotalAlloc);
}
}  // namespace

int main(int, char**) {
  const size_t sizes[] = {1024, 1025, 1048576, 1048577};
  for (size_t n : sizes) one(n);
  return 0;
}
