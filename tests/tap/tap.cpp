// tests/tap/tap.cpp — see tap.h.
#include "tap.h"

#include "thread.h"
#include "traceback.h"

namespace tap {

namespace {
int planned = -1, ran = 0, failed = 0;
}

void plan(int n) {
  planned = n;
  gort::println("1..", n);
}

bool ok(bool cond, const char* name) {
  ran++;
  if (!cond) failed++;
  gort::println(cond ? "ok " : "not ok ", ran, " - ", name);
  return cond;
}

void skip(const char* name, const char* why) {
  ran++;
  gort::println("ok ", ran, " - ", name, " # SKIP ", why);
}

int64_t settle_goroutines(int64_t want) {
  int64_t n = 0;
  for (int i = 0; i < 5000 && (n = gort::num_goroutine()) != want; i++) {
    gort::gosched();  // they may be queued behind us on our P
    uint32_t w = 0;
    gort::os_futexsleep(&w, 0, 1000000);
  }
  return n;
}

namespace {
const char* watch_name;
int watch_naps;
Thread watch_thread;

// A raw thread (tap::Thread): it owns no P and is never preempted, so it
// still runs when every M is stuck in a broken preemption or signal path.
void watch(void*) {
  for (int i = 0; i < watch_naps; i++) {
    uint32_t w = 0;
    gort::os_futexsleep(&w, 0, 10 * 1000 * 1000);
  }
  gort::println("not ok ", ran + 1, " - watchdog: ", watch_name, " did not finish");
  gort::eprint("watchdog: ", watch_name, " did not finish after ", watch_naps, " naps of 10 ms\n");
  gort::tracebackothers(nullptr);
  gort::os_exit(1);
}
}  // namespace

void watchdog(const char* name, int naps) {
  watch_name = name;
  watch_naps = naps;
  if (!spawn(&watch_thread, watch, nullptr)) {
    gort::println("not ok - watchdog: cannot start its thread");
    gort::os_exit(1);
  }
}

int count_mappings() {
  int fd = gort::os_open("/proc/self/maps", false);
  if (fd < 0) return -1;
  static char buf[1 << 16];
  int lines = 0;
  long n;
  while ((n = gort::os_read(fd, buf, sizeof buf)) > 0)
    for (long i = 0; i < n; i++) lines += buf[i] == '\n';
  gort::os_close(fd);
  return lines;
}

int done() {
  if (planned >= 0 && ran != planned) {
    diag("planned ", planned, " checks but ran ", ran);
    return 1;
  }
  return failed ? 1 : 0;
}

namespace {
// 2 KiB frames, 16 deep: one 32 KiB frame would pass riscv64's 4 KiB
// frame limit (docs/ARCHITECTURE.md, stack-clash probes).
__attribute__((noinline)) void clear_frames(int depth) {
  volatile uint64_t buf[256];
  for (auto& w : buf) w = 0;
  if (depth > 0) clear_frames(depth - 1);
  asm volatile("" : : "r"(buf) : "memory");
}
}  // namespace

__attribute__((noinline)) void clear_stack() { clear_frames(16); }

}  // namespace tap
