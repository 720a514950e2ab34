// tests/rt/boot.cpp — what the boot promises a gort program: static
// constructors ran before main, function-local statics initialise once, argv
// and the environment are reachable, the runtime's random source works.
#include "runtime.h"
#include "tap.h"

namespace {
int ctor_runs;
struct Global {
  int v;
  Global() : v(7) { ctor_runs++; }
};
Global global;

int local_inits;
int make_value() { return ++local_inits * 10; }
int& local_static() {
  static int v = make_value();  // goes through __cxa_guard_acquire/release
  return v;
}
}  // namespace

int main(int argc, char** argv) {
  tap::plan(8);
  tap::ok(ctor_runs == 1 && global.v == 7,
          "static constructors ran once before main (.init_array)");
  tap::ok(local_static() == 10 && local_static() == 10 && local_inits == 1,
          "a function-local static initialises once");
  tap::ok(argc == gort::nargs() && argc >= 3 && gort::arg(argc) == nullptr,
          "argc matches the runtime's count");
  tap::ok(gort::cstrlen(argv[1]) == 5 && argv[1][0] == 'a' &&
              gort::Str(gort::arg(2)) == gort::Str("two words"),
          "argv reaches main intact");
  const char* v = gort::getenv("GORT_TEST_VAR");
  tap::ok(v && gort::Str(v) == gort::Str("x=y"), "getenv finds a variable whose value holds '='");
  tap::ok(gort::getenv("GORT_TEST_VA") == nullptr && gort::getenv("GORT_TEST_VAR_") == nullptr,
          "getenv matches whole names only");
  uint64_t r1 = gort::rand64(), r2 = gort::rand64();
  tap::ok(r1 != r2, "rand64 returns changing values");
  gort::G* g = gort::getg();
  tap::ok(g->goid == 1 && g != &gort::m0.g0 && g->stack_lo < uintptr_t(&r1) &&
              uintptr_t(&r1) < g->stack_hi && g->stack_hi - g->stack_lo == 8 << 20,
          "main runs on goroutine 1, on an 8 MiB stack that holds its frame");
  return tap::done();
}
