// runtime/panic.cpp — fatal errors and panics: the ways out when a program
// cannot go on. Both print Go's report and exit with status 2.
#include "gort/gort.h"
#include "runtime2.h"
#include "traceback.h"

namespace gort {

namespace {
// A goroutine to trace back: only once the scheduler runs goroutines.
G* current_goroutine() {
  if (!port_gettp()) return nullptr;  // before the tls stage
  G* gp = getg();
  return gp && gp->goid > 0 ? gp : nullptr;
}
}  // namespace

// Go's throw: "fatal error: msg", then the goroutine's frames.
void fatal(const char* msg) {
  eprint("fatal error: ", msg, "\n");
  if (current_goroutine()) traceback_current();
  os_exit(2);
}

// Go's panic, without recover: "panic: msg", the goroutine's frames, exit 2.
void panic(const char* msg) {
  eprint("panic: ", msg, "\n");
  if (current_goroutine()) traceback_current();
  os_exit(2);
}

}  // namespace gort

extern "C" {
// A fresh context's function returned into gort_ctxstart (arch asm).
[[noreturn]] void gort_ctx_returned() { gort::fatal("context function returned"); }
}
