// tests/fatal/sync_misuse.cpp — the sync package's fatal errors and panics
// (Go's texts, exit 2), and a deadlock with goroutines parked in each kind
// of sync wait, which checkdead reports with Go's wait reasons.
// Usage: sync_misuse unlock|runlock|rwunlock|negative|deadlock|thread
#include <gort/gort.h>

#include "runtime.h"

namespace {

bool is(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

gort::Mutex mu, condmu;
gort::RWMutex rw_held, rw_read;
gort::Cond cond(&condmu);
gort::WaitGroup wg;

[[noreturn]] void deadlock() {
  // Each parks in order (goroutines are listed oldest first):
  rw_held.lock();
  gort::go([] { rw_held.rlock(); });  // behind a writer: sync.RWMutex.RLock
  rw_read.rlock();
  gort::go([] { rw_read.lock(); });  // behind a reader: sync.RWMutex.Lock
  mu.lock();
  gort::go([] { mu.lock(); });  // sync.Mutex.Lock
  gort::go([] {
    condmu.lock();
    cond.wait();  // sync.Cond.Wait
  });
  wg.add(1);
  wg.wait();  // main: sync.WaitGroup.Wait
  gort::fatal("test: woke from a wait nobody can end");
}

}  // namespace

int main(int argc, char** argv) {
  const char* what = argc > 1 ? argv[1] : "";
  if (is(what, "unlock")) {
    mu.lock();
    mu.unlock();
    mu.unlock();
  } else if (is(what, "runlock")) {
    rw_read.rlock();
    rw_read.runlock();
    rw_read.runlock();
  } else if (is(what, "rwunlock")) {
    rw_held.unlock();
  } else if (is(what, "negative")) {
    wg.add(2);
    wg.done();
    wg.done();
    wg.done();
  } else if (is(what, "deadlock")) {
    deadlock();
  } else if (is(what, "thread")) {  // an OS thread that is no goroutine must not park
    mu.lock();
    gort::joinm(gort::newm([](void*) { mu.lock(); }, nullptr));
  } else {
    gort::eprint("usage: sync_misuse unlock|runlock|rwunlock|negative|deadlock|thread\n");
    return 1;
  }
  gort::println("misuse of ", what, " went unnoticed");
  return 0;
}
