// tests/tap/tap.h — a small TAP producer for freestanding gort test programs
// (meson test reads it with protocol: 'tap').
#pragma once

#include <gort/gort.h>

#include "port.h"  // the conformance tests call the porting interface directly

namespace tap {

// Declares how many checks follow ("1..n").
void plan(int n);
// Reports one check; returns cond so callers can stop early.
bool ok(bool cond, const char* name);
// Reports one check as skipped (TAP "# SKIP why"): it passes.
void skip(const char* name, const char* why);
// Adds a diagnostic line ("# ...") to the output.
template <typename... A>
void diag(const A&... a) {
  gort::print("# ", a..., '\n');
}
// Overwrites the stack below the caller with zeros (noinline, 32 KiB):
// dead frames of earlier calls may still hold pointers, which a
// conservative collector would take for live ones (tests that expect an
// object to be freed call it before gort::gc()).
void clear_stack();
// Exit status for main: 0 if every planned check ran and passed.
int done();
// Waits (a yield and a nap of 1 ms, at most 5000 times) until
// num_goroutine() == want: the last goroutines may still be between their
// final call and their exit, queued behind the caller or on Ms the OS is not
// running. Returns the count last seen.
int64_t settle_goroutines(int64_t want);
// Yields (and naps 1 ms after every 100 yields) until pred() holds, at
// most `naps` naps; returns whether it held. For waiting on other goroutines
// without a timing threshold: the bound only keeps a broken run finite.
template <typename F>
bool wait_until(F pred, int naps = 5000) {
  for (int i = 0; i < naps; i++) {
    for (int j = 0; j < 100; j++) {
      if (pred()) return true;
      gort::gosched();
    }
    uint32_t w = 0;
    gort::os_futexsleep(&w, 0, 1000000);
  }
  return pred();
}
// Starts a watchdog thread: if the program has not returned from main after
// `naps` naps of 10 ms (a bound on a broken run, not a timing check), it
// prints "not ok - watchdog: <name> did not finish", every goroutine's
// frames, and exits 1. A wrong port then fails in seconds instead of at
// meson's timeout (which stays the outer bound). Call once, first thing.
void watchdog(const char* name, int naps);
// The process's kernel mappings (lines of /proc/self/maps), or -1 where
// there is no procfs.
int count_mappings();

}  // namespace tap
