// runtime/waitgroup.h — a WaitGroup on gopark/goready, for the runtime's
// tests and benchmarks until the sync package arrives with channels.
#pragma once

#include "lock.h"
#include "runtime2.h"

namespace gort {

class WaitGroup {
 public:
  void add(int64_t d) {
    lock(&lock_);
    n_ += d;
    if (n_ < 0) fatal("sync: negative WaitGroup counter");
    G* w = n_ == 0 ? waiter_ : nullptr;
    if (w) waiter_ = nullptr;
    unlock(&lock_);
    if (w) goready(w);
  }
  void done() { add(-1); }
  // One waiter at a time.
  void wait() {
    lock(&lock_);
    if (n_ == 0) return unlock(&lock_);
    waiter_ = getg();
    goparkunlock(&lock_, "sync.WaitGroup.Wait");
  }

 private:
  RtMutex lock_;
  int64_t n_ = 0;
  G* waiter_ = nullptr;
};

}  // namespace gort
