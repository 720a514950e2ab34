// tests/port/signal.cpp — a handler installed with os_setsig runs, on the
// alternate signal stack set with os_sigaltstack, with every signal blocked;
// os_sigunblock lets them in again.
#include "tap.h"
#include "thread.h"

namespace {
alignas(16) char altstack[64 * 1024];
volatile int got_sig;
volatile uintptr_t handler_sp;

volatile int got_usr2, usr2_before_unblock, usr2_after_unblock;

void handler2(int, void*, void*) { got_usr2 = 1; }

void nap() {
  uint32_t w = 0;
  gort::os_futexsleep(&w, 0, 1000000);
}

// A thread made inside a handler inherits its mask, every signal blocked
// (os_setsig's): SIGUSR2 waits, until os_sigunblock lets it in (at once on
// a real kernel; under QEMU user mode by a later system call).
void blocked_thread(void*) {
  gort::os_raise(gort::kSIGUSR2);
  for (int i = 0; i < 20 && !got_usr2; i++) nap();
  usr2_before_unblock = got_usr2;
  gort::os_sigunblock();
  for (int i = 0; i < 1000 && !got_usr2; i++) nap();
  usr2_after_unblock = got_usr2;
}
tap::Thread thr;

void handler(int sig, void*, void*) {
  int local;
  got_sig = sig;
  handler_sp = reinterpret_cast<uintptr_t>(&local);
  tap::spawn(&thr, blocked_thread, nullptr);
}
}  // namespace

int main(int, char**) {
  tap::watchdog("signal", 3000);
  tap::plan(5);
  tap::ok(gort::os_sigaltstack(altstack, sizeof altstack) == 0,
          "sigaltstack accepts a 64 KiB stack");
  tap::ok(gort::os_setsig(gort::kSIGUSR1, handler) == 0 &&
              gort::os_setsig(gort::kSIGUSR2, handler2) == 0,
          "SIGUSR1 and SIGUSR2 handlers install");
  gort::os_raise(gort::kSIGUSR1);
  tap::join(&thr);
  tap::ok(got_sig == gort::kSIGUSR1, "the handler runs with the signal number");
  uintptr_t lo = reinterpret_cast<uintptr_t>(altstack);
  tap::ok(handler_sp >= lo && handler_sp < lo + sizeof altstack,
          "the handler runs on the alternate stack");
  // A real kernel hands the handler's mask to the thread (the signal then
  // waits for os_sigunblock); QEMU's riscv64 user mode does not.
  if (usr2_before_unblock) tap::diag("the new thread did not inherit the handler's blocked mask");
  tap::ok(usr2_after_unblock,
          "a thread made in a handler starts with signals blocked; os_sigunblock lets them in");
  return tap::done();
}
