// tests/rt/mguard.cpp — every M's g0 stack has a PROT_NONE guard page right
// below it (runtime/thread.cpp), so an overflow of g0 faults instead of
// running into the signal stack under it. With the argument "overflow", a
// raw thread overflows its g0 stack: the fault must be reported (exit 2).
#include "runtime2.h"
#include "tap.h"

namespace {
uintptr_t hex(const char*& p) {
  uintptr_t v = 0;
  for (;; p++) {
    char c = *p;
    if (c >= '0' && c <= '9')
      v = v * 16 + uintptr_t(c - '0');
    else if (c >= 'a' && c <= 'f')
      v = v * 16 + uintptr_t(c - 'a' + 10);
    else
      return v;
  }
}

// True if /proc/self/maps has [lo, hi) as one inaccessible mapping.
bool inaccessible_mapping(uintptr_t lo, uintptr_t hi) {
  static char buf[1 << 20];
  int fd = gort::os_open("/proc/self/maps", false);
  if (fd < 0) return false;
  size_t len = 0;
  long n;
  while (len < sizeof buf - 1 && (n = gort::os_read(fd, buf + len, sizeof buf - 1 - len)) > 0)
    len += size_t(n);
  gort::os_close(fd);
  buf[len] = 0;
  for (const char* p = buf; *p;) {
    uintptr_t start = hex(p);
    p++;  // '-'
    uintptr_t end = hex(p);
    p++;  // ' '
    if (start == lo && end == hi && p[0] == '-' && p[1] == '-' && p[2] == '-') return true;
    while (*p && *p != '\n') p++;
    if (*p) p++;
  }
  return false;
}

struct Probe {
  uintptr_t lo = 0;
  bool guarded = false;
};
void probe(void* arg) {
  auto* pr = static_cast<Probe*>(arg);
  auto* m = static_cast<gort::M*>(gort::gettls()->m);
  pr->lo = m->g0.stack_lo;
  uintptr_t ps = gort::pagesize() > 4096 ? gort::pagesize() : 4096;
  pr->guarded = inaccessible_mapping(pr->lo - ps, pr->lo);
}

// Each frame keeps 512 bytes live so the recursion cannot be folded away;
// it stops only far below any g0 stack (which a guard must cut short).
uintptr_t floor_addr;
int dive(int n) {
  volatile char pad[512];
  pad[n % 512] = char(n);
  if (uintptr_t(&pad[0]) < floor_addr) return pad[0];
  return dive(n + 1) + pad[(n * 7) % 512];
}
void overflow(void*) {
  auto* m = static_cast<gort::M*>(gort::gettls()->m);
  gort::println("g0 stack from ", gort::Hex{m->g0.stack_lo});
  floor_addr = m->g0.stack_lo - (1 << 20);
  dive(0);
  gort::println("overflowed g0 by 1 MiB without a fault");
}
}  // namespace

int main(int argc, char**) {
  if (argc > 1) {
    gort::joinm(gort::newm(overflow, nullptr));
    gort::println("not reached");
    return 0;
  }
  tap::plan(2);
  Probe raw;
  gort::joinm(gort::newm(probe, &raw));
  tap::ok(raw.lo && raw.guarded, "a raw M's g0 stack has an inaccessible guard page below it");
  // A scheduler M: main holds its own M (lock_os_thread), so the goroutine
  // runs on another one, made by allocm.
  gort::lock_os_thread();
  Probe sched;
  gort::WaitGroup wg;
  wg.add(1);
  gort::go([&] {
    probe(&sched);
    wg.done();
  });
  wg.wait();
  gort::unlock_os_thread();
  tap::ok(sched.lo && sched.guarded,
          "a scheduler M's g0 stack has an inaccessible guard page below it");
  return tap::done();
}
