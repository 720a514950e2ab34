// tests/fatal/gc_env.cpp — what GOGC, GOMEMLIMIT and GORTDEBUG=gctrace=1 do,
// as seen from outside (tests/meson.build checks the output):
//
//   gc_env settings   prints "gc percent N" and "memory limit N", the values
//                     the environment gave (then changes and reads them back)
//   gc_env trace N    allocates 64 MiB of garbage (the pacer's cycles, unless
//                     GOGC=off), then calls gort::gc() N times; prints
//                     "cycles C forced F"
#include <gort/gort.h>

namespace {
bool streq(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
}  // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (streq(mode, "settings")) {
    int32_t pct = gort::set_gc_percent(150);
    int64_t lim = gort::set_memory_limit(-1);
    gort::println("gc percent ", pct);
    gort::println("memory limit ", lim);
    // The setters return what they replace; a negative limit only reads.
    bool ok = gort::set_gc_percent(pct) == 150 && gort::set_memory_limit(lim) == lim &&
              gort::set_memory_limit(-1) == lim;
    gort::println(ok ? "setters agree" : "setters disagree");
    return 0;
  }
  if (streq(mode, "trace")) {
    int n = argc > 2 ? int(*argv[2] - '0') : 1;
    gort::MemStats a, b;
    gort::read_mem_stats(&a);
    for (int i = 0; i < 64 * 256; i++) gort::alloc(4096, i & 1);
    for (int i = 0; i < n; i++) gort::gc();
    gort::read_mem_stats(&b);
    gort::println("cycles ", b.NumGC - a.NumGC, " forced ", b.NumForcedGC - a.NumForcedGC);
    return 0;
  }
  gort::fatal("usage: gc_env settings | trace N");
}
