// tests/rt/chanutil.h — helpers shared by the channel and select tests.
#pragma once

#include "atomic.h"
#include "runtime2.h"
#include "strutil.h"
#include "tap.h"

namespace chantest {

// Yields until gp is parked for reason (bounded): the order goroutines
// join a wait queue is then known. False if it never parks.
inline bool wait_parked(gort::G* volatile* slot, const char* reason) {
  for (int i = 0; i < 1000000; i++) {
    gort::G* gp = gort::atomic::load(const_cast<gort::G**>(slot));
    if (gp &&
        gort::atomic::load(reinterpret_cast<uint32_t*>(&gp->status)) ==
            uint32_t(gort::GStatus::Waiting) &&
        gp->waitreason && gort::Str(gp->waitreason) == gort::Str(reason))
      return true;
    gort::gosched();
  }
  return false;
}

// A value that counts its constructions (default, copy, move) and
// destructions: equal at the end means each value was destroyed once.
struct Counted {
  static int64_t made, ended;
  int64_t v = 0;
  bool live = true;  // false once destroyed: a second destruction shows
  Counted() { gort::atomic::xadd(&made, int64_t(1)); }
  explicit Counted(int64_t x) : v(x) { gort::atomic::xadd(&made, int64_t(1)); }
  Counted(const Counted& o) : v(o.v) { gort::atomic::xadd(&made, int64_t(1)); }
  Counted(Counted&& o) : v(o.v) {
    o.v = -1;
    gort::atomic::xadd(&made, int64_t(1));
  }
  Counted& operator=(const Counted& o) = default;
  Counted& operator=(Counted&& o) {
    v = o.v;
    o.v = -1;
    return *this;
  }
  ~Counted() {
    if (!live) gort::fatal("Counted destroyed twice");
    live = false;
    gort::atomic::xadd(&ended, int64_t(1));
  }
};
inline int64_t Counted::made = 0;
inline int64_t Counted::ended = 0;

inline int64_t count_arg(int argc, char** argv, int i, int64_t dflt) {
  int64_t v;
  return argc > i && gort::parse_int(gort::Str(argv[i]), &v) ? v : dflt;
}

}  // namespace chantest
