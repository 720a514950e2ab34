// runtime/panic.cpp — fatal errors: the one way out when the runtime cannot go on.
#include "gort/gort.h"
#include "runtime.h"

namespace gort {

// Go prints "fatal error: msg" and exits 2; the goroutine dump joins this once
// the scheduler exists.
void fatal(const char* msg) {
  eprint("fatal error: ", msg, "\n");
  os_exit(2);
}

}  // namespace gort

extern "C" {
// A fresh context's function returned into gort_ctxstart (arch asm).
[[noreturn]] void gort_ctx_returned() { gort::fatal("context function returned"); }
}
