// tests/tap/tap.cpp — see tap.h.
#include "tap.h"

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

int done() {
  if (planned >= 0 && ran != planned) {
    diag("planned ", planned, " checks but ran ", ran);
    return 1;
  }
  return failed ? 1 : 0;
}

}  // namespace tap
