// tests/rt/sigmask.cpp — every M starts with signals unblocked (Go's
// minitSignalMask), whatever mask the thread that made it had: an M made
// from a signal handler (every signal blocked there) still receives
// signals. Under QEMU user mode, Ms were seen to start blocked and never be
// preempted.
#include "atomic.h"
#include "runtime.h"
#include "tap.h"

namespace {
gort::M* child;
uint32_t got_usr2, child_saw_usr2;

void on_usr2(int, void*, void*) { gort::atomic::store(&got_usr2, 1u); }

// Runs on the new M: a signal it raises to itself arrives (before raise
// returns on a real kernel; by a later system call under QEMU), unless its
// mask blocks it.
void child_main(void*) {
  gort::os_raise(gort::kSIGUSR2);
  for (int i = 0; i < 1000 && !gort::atomic::load(&got_usr2); i++) {
    uint32_t w = 0;
    gort::os_futexsleep(&w, 0, 1000000);
  }
  gort::atomic::store(&child_saw_usr2, gort::atomic::load(&got_usr2));
}

void on_usr1(int, void*, void*) { child = gort::newm(child_main, nullptr); }
}  // namespace

int main(int, char**) {
  tap::plan(2);
  tap::ok(gort::os_setsig(gort::kSIGUSR1, on_usr1) == 0 &&
              gort::os_setsig(gort::kSIGUSR2, on_usr2) == 0,
          "test handlers install");
  gort::os_raise(gort::kSIGUSR1);  // the M is made inside this handler
  gort::joinm(child);
  tap::ok(child_saw_usr2 == 1, "an M made with every signal blocked unblocks them when it starts");
  return tap::done();
}
