// runtime/mgc.cpp — one collection cycle, as Go's gcStart, gcMarkDone and
// gcMarkTermination go, with marking done while the world is stopped:
//
//   Off (sweeping) -> sweep termination -> Mark -> MarkTermination -> Off
//
//   1. the goroutine that found the heap at its goal (or gort::gc) finishes
//      the last cycle's sweep, stops the world and switches to g0;
//   2. every mcache gives its spans back; phase Mark: all Ps' worth of
//      workers mark from the roots in parallel (mgcmark.cpp);
//   3. phase MarkTermination: finalizers of unreachable objects are queued,
//      gccheckmark verifies, the sweep generation moves on, the pacer sets
//      the next goal; phase Off;
//   4. the world starts again; the sweep runs lazily and in the background.
// docs/GC.md says how marking becomes concurrent from here.
#include "mgc.h"

#include "atomic.h"
#include "gort/gort.h"
#include "runtime.h"
#include "runtime2.h"

namespace gort {

uint32_t gcphase = uint32_t(GCPhase::Off);
uint32_t gc_enabled = 0;

namespace {

struct CycleStats {
  uint32_t numgc = 0, numforced = 0;
  uint64_t pause_total = 0;
  uint64_t pause_ns[256] = {}, pause_end[256] = {};
  uint64_t last_gc = 0;   // wall clock ns
  int64_t gc_cpu_ns = 0;  // pauses x GOMAXPROCS, all cycles
};
CycleStats cstats;
RtMutex stats_lock;

uint32_t gc_running = 0;  // a cycle is between its start and its end

// What one cycle measured, for gctrace and MemStats.
struct Cycle {
  bool forced = false;
  int64_t t_start = 0, t_stopped = 0, t_marked = 0, t_done = 0;
  uint64_t live_before = 0, goal_before = 0;
  MarkResult mark;
  int32_t nprocs = 0;
};
Cycle cur;

// GCCPUFraction: the pauses' CPU (x GOMAXPROCS) over all CPU time
// available since the start. stats_lock held.
double cpu_fraction(int64_t now, int32_t nprocs) {
  int64_t elapsed = (now - boot.start_ns) * nprocs;
  return elapsed > 0 ? double(cstats.gc_cpu_ns) / double(elapsed) : 0;
}

void record_and_trace(const Cycle& c) {
  uint64_t pause = uint64_t(c.t_done - c.t_start);
  int64_t sec;
  int32_t nsec;
  os_walltime(&sec, &nsec);
  uint64_t now_wall = uint64_t(sec) * 1000000000 + uint64_t(nsec);
  double frac;
  uint32_t n;
  {
    LockGuard g(&stats_lock);
    n = ++cstats.numgc;
    if (c.forced) cstats.numforced++;
    cstats.pause_total += pause;
    cstats.pause_ns[(n + 255) % 256] = pause;
    cstats.pause_end[(n + 255) % 256] = now_wall;
    cstats.last_gc = now_wall;
    cstats.gc_cpu_ns += int64_t(pause) * c.nprocs;
    frac = cpu_fraction(c.t_done, c.nprocs);
  }
  if (!boot.debug.gctrace) return;
  // Go's line: gc N @T s P%: clock STW sweep term + mark + STW mark term,
  // cpu the same (mark as assist/background/idle), heap at start -> at
  // mark end -> marked, goal, stacks and globals scanned, Ps.
  char a[24], b[24], cc[24], ca[24], cb[24], ccc[24], t[24];
  uint64_t stw1 = uint64_t(c.t_stopped - c.t_start), mark = uint64_t(c.t_marked - c.t_stopped),
           term = uint64_t(c.t_done - c.t_marked);
  fmt_itoa_div(t, uint64_t(c.t_start - boot.start_ns) / 1000000, 3);
  fmt_ns_as_ms(a, stw1);
  fmt_ns_as_ms(b, mark);
  fmt_ns_as_ms(cc, term);
  fmt_ns_as_ms(ca, stw1 * uint64_t(c.nprocs));
  fmt_ns_as_ms(cb, mark * uint64_t(c.mark.nworkers));
  fmt_ns_as_ms(ccc, term * uint64_t(c.nprocs));
  eprint("gc ", n, " @", t, "s ", int64_t(frac * 100), "%: ", a, "+", b, "+", cc, " ms clock, ", ca,
         "+0/", cb, "/0+", ccc, " ms cpu, ", c.live_before >> 20, "->", c.live_before >> 20, "->",
         c.mark.marked_bytes >> 20, " MB, ", c.goal_before >> 20, " MB goal, ",
         c.mark.stack_bytes >> 20, " MB stacks, ", c.mark.global_bytes >> 20, " MB globals, ",
         c.nprocs, " P", c.forced ? " (forced)" : "", "\n");
}

void gc_start(bool forced) {
  if (forced) {
    while (!atomic::cas(&gc_running, 0u, 1u)) gosched();
  } else {
    // The heap is at its goal and another goroutine is starting a cycle:
    // help it finish the last sweep, then wait for it (Go's startSema) and
    // look again. Allocating on instead grew the heap without bound
    // whenever the starter was descheduled before it stopped the world:
    // 2.5x the goal at GOMAXPROCS=2, 2.5 GB past a 16 MB goal at 1.
    if (!atomic::cas(&gc_running, 0u, 1u)) {
      sweep_finish();
      while (!atomic::cas(&gc_running, 0u, 1u)) gosched();
    }
    if (atomic::load(&pacer.heap_live) < atomic::load(&pacer.heap_goal)) {
      atomic::store(&gc_running, 0u);
      return;
    }
  }
  sweep_finish();  // the last cycle's sweep ends before a new mark (Go's finishsweep_m)
  cur = Cycle{};
  cur.forced = forced;
  cur.t_start = os_nanotime();
  stop_the_world();
  cur.t_stopped = os_nanotime();
  mcall(MCall::GC);  // gc_on_g0, with this goroutine's registers saved on its stack
  start_the_world();
  cur.t_done = os_nanotime();
  Cycle c = cur;
  // The sweep's cursor is reset before the next cycle may start: a cycle
  // started in between would find it at the end of the last sweep, take
  // the sweep as finished, and stop the world on unswept spans.
  sweep_start();
  atomic::store(&gc_running, 0u);
  finalizers_wake();
  record_and_trace(c);
  // Memory over the soft limit: give the free pages back now.
  if (atomic::load(&pacer.memlimit) != INT64_MAX) {
    MemStats ms;
    read_mem_stats(&ms);
    if (int64_t(ms.Sys - ms.HeapReleased) > atomic::load(&pacer.memlimit)) free_os_memory();
  }
}

}  // namespace

void gc_on_g0(G* gp) {
  flush_all_mcaches();
  if (!mcentral_all_swept() || !large_all_swept())
    fatal("gc: unswept span at the start of a cycle");
  cur.live_before = atomic::load(&pacer.heap_live);
  cur.goal_before = atomic::load(&pacer.heap_goal);
  cur.nprocs = gomaxprocs;
  atomic::store(&gcphase, uint32_t(GCPhase::Mark));
  gc_mark(gp, &cur.mark);
  cur.t_marked = os_nanotime();
  atomic::store(&gcphase, uint32_t(GCPhase::MarkTermination));
  // Unreachable objects with finalizers are queued, and marked again with
  // what they reach: they live until their finalizer has run.
  cur.mark.marked_bytes += finalizers_queue_unmarked();
  if (boot.debug.gccheckmark) gc_checkmark(gp);
  atomic::store(&mheap_sweepgen, mheap_sweepgen + 2);
  pacer_cycle_done(cur.mark.marked_bytes);
  atomic::store(&gcphase, uint32_t(GCPhase::Off));
}

void gcinit() {
  gc_roots_init();
  pacer_init();
}

// Go starts the background sweeper here; gort starts it with the first
// cycle (sweep_start), so that a program that never collects makes no
// goroutine (nor thread) for it.
void gcenable() { atomic::store(&gc_enabled, 1u); }

void gc_maybe_start() {
  G* gp = getg();
  // Not from g0 or with runtime locks held (Go's gcStart conditions), nor
  // before the collector is enabled.
  if (!atomic::load(&gc_enabled) || gp->locks > 0 || !gp->m || gp == &gp->m->g0) return;
  if (atomic::load(&pacer.heap_live) < atomic::load(&pacer.heap_goal)) return;
  gc_start(false);
}

void gc() {
  gc_start(true);
  sweep_finish();
}

void gc_print_state() {
  static const char* const kPhase[] = {"off", "mark", "mark termination"};
  eprint("gc: cycles=", atomic::load(&cstats.numgc), " phase=", kPhase[atomic::load(&gcphase)],
         " heaplive=", atomic::load(&pacer.heap_live) >> 20,
         "MB goal=", atomic::load(&pacer.heap_goal) >> 20,
         "MB gogc=", atomic::load(&pacer.gcpercent), "\n");
  if (atomic::load(&gcphase) != uint32_t(GCPhase::Off)) gc_print_mark_state();
}

void gc_schedtrace(Printer& p) {
  auto out = [&](auto... v) { (print_arg(p, v), ...); };
  out(" gc=", atomic::load(&cstats.numgc), " heap=", atomic::load(&pacer.heap_live) >> 20,
      "MB goal=", atomic::load(&pacer.heap_goal) >> 20, "MB");
}

// The GC's part of MemStats (mstats.cpp).
void read_gc_stats(MemStats* m) {
  LockGuard g(&stats_lock);
  m->NumGC = cstats.numgc;
  m->NumForcedGC = cstats.numforced;
  m->PauseTotalNs = cstats.pause_total;
  for (int i = 0; i < 256; i++) {
    m->PauseNs[i] = cstats.pause_ns[i];
    m->PauseEnd[i] = cstats.pause_end[i];
  }
  m->LastGC = cstats.last_gc;
  uint64_t goal = atomic::load(&pacer.heap_goal);
  m->NextGC = goal == UINT64_MAX ? 0 : goal;
  m->GCCPUFraction = cpu_fraction(os_nanotime(), gomaxprocs);
  m->EnableGC = true;
}

}  // namespace gort
