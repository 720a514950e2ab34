// tests/port/mem.cpp — os_mmap hands out zeroed memory, reserves address
// space without committing it, and os_madvise_free/os_munmap work.
#include "tap.h"

int main(int, char**) {
  tap::watchdog("mem", 3000);
  tap::plan(5);
  const size_t n = 4 << 20;
  auto* p = static_cast<uint64_t*>(gort::os_mmap(nullptr, n, gort::kProtRead | gort::kProtWrite));
  tap::ok(p != nullptr, "mmap of 4 MiB read-write succeeds");
  bool zero = true;
  for (size_t i = 0; p && i < n / 8; i++) zero &= p[i] == 0;
  tap::ok(p && zero, "mmap'd memory is zeroed");
  for (size_t i = 0; p && i < n / 8; i += 512) p[i] = i + 1;
  bool kept = true;
  for (size_t i = 0; p && i < n / 8; i += 512) kept &= p[i] == i + 1;
  tap::ok(p && kept, "writes to mmap'd memory read back");
  if (p) {
    gort::os_madvise_free(p, n);
    p[0] = 9;  // still mapped and writable after madvise
    gort::os_munmap(p, n);
  }
  tap::ok(p != nullptr, "madvise and munmap on the mapping return");

  // Reserve 64 GiB of address space: possible only because nothing is committed.
  void* r = gort::os_mmap(nullptr, size_t(64) << 30, gort::kProtNone);
  tap::ok(r != nullptr, "a 64 GiB PROT_NONE reservation succeeds");
  if (r) gort::os_munmap(r, size_t(64) << 30);
  return tap::done();
}
