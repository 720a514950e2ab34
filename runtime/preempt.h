// runtime/preempt.h — async preemption's pieces outside the scheduler's API
// (runtime2.h has preemptone and the SIGURG handler).
#pragma once

#include <stdint.h>

extern "C" {
// Async preemptions the SIGURG handler has started, ever (tests wait on it).
extern uint64_t gort_preempt_count;
}

namespace gort {

// Installs the SIGILL handler that completes a trap return from
// gort_async_preempt (and reports any other SIGILL); called by initsig.
bool preempt_initsig();

}  // namespace gort
