// tests/fatal/ulimit_stack.cpp — runs under `ulimit -s 8` (tests/meson.build):
// the OS main thread's stack is then a few KiB, so m0 must not run the boot
// or its scheduler there. Starts goroutines on every P, with main locked to
// m0 (whose g0 then hands the P on and sleeps), and waits for them; then
// checks that m0's g0 stack is not the OS stack and has a guard below it.
#include <gort/gort.h>

#include "atomic.h"
#include "runtime.h"

namespace {
// The [stack] line of /proc/self/maps: the OS main thread's stack.
bool os_stack(uintptr_t* lo, uintptr_t* hi) {
  int fd = gort::os_open("/proc/self/maps", false);
  if (fd < 0) return false;
  static char buf[1 << 16];
  long n = 0, r;
  while (n < long(sizeof buf) - 1 && (r = gort::os_read(fd, buf + n, sizeof buf - 1 - n)) > 0)
    n += r;
  gort::os_close(fd);
  buf[n] = 0;
  for (char* line = buf; *line;) {
    char* end = line;
    while (*end && *end != '\n') end++;
    bool stack = end - line > 7 && gort::Str(end - 7, 7) == gort::Str("[stack]");
    if (stack) {
      uintptr_t v[2] = {0, 0};
      char* p = line;
      for (int k = 0; k < 2; k++, p++)
        for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
          v[k] = v[k] * 16 + uintptr_t(*p <= '9' ? *p - '0' : *p - 'a' + 10);
      *lo = v[0];
      *hi = v[1];
      return true;
    }
    line = *end ? end + 1 : end;
  }
  return false;
}

// write(2) reads the byte: EFAULT if the page is inaccessible.
bool inaccessible(uintptr_t addr) {
  int fds[2];
  if (gort::os_pipe(fds) != 0) return false;
  long r = gort::os_write(fds[1], reinterpret_cast<const void*>(addr), 1);
  gort::os_close(fds[0]);
  gort::os_close(fds[1]);
  return r < 0;
}
}  // namespace

int main(int, char**) {
  gort::lock_os_thread();
  int64_t ran = 0;
  for (int round = 0; round < 200; round++) {
    gort::WaitGroup wg;
    wg.add(100);
    for (int i = 0; i < 100; i++)
      gort::go([&wg, &ran] {
        gort::gosched();
        gort::atomic::xadd(&ran, int64_t(1));
        wg.done();
      });
    wg.wait();
  }
  gort::println(ran, " goroutines ran");
  uintptr_t lo = 0, hi = 0;
  const gort::G& g0 = gort::m0.g0;
  if (os_stack(&lo, &hi) && g0.stack_lo < hi && g0.stack_hi > lo)
    gort::println("m0's g0 stack is on the OS stack");
  else if (!inaccessible(g0.stack_lo - 1))
    gort::println("m0's g0 stack has no guard");
  else
    gort::println("m0's g0 stack is its own, with a guard");
  return 0;
}
