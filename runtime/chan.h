// runtime/chan.h — the channel's data (Go's hchan, waitq) and what chan.cpp
// shares with select.cpp. See docs/ARCHITECTURE.md, "Channels and select".
#pragma once

#include "gort/chan.h"
#include "lock.h"
#include "runtime2.h"

namespace gort {

using detail::ChanType;
using detail::hchan;

// Goroutines waiting on one side of a channel, oldest first.
struct WaitQ {
  Sudog* first = nullptr;
  Sudog* last = nullptr;
  void enqueue(Sudog* sg);
  // The oldest waiter that may still take the value: a select's sudog is
  // skipped (and unlinked) when another of its cases already won.
  Sudog* dequeue();
  // Unlinks sg if it is still queued (a select cleaning up its losers).
  void remove(Sudog* sg);
};

}  // namespace gort

namespace gort::detail {

// One allocation: this header, then the ring buffer (dataqsiz elements) at
// the next multiple of the element's alignment.
struct hchan {
  uint64_t qcount = 0;    // values in the buffer
  uint64_t dataqsiz = 0;  // its size (the channel's cap)
  char* buf = nullptr;
  const ChanType* t = nullptr;
  uint64_t sendx = 0;  // next slot a send fills
  uint64_t recvx = 0;  // next slot a receive takes
  WaitQ recvq;
  WaitQ sendq;
  uint32_t closed = 0;
  RtMutex lock;  // guards everything above; never held across a park
};

}  // namespace gort::detail

namespace gort {

inline void* chanbuf(hchan* c, uint64_t i) { return c->buf + i * c->t->size; }

// Element moves by the channel's type: move constructs, relocate constructs
// and ends the source (a buffer slot).
inline void elem_move(const ChanType* t, void* dst, void* src) {
  if (t->trivial)
    __builtin_memcpy(dst, src, t->size);
  else
    t->move(dst, src);
}
inline void elem_destroy(const ChanType* t, void* p) {
  if (!t->trivial) t->destroy(p);
}
inline void elem_relocate(const ChanType* t, void* dst, void* src) {
  elem_move(t, dst, src);
  elem_destroy(t, src);
}

// With c->lock held, hands a value to a waiting receiver sg (Go's send) or
// takes one from a waiting sender (Go's recv); the caller unlocks and then
// readies the goroutine returned.
G* send_direct(hchan* c, Sudog* sg, void* ep);
G* recv_direct(hchan* c, Sudog* sg, void* ep);
// Buffer operations, c->lock held, room/values known to be there.
void buf_put(hchan* c, void* ep);
void buf_take(hchan* c, void* ep);
// A blocking op on g0 could never wake the scheduler again.
void chan_throw_on_g0(const char* what);

}  // namespace gort
