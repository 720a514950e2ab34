// tests/fatal/sigquit.cpp — SIGQUIT dumps every goroutine (Go's
// `goroutine N [state]:` with frames) and exits 2: one parked, one blocked
// in a system call (Go's [syscall], shown from where it entered, or from
// where the signal found it when it lands on that goroutine's thread).
#include <gort/gort.h>

#include "atomic.h"
#include "runtime2.h"

gort::G* volatile waiter;
gort::G* volatile reader;

extern "C" __attribute__((noinline)) void wait_here() {
  waiter = gort::getg();
  gort::gopark(nullptr, nullptr, "test wait");
  asm volatile("");
}

extern "C" __attribute__((noinline)) void read_here(int fd) {
  reader = gort::getg();
  char c;
  gort::read(fd, &c, 1);  // never written: blocks until the dump
  asm volatile("");
}

int main(int argc, char**) {
  int fds[2];
  if (gort::os_pipe(fds) != 0) return 1;
  gort::go([] { wait_here(); });
  gort::go([fds] { read_here(fds[0]); });
  // Until both are where the dump should find them (they may be running on
  // other Ms meanwhile).
  for (int i = 0; i < 1000000 && !(waiter && waiter->status == gort::GStatus::Waiting && reader &&
                                   reader->status == gort::GStatus::Syscall);
       i++)
    gort::gosched();
  if (argc > 1) {  // delivered to the blocked reader's own thread: still [syscall]
    for (int i = 0; i < 1000; i++) gort::gosched();  // into read(2) itself
    gort::os_signal_thread(gort::atomic::load(&reader->m->tid), gort::kSIGQUIT);
    for (;;) gort::gosched();
  }
  gort::os_raise(gort::kSIGQUIT);
  return 0;
}
