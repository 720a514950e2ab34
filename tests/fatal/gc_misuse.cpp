// tests/fatal/gc_misuse.cpp — misuses of the collector's API are fatal
// errors with Go's texts, never a silent corruption. argv[1] names one:
//   interior  set_finalizer on a pointer into the middle of an object
//   twice     a second finalizer for the same object
//   remove    remove_roots of a range never added
//   nop       allocating on a thread without a P (Go's rule: only goroutines)
#include <gort/gort.h>

#include "runtime.h"

namespace {
bool is(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 3;
  auto* p = gort::make_array<uint64_t>(8);
  if (is(argv[1], "interior")) gort::set_finalizer(p + 1, [](uint64_t*) {});
  if (is(argv[1], "twice")) {
    gort::set_finalizer(p, [](uint64_t*) {});
    gort::set_finalizer(p, [](uint64_t*) {});
  }
  if (is(argv[1], "remove")) gort::remove_roots(p);
  if (is(argv[1], "nop")) gort::joinm(gort::newm([](void*) { gort::alloc(64, false); }, nullptr));
  return 0;
}
