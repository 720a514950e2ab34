// tests/port/tls.cpp — each thread sees its own TLS block through the thread
// pointer; the main thread's is undisturbed.
#include "atomic.h"
#include "tap.h"
#include "thread.h"

namespace {
constexpr int kThreads = 4;
tap::Thread threads[kThreads];
void* seen[kThreads];
uint32_t matches;

void worker(void* arg) {
  int i = int(reinterpret_cast<uintptr_t>(arg));
  for (int k = 0; k < 10000; k++) {
    void* tp = gort::port_gettls();
    if (tp != threads[i].tls) return;
    if (k == 0) seen[i] = tp;
  }
  gort::atomic::xadd(&matches, 1u);
}
}  // namespace

int main(int, char**) {
  tap::watchdog("tls", 3000);
  tap::plan(4);
  gort::TlsBlock* mine = gort::port_gettls();
  tap::ok(gort::port_gettp() != nullptr && mine->self == mine,
          "the main thread's TLS block is installed and self-addressed");
  bool ok = true;
  for (int i = 0; i < kThreads; i++)
    ok &= tap::spawn(&threads[i], worker, reinterpret_cast<void*>(uintptr_t(i)));
  tap::ok(ok, "threads start");
  for (auto& t : threads) tap::join(&t);
  tap::ok(gort::atomic::load(&matches) == kThreads,
          "every thread reads its own TLS block, 1e4 times");
  tap::ok(gort::port_gettls() == mine, "the main thread's TLS is unchanged by the others");
  return tap::done();
}
