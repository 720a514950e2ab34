// tests/tap/thread.h — OS threads straight from the porting interface, for the
// port conformance tests (the scheduler does not exist at this layer).
#pragma once

#include "port.h"

namespace tap {

struct Thread {
  void* mem = nullptr;  // stack and TLS block in one mapping
  size_t size = 0;
  gort::TlsBlock* tls = nullptr;
  uint32_t running = 0;  // cleared by the kernel-side exit path (os_exitthread)
  void (*fn)(void*) = nullptr;
  void* arg = nullptr;
};

// Starts fn(arg) on a new OS thread with its own stack and TLS block.
bool spawn(Thread* t, void (*fn)(void*), void* arg);
// Waits until the thread has exited and releases its stack.
void join(Thread* t);

}  // namespace tap
