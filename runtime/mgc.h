// runtime/mgc.h — the garbage collector's internal API (docs/GC.md).
//
//   mgc.cpp        the cycle: Go's state machine, stop the world, stats, gctrace
//   mgcmark.cpp    roots and the parallel marker (work buffers, termination)
//   mgcsweep.cpp   the sweep: span by span, lazily and in the background
//   mgcpacer.cpp   GOGC, GOMEMLIMIT and the heap goal
//   mfinal.cpp     finalizers and their goroutine
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "malloc.h"
#include "strutil.h"

namespace gort {

struct G;
struct MemStats;
class Printer;

// Go's gcphase. Off covers the sweep: it runs while mutators run.
enum class GCPhase : uint32_t { Off, Mark, MarkTermination };
extern uint32_t gcphase;
extern uint32_t mheap_sweepgen;  // + 2 per cycle (mgcsweep.cpp)

// ---- mgc.cpp
void gcinit();    // boot stage "gcinit": GOGC, GOMEMLIMIT, the data roots
void gcenable();  // boot stage "gcenable": the background sweeper
// Called by mallocgc after an allocation that took new memory: starts a
// cycle if the heap has reached its goal and the caller may run one.
void gc_maybe_start();
// On g0 (execute's MCall::GC): the stopped-world part of a cycle, for gp.
void gc_on_g0(G* gp);
extern uint32_t gc_trigger_hit;
extern uint32_t gc_enabled;  // gcenable has run: allocation needs a P from now on  // heap_live
                             // reached the goal (a cheap test for mallocgc)
// A line for SIGQUIT dumps: cycles, phase, heap, goal; and schedtrace's
// fields (gc=N heap=..MB goal=..MB).
void gc_print_state();
void gc_schedtrace(Printer& p);

// ---- mgcpacer.cpp
struct Pacer {
  int32_t gcpercent = 100;       // GOGC; < 0: off
  int64_t memlimit = INT64_MAX;  // GOMEMLIMIT, bytes
  uint64_t heap_live = 0;        // bytes allocated or in cached spans since the last mark
  uint64_t heap_marked = 0;      // bytes marked by the last cycle
  uint64_t heap_goal = 4 << 20;  // the next cycle starts when heap_live reaches it
};
extern Pacer pacer;
void pacer_init();  // reads GOGC and GOMEMLIMIT; a bad value warns and keeps the default
void pacer_heap_live_add(int64_t delta);
void pacer_cycle_done(uint64_t marked);  // sets heap_marked, heap_live and the next goal
void pacer_update_goal();
// Go's value syntax, for the environment and the unit tests: GOGC is an
// integer or "off" (-1); GOMEMLIMIT a byte count with an optional B, KiB,
// MiB, GiB or TiB suffix, or "off" (INT64_MAX).
bool parse_gogc(Str s, int32_t* out);
bool parse_memlimit(Str s, int64_t* out);
// Go's gctrace number formats: n / 10^dec with dec decimals, and a
// duration in ms with two significant digits below 10 ms (fmtNSAsMS).
// Both write into buf (at least 24 bytes) and return its length.
size_t fmt_itoa_div(char* buf, uint64_t n, int dec);
size_t fmt_ns_as_ms(char* buf, uint64_t ns);

// ---- mgcmark.cpp (world stopped, on g0)
struct MarkResult {
  uint64_t marked_bytes = 0;  // bytes of the objects marked
  uint64_t stack_bytes = 0;   // goroutine stack bytes scanned
  uint64_t global_bytes = 0;  // data, bss and add_roots bytes scanned
  int nworkers = 0;
};
// Marks everything reachable from the roots with every P's worth of
// workers; gc_g is the goroutine that stopped the world (its context is
// saved like a parked one's).
void gc_mark(G* gc_g, MarkResult* r);
// Marks obj (any pointer into an object) and what it reaches, on the
// calling thread (finalizer queueing at mark termination).
uint64_t gc_mark_from(uintptr_t obj);  // returns the bytes it marked
bool gc_is_marked(uintptr_t obj);
void gc_print_mark_state();  // workers, waiting, full buffers, root jobs (SIGQUIT)
// gccheckmark: marks the world again, alone, with separate bits, and dies
// if it reaches an object the real mark left unmarked.
void gc_checkmark(G* gc_g);
void gc_roots_init();  // the program's writable segments (gcinit)
// The i-th data root (mgcroots.cpp): 1 for a writable segment, 2 for an
// add_roots range, 0 past the last. World stopped.
int gc_data_roots(uintptr_t* lo, uintptr_t* hi, int i);

// ---- mgcsweep.cpp
// Sweeps one span if any waits; returns its pages, 0 when the sweep is done.
uintptr_t sweepone();
// Sweeps s (taken off its lists, sweepgen - 1): frees dead objects; returns
// true if it keeps at least one free object. keep: the caller caches a span
// that has room (not filed); else it is filed or freed.
bool sweep_span(MSpan* s, bool keep);
void sweep_finish();  // sweeps until nothing waits
void sweep_start();   // after the flip: wakes (first: starts) the background sweeper
// Proportional sweep before the heap grows by npages (Go's deductSweepCredit).
void sweep_credit(uintptr_t npages);
void large_span_add(MSpan* s);  // a new large object's span (swept)
bool large_all_swept();

// ---- mfinal.cpp
// Go's markrootSpans: the contents of every object with a finalizer are
// scanned (not the object: else it would never be found unreachable).
void finalizers_scan_objects(void (*scan)(uintptr_t b, uintptr_t n, void* ctx), void* ctx);
// At mark termination: every finalizer whose object is unmarked is queued
// and its object marked again (it lives until the finalizer has run).
// Returns the bytes that marked.
uint64_t finalizers_queue_unmarked();
void finalizers_wake();           // after the world restarts: run the queued ones
void read_gc_stats(MemStats* m);  // mgc.cpp: MemStats' GC fields

}  // namespace gort
