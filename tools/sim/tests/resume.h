// gort-sim unit tests: what the machine's run loop does when a blocked
// thread runs again (machine.cpp): its wait's on_resume finishes, restarts
// or renews the system call. The OS-model tests call it to step a call
// through its wait without running guest code.
#pragma once
#include <catch2/catch.hpp>

#include "../sim.h"

namespace sim {
inline void resume_current(Machine& m) {
  Thread& t = m.current();
  REQUIRE(t.state == ThreadState::runnable);
  auto f = std::move(t.on_resume);
  t.on_resume = nullptr;
  REQUIRE(f);
  f(t);
}
}  // namespace sim
