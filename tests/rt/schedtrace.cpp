// tests/rt/schedtrace.cpp — keeps goroutines busy for at least 200 ms of wall
// time (bounded by a count too) so GORTDEBUG=schedtrace=5 has lines to print.
#include <gort/gort.h>

int main(int, char**) {
  for (int i = 0; i < 4; i++)
    gort::go([] {
      for (;;) gort::gosched();
    });
  int64_t t0 = gort::nanotime();
  for (int64_t i = 0; i < 100000000 && gort::nanotime() - t0 < 200000000; i++) gort::gosched();
  gort::println("done");
  return 0;
}
