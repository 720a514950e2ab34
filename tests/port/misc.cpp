// tests/port/misc.cpp — write, random bytes, CPU count and features, procyield.
#include "tap.h"

int main(int, char**) {
  tap::watchdog("misc", 3000);
  tap::plan(6);
  tap::ok(gort::os_write(1, "# write\n", 8) == 8, "os_write writes every byte to fd 1");
  tap::ok(gort::os_write(987, "x", 1) < 0, "os_write to a closed fd returns -errno");
  uint8_t a[32] = {}, b[32] = {};
  bool full =
      gort::os_getrandom(a, sizeof a) == sizeof a && gort::os_getrandom(b, sizeof b) == sizeof b;
  bool differ = false, nonzero = false;
  for (int i = 0; i < 32; i++) {
    differ |= a[i] != b[i];
    nonzero |= a[i] != 0;
  }
  tap::ok(full && differ && nonzero, "getrandom fills buffers with different, nonzero bytes");
  tap::ok(gort::ncpu() >= 1, "ncpu counts at least one CPU");
  tap::ok(gort::pagesize() >= 4096 && (gort::pagesize() & (gort::pagesize() - 1)) == 0,
          "the page size is a power of two >= 4096");
  gort::arch_procyield(1000);
  tap::ok(gort::port_gettp() != nullptr, "procyield returns");
  tap::diag("port ", gort::kOSName, "/", gort::kArchName, " ncpu=", gort::ncpu(),
            " pagesize=", gort::pagesize());
  return tap::done();
}
