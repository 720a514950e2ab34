// tests/port/signal.cpp — a handler installed with os_setsig runs, on the
// alternate signal stack set with os_sigaltstack.
#include "tap.h"

namespace {
alignas(16) char altstack[64 * 1024];
volatile int got_sig;
volatile uintptr_t handler_sp;

void handler(int sig, void*, void*) {
  int local;
  got_sig = sig;
  handler_sp = reinterpret_cast<uintptr_t>(&local);
}
}  // namespace

int main(int, char**) {
  tap::plan(4);
  tap::ok(gort::os_sigaltstack(altstack, sizeof altstack) == 0,
          "sigaltstack accepts a 64 KiB stack");
  tap::ok(gort::os_setsig(gort::kSIGUSR1, handler) == 0, "a SIGUSR1 handler installs");
  gort::os_raise(gort::kSIGUSR1);
  tap::ok(got_sig == gort::kSIGUSR1, "the handler runs with the signal number");
  uintptr_t lo = reinterpret_cast<uintptr_t>(altstack);
  tap::ok(handler_sp >= lo && handler_sp < lo + sizeof altstack,
          "the handler runs on the alternate stack");
  return tap::done();
}
