// tests/fatal/signals.cpp — signals as Go treats them when the program asked
// for none (os/signal's documentation):
//   (no argument)  every signal Go catches and ignores is survived, and a
//                  write to a broken pipe fails with EPIPE;
//   abort          SIGABRT: "SIGABRT: abort", PC=, the goroutine, exit 2;
//   divide         an integer division by zero: Go's run-time panic, exit 2;
//   stdout         printing to a closed standard output: death by SIGPIPE.
#include <gort/gort.h>

#include "port.h"

namespace {
bool is(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}
volatile int64_t zero = 0;
}  // namespace

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "";
  if (is(mode, "abort")) gort::os_raise(gort::kSIGABRT);
  if (is(mode, "divide")) {
    gort::println(int64_t(42) / zero);  // traps on amd64 only
    return 0;
  }
  if (is(mode, "stdout")) {
    for (int i = 0; i < 1000000; i++) gort::println("line ", i);
    return 0;
  }
  const int ignored[] = {gort::kSIGUSR1,  gort::kSIGUSR2, gort::kSIGALRM,   gort::kSIGCHLD,
                         gort::kSIGXCPU,  gort::kSIGXFSZ, gort::kSIGVTALRM, gort::kSIGPROF,
                         gort::kSIGWINCH, gort::kSIGIO,   gort::kSIGPWR,    gort::kSIGINFO,
                         gort::kSIGPIPE,  gort::kSIGURG};
  int n = 0;
  for (int sig : ignored)
    if (sig) gort::os_raise(sig), n++;
  for (int sig = gort::kSIGRTFirst; sig <= gort::kSIGRTLast; sig++) gort::os_raise(sig), n++;
  gort::println("survived ", n, " signals");
  int fds[2];
  if (gort::os_pipe(fds) != 0) return 1;
  gort::os_close(fds[0]);
  long r = gort::write(fds[1], "x", 1);
  gort::println("write to a broken pipe: ", r == -gort::kEPIPE ? "EPIPE" : "something else");
  return 0;
}
