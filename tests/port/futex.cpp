// tests/port/futex.cpp — os_futexsleep times out, returns at once on a changed
// word, and os_futexwakeup wakes a sleeper.
#include "atomic.h"
#include "tap.h"
#include "thread.h"

namespace {
uint32_t word;
uint32_t sleeper_state;  // 1 asleep-ish, 2 woke and saw the new value

void sleeper(void*) {
  gort::atomic::store(&sleeper_state, 1u);
  while (gort::atomic::load(&word) == 0) gort::os_futexsleep(&word, 0, -1);  // no timeout
  gort::atomic::store(&sleeper_state, 2u);
}
}  // namespace

int main(int, char**) {
  tap::watchdog("futex", 3000);
  tap::plan(4);

  // A timed sleep on an unchanged word must come back: loop over spurious
  // wake-ups until the deadline has passed.
  const int64_t timeout = 20 * 1000 * 1000;
  int64_t t0 = gort::os_nanotime(), now = t0;
  int sleeps = 0;
  while ((now = gort::os_nanotime()) - t0 < timeout && sleeps < 1000) {
    gort::os_futexsleep(&word, 0, timeout - (now - t0));
    sleeps++;
  }
  tap::ok(now - t0 >= timeout && sleeps < 1000, "a timed sleep returns once its timeout passes");

  int64_t t1 = gort::os_nanotime();
  gort::os_futexsleep(&word, 7, 10LL * 1000 * 1000 * 1000);  // word is 0, not 7
  tap::ok(gort::os_nanotime() - t1 < 10LL * 1000 * 1000 * 1000,
          "sleeping on a changed word returns at once");

  tap::Thread t;
  tap::ok(tap::spawn(&t, sleeper, nullptr), "sleeper thread starts");
  while (gort::atomic::load(&sleeper_state) == 0) gort::arch_procyield(100);
  gort::atomic::store(&word, 1u);
  gort::os_futexwakeup(&word, 1);
  tap::join(&t);
  tap::ok(gort::atomic::load(&sleeper_state) == 2, "futexwakeup wakes an untimed sleeper");
  return tap::done();
}
