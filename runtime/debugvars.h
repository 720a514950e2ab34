// runtime/debugvars.h — GORTDEBUG, gort's GODEBUG: "key=value,key=value".
//
// Every key here does real work; later subsystems add theirs to the table in
// debugvars.cpp. An unknown key or a malformed value is reported through the
// warn callback and skipped; parsing goes on (as Go does with GODEBUG).
#pragma once

#include <stdint.h>

#include "strutil.h"

namespace gort {

struct DebugVars {
  int64_t inittrace = 0;     // 1: print one line per boot stage (see ARCHITECTURE.md)
  int64_t stackguards = -1;  // guard-page budget for goroutine stacks; -1: vm.max_map_count / 4
  int64_t schedtrace = 0;    // N: a SCHED line on stderr every N ms (sysmon)
  int64_t gctrace = 0;       // 1: Go's gctrace line on stderr per GC cycle (docs/GC.md)
  int64_t gcpoison = 0;      // 1: the sweep fills freed objects with a poison pattern
  int64_t gccheckmark = 0;   // 1: re-mark after each cycle; die if anything was missed
  int64_t pagesize = 0;      // N: act as if the OS's pages were N bytes (tests; docs/PORTING.md)
};

using DebugWarn = void (*)(void* ctx, Str item, const char* why);

void parse_debugvars(Str s, DebugVars* dv, DebugWarn warn, void* ctx);

}  // namespace gort
