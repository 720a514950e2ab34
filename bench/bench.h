// bench/bench.h — the command line the gort benchmark programs share:
// `small` runs each at n/100 (the tests' size), any other argument names a
// benchmark of the program to run (none named: all of them).
#pragma once

#include <gort/gort.h>

namespace bench {

inline bool streq(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

// Whether `small` is among the arguments.
inline bool small() {
  for (int i = 1; i < gort::nargs(); i++)
    if (streq(gort::arg(i), "small")) return true;
  return false;
}

struct Bench {
  const char* name;
  void (*f)();
};

// Runs, in table order, the benchmarks the arguments name, or all of them.
template <size_t N>
void run_named(const Bench (&benches)[N]) {
  int named = 0;
  for (int i = 1; i < gort::nargs(); i++) named += !streq(gort::arg(i), "small");
  for (auto& b : benches) {
    bool run = named == 0;
    for (int i = 1; i < gort::nargs(); i++) run = run || streq(gort::arg(i), b.name);
    if (run) b.f();
  }
}

}  // namespace bench
