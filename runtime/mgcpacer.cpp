// runtime/mgcpacer.cpp — when the next cycle starts (Go's mgcpacer.go, for a
// collector that marks with the world stopped): when the heap reaches
// live x (1 + GOGC/100), at least 4 MiB x GOGC/100, and below the soft
// memory limit (GOMEMLIMIT) less what stacks and runtime metadata take.
#include "atomic.h"
#include "gort/gort.h"
#include "mgc.h"
#include "runtime.h"

namespace gort {

Pacer pacer;
uint32_t gc_trigger_hit = 0;

namespace {
constexpr uint64_t kHeapMinimum = 4 << 20;

void warn_env(const char* name, const char* v) {
  eprint("runtime: ", name, "=", v, " is not a valid value; using the default\n");
}
}  // namespace

void pacer_init() {
  // Set but empty is unset, as Go's gogetenv makes it (no warning).
  if (const char* v = getenv("GOGC"); v && *v && !parse_gogc(Str(v), &pacer.gcpercent))
    warn_env("GOGC", v);
  if (const char* v = getenv("GOMEMLIMIT"); v && *v && !parse_memlimit(Str(v), &pacer.memlimit))
    warn_env("GOMEMLIMIT", v);
  pacer_update_goal();
}

void pacer_update_goal() {
  int32_t pct = atomic::load(&pacer.gcpercent);
  int64_t limit = atomic::load(&pacer.memlimit);
  uint64_t marked = pacer.heap_marked;
  uint64_t goal = UINT64_MAX;
  if (pct >= 0) {
    goal = marked + (marked > (uint64_t(1) << 40) ? marked / 100 * uint64_t(pct)
                                                  : marked * uint64_t(pct) / 100);
    uint64_t min = kHeapMinimum * uint64_t(pct) / 100;
    if (goal < min) goal = min;
  }
  if (limit != INT64_MAX) {
    // What the limit leaves the heap: less the stacks in use (whole slots:
    // StackSys is reserved address space, not memory) and metadata, and 3%
    // headroom (Go's memoryLimitHeapGoalHeadroomPercent); never below the
    // live heap plus a little, or the collector would run on every span.
    int64_t other =
        int64_t(atomic::load(&heapstats.stack_inuse) + atomic::load(&heapstats.meta_sys));
    int64_t room = limit - other - limit / 100 * 3;
    uint64_t floor = marked + (256 << 10);
    uint64_t lgoal = room > int64_t(floor) ? uint64_t(room) : floor;
    if (lgoal < goal) goal = lgoal;
  }
  atomic::store(&pacer.heap_goal, goal);
  atomic::store(&gc_trigger_hit, uint32_t(atomic::load(&pacer.heap_live) >= goal));
}

void pacer_heap_live_add(int64_t delta) {
  uint64_t live = atomic::xadd(&pacer.heap_live, uint64_t(delta));
  if (delta > 0 && live >= atomic::load_relaxed(&pacer.heap_goal))
    atomic::store_relaxed(&gc_trigger_hit, 1u);
}

void pacer_cycle_done(uint64_t marked) {
  pacer.heap_marked = marked;
  atomic::store(&pacer.heap_live, marked);
  pacer_update_goal();
}

int32_t set_gc_percent(int32_t percent) {
  int32_t old = atomic::xchg(&pacer.gcpercent, percent < 0 ? -1 : percent);
  pacer_update_goal();
  if (atomic::load(&gc_trigger_hit)) gc_maybe_start();  // Go's SetGCPercent may start one
  return old;
}

int64_t set_memory_limit(int64_t limit) {
  if (limit < 0) return atomic::load(&pacer.memlimit);
  int64_t old = atomic::xchg(&pacer.memlimit, limit);
  pacer_update_goal();
  if (atomic::load(&gc_trigger_hit)) gc_maybe_start();
  return old;
}

}  // namespace gort
