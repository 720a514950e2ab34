// tests/rt/syscall.cpp — a goroutine blocked in read(2) on an empty pipe does
// not stop the others: sysmon hands its P to another M (run at GOMAXPROCS=1,
// where without the hand-off this test would hang and time out). Woken
// while main holds that P, the reader resumes on main's thread: read must
// come back with that thread's thread pointer, not the one it entered with
// (clang's __builtin_unwind_init on riscv64 restored the old tp).
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

int main(int, char**) {
  tap::plan(5);
  int fds[2];
  tap::ok(gort::os_pipe(fds) == 0, "a pipe opens");

  uint32_t reading = 0;
  char got = 0;
  long n = 0;
  uintptr_t tid_before = 0, tid_after = 0, m_tid = 0;
  uint32_t checked = 0;
  gort::WaitGroup reader;
  reader.add(1);
  gort::go([&] {
    tid_before = gort::os_thread_self();
    gort::atomic::store(&reading, 1u);
    n = gort::read(fds[0], &got, 1);  // blocks until main writes
    {
      gort::NoPreempt np;
      tid_after = gort::os_thread_self();
      m_tid = gort::getg()->m->tid;  // through the thread pointer
    }
    gort::atomic::store(&checked, 1u);
    reader.done();
  });
  while (!gort::atomic::load(&reading)) gort::gosched();

  // The reader holds the only P in its system call; these still run.
  gort::WaitGroup others;
  int64_t ran = 0;
  others.add(100);
  for (int i = 0; i < 100; i++)
    gort::go([&] {
      gort::atomic::xadd(&ran, int64_t(1));
      others.done();
    });
  others.wait();
  tap::ok(ran == 100, "goroutines run while another is blocked in read");

  tap::ok(gort::write(fds[1], "x", 1) == 1, "the write that wakes the reader succeeds");
  // Keep the P busy (no idle P for the reader's thread to take) until the
  // reader has run here.
  while (!gort::atomic::load(&checked)) gort::gosched();
  reader.wait();
  tap::diag("the reader entered read on thread ", tid_before, " and left it on ", tid_after);
  tap::ok(m_tid == tid_after, "after read, the thread pointer is the thread's own");
  tap::ok(n == 1 && got == 'x', "the blocked read returns the byte written");
  gort::os_close(fds[0]);
  gort::os_close(fds[1]);
  return tap::done();
}
