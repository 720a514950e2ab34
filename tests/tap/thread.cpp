// tests/tap/thread.cpp — see thread.h.
#include "thread.h"

#include "atomic.h"

namespace tap {

namespace {
constexpr size_t kStack = 256 * 1024;

void start(void* p) {
  auto* t = static_cast<Thread*>(p);
  t->fn(t->arg);
  gort::os_exitthread(&t->running);
}
}  // namespace

bool spawn(Thread* t, void (*fn)(void*), void* arg) {
  t->size = kStack;
  t->mem = gort::os_mmap(nullptr, kStack, gort::kProtRead | gort::kProtWrite);
  if (!t->mem) return false;
  // The TLS block sits at the bottom of the mapping, the stack grows down to
  // it. (No static TLS: these threads must not touch thread_local data.)
  t->tls = static_cast<gort::TlsBlock*>(t->mem);
  t->tls->self = t->tls;
  void* tp = reinterpret_cast<char*>(t->tls) - gort::kTlsBlockOffset;
  t->fn = fn;
  t->arg = arg;
  gort::atomic::store(&t->running, 1u);
  char* stack = static_cast<char*>(t->mem) + 256;
  return gort::os_newthread(stack, kStack - 256, tp, start, t) == 0;
}

void join(Thread* t) {
  while (uint32_t v = gort::atomic::load(&t->running)) gort::os_futexsleep(&t->running, v, 1000000);
  gort::os_munmap(t->mem, t->size);
}

}  // namespace tap
