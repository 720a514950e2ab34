// tests/port/signal.cpp — a handler installed with os_setsig runs, on the
// alternate signal stack set with os_sigaltstack, with every signal blocked;
// os_sigunblock lets them in again.
#include "tap.h"

namespace {
alignas(16) char altstack[64 * 1024];
volatile int got_sig;
volatile uintptr_t handler_sp;

volatile int got_usr2, usr2_before_unblock, usr2_after_unblock;

void handler2(int, void*, void*) { got_usr2 = 1; }

void handler(int sig, void*, void*) {
  int local;
  got_sig = sig;
  handler_sp = reinterpret_cast<uintptr_t>(&local);
  // Blocked while this handler runs (os_setsig's mask): SIGUSR2 waits...
  gort::os_raise(gort::kSIGUSR2);
  usr2_before_unblock = got_usr2;
  // ...until the thread unblocks everything: then it arrives at once.
  gort::os_sigunblock();
  usr2_after_unblock = got_usr2;
}
}  // namespace

int main(int, char**) {
  tap::plan(5);
  tap::ok(gort::os_sigaltstack(altstack, sizeof altstack) == 0,
          "sigaltstack accepts a 64 KiB stack");
  tap::ok(gort::os_setsig(gort::kSIGUSR1, handler) == 0 &&
              gort::os_setsig(gort::kSIGUSR2, handler2) == 0,
          "SIGUSR1 and SIGUSR2 handlers install");
  gort::os_raise(gort::kSIGUSR1);
  tap::ok(got_sig == gort::kSIGUSR1, "the handler runs with the signal number");
  uintptr_t lo = reinterpret_cast<uintptr_t>(altstack);
  tap::ok(handler_sp >= lo && handler_sp < lo + sizeof altstack,
          "the handler runs on the alternate stack");
  tap::ok(!usr2_before_unblock && usr2_after_unblock,
          "a handler runs with signals blocked; os_sigunblock lets them in at once");
  return tap::done();
}
