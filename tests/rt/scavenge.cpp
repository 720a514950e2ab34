// tests/rt/scavenge.cpp — after a burst the collector frees, the pages go back to the OS
// by themselves: HeapReleased grows and the resident set (/proc/self/statm)
// falls. So do the stacks of goroutines that have exited (pooled, then
// released once unused a while). Waits are bounded by a count of sleeps,
// never a timing assertion.
#include "malloc.h"
#include "tap.h"

namespace {
constexpr int kObjects = 64;
constexpr size_t kObjSize = 1 << 20;

// Resident bytes from /proc/self/statm, or -1 without procfs.
int64_t rss() {
  int fd = gort::os_open("/proc/self/statm", false);
  if (fd < 0) return -1;
  char buf[128];
  long n = gort::os_read(fd, buf, sizeof buf - 1);
  if (n <= 0) return -1;
  int i = 0;
  while (i < n && buf[i] != ' ') i++;  // skip size
  int64_t pages = 0;
  for (i++; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) pages = pages * 10 + (buf[i] - '0');
  return pages * 4096;  // statm counts in the kernel's base pages
}

void nap() {
  uint32_t w = 0;
  gort::os_futexsleep(&w, 0, 25 * 1000 * 1000);
}

void* objs[kObjects];

__attribute__((noinline)) void burst() {
  for (auto& o : objs) {
    o = gort::alloc(kObjSize, true);
    for (size_t i = 0; i < kObjSize; i += 4096) static_cast<char*>(o)[i] = 1;
  }
}

}  // namespace

int main(int, char**) {
  tap::plan(5);
  gort::MemStats m0, m1;
  gort::read_mem_stats(&m0);
  burst();
  int64_t rss_full = rss();
  // Nothing points to the burst any more: the collector frees it. The
  // stack below is cleared first, from here: burst's callees' frames were
  // here, and a stale word in them would keep an object.
  for (auto& o : objs) o = nullptr;
  tap::clear_stack();
  gort::gc();
  int naps = 0;
  do {
    nap();
    gort::read_mem_stats(&m1);
  } while (m1.HeapReleased < m0.HeapReleased + kObjects * kObjSize && ++naps < 400);
  int64_t rss_after = rss();
  tap::diag("HeapReleased ", m0.HeapReleased >> 20, " -> ", m1.HeapReleased >> 20,
            " MiB (HeapInuse ", m0.HeapInuse >> 10, " -> ", m1.HeapInuse >> 10, " KiB) after ",
            naps, " naps; RSS ", rss_full >> 20, " -> ", rss_after >> 20, " MiB");
  tap::ok(m1.HeapReleased >= m0.HeapReleased + kObjects * kObjSize,
          "the scavenger releases freed pages by itself");
  tap::ok(m1.HeapIdle >= m1.HeapReleased && m1.HeapReleased <= m1.HeapSys,
          "released pages are idle heap pages");
  tap::ok(rss_full < 0 || rss_full - rss_after >= int64_t(kObjects * kObjSize) * 3 / 4,
          "the resident set falls by the released memory");
  // Released pages come back zeroed when reused.
  auto* p = static_cast<uint64_t*>(gort::alloc(kObjSize, true));
  bool zero = true;
  for (size_t i = 0; i < kObjSize / 8; i += 512) zero &= p[i] == 0;
  tap::ok(zero, "reused released pages read as zero");

  // 2000 goroutines each touch 32 KiB of stack and exit: their stacks go
  // back to the pool, and their memory to the OS by itself.
  {
    constexpr int kG = 2000;
    int64_t before = rss(), done = 0;
    uint32_t go_on = 0;
    for (int i = 0; i < kG; i++)
      gort::go([&done, &go_on] {
        volatile char buf[32 << 10];
        for (size_t k = 0; k < sizeof buf; k += 4096) buf[k] = 1;
        __atomic_add_fetch(&done, 1, __ATOMIC_SEQ_CST);
        while (!__atomic_load_n(&go_on, __ATOMIC_ACQUIRE)) gort::gosched();  // all live at once
      });
    while (__atomic_load_n(&done, __ATOMIC_SEQ_CST) < kG) gort::gosched();
    int64_t full = rss();
    __atomic_store_n(&go_on, 1u, __ATOMIC_RELEASE);
    tap::settle_goroutines(1);
    int64_t grew = full - before, after = full;
    for (naps = 0; naps < 400 && full - after < grew * 3 / 4; naps++) {
      nap();
      after = rss();
    }
    tap::diag("stacks: RSS ", before >> 20, " -> ", full >> 20, " -> ", after >> 20, " MiB after ",
              naps, " naps");
    tap::ok(full < 0 || (grew >= int64_t(kG) * (32 << 10) / 2 && full - after >= grew * 3 / 4),
            "the stacks of exited goroutines go back to the OS by themselves");
  }
  return tap::done();
}
