// runtime/traceback.h — printing goroutines and their frames (stderr).
#pragma once

#include "runtime.h"

namespace gort {

// The calling goroutine, from its caller's frame.
void traceback_current();
// The goroutine a signal interrupted on this thread, from where it stopped
// (the handler's ucontext); nothing if gp is a g0.
void traceback_interrupted(G* gp, const void* uctx);
// A goroutine that is not running (its saved context says where it stopped).
void traceback_parked(G* gp);
// Every goroutine except me: parked ones with frames, running ones by name.
void tracebackothers(G* me);
G* allgs_head();

}  // namespace gort
