// tests/rt/gc_finalizer.cpp — finalizers run exactly once, and only for
// objects nobody reaches (Go's runtime.SetFinalizer).
//
// 400 probes with finalizers, every other one kept reachable: the others'
// finalizers run once each, the kept ones' never, even after more cycles.
// A cleared finalizer (set_finalizer(p, nullptr)) never runs. A finalizer
// that resurrects its object (stores it in a global) finds it and what it
// points to intact; dropped again, the object is freed without a second run.
#include "gcutil.h"

namespace {

using gctest::fin_count;
using gctest::make_probe;
using gctest::on_fresh_goroutine;
using gctest::Probe;
using gort::atomic::load;

constexpr int kProbes = 400;
Probe** kept;  // heap array: the even probes

// Makes probe id unreachable and forces cycles until its finalizer ran:
// whatever an earlier cycle queued for the finalizer goroutine has run too.
bool sentinel(uint64_t id) {
  on_fresh_goroutine([id] { make_probe(id); });
  return gctest::collected(id);
}

bool count_is(int first, int n, int step, uint32_t want) {
  for (int i = first; i < n; i += step)
    if (fin_count(uint64_t(i)) != want) return false;
  return true;
}
int64_t ran(int first, int n, int step) {
  int64_t c = 0;
  for (int i = first; i < n; i += step) c += fin_count(uint64_t(i)) != 0;
  return c;
}

void half_kept() {
  on_fresh_goroutine([] {
    kept = gort::make_array<Probe*>(kProbes);
    for (int i = 0; i < kProbes; i++) {
      Probe* p = make_probe(uint64_t(i));
      if (i % 2 == 0) kept[i] = p;
    }
  });
  // The odd ones are unreachable now: a few cycles (the finalizer goroutine
  // runs between them) must run each of their finalizers.
  for (int c = 0; c < 10 && ran(1, kProbes, 2) < kProbes / 2; c++) {
    tap::clear_stack();
    gort::gc();
    tap::wait_until([] { return ran(1, kProbes, 2) == kProbes / 2; }, gctest::kFinalizerNaps);
  }
  tap::diag(ran(1, kProbes, 2), " of ", kProbes / 2, " unreachable objects finalized");
  tap::ok(count_is(1, kProbes, 2, 1), "each unreachable object's finalizer ran, once");
  tap::ok(count_is(0, kProbes, 2, 0), "no reachable object's finalizer ran");
  for (int c = 0; c < 3; c++) gort::gc();
  tap::ok(sentinel(650) && count_is(1, kProbes, 2, 1) && count_is(0, kProbes, 2, 0),
          "more cycles run no finalizer again, and none for the reachable ones");
  bool intact = true;
  for (int i = 0; i < kProbes; i += 2) intact &= gctest::check_probe(kept[i], uint64_t(i));
  tap::ok(intact, "the reachable objects are intact");
}

// Probes 500..599 have their finalizer cleared; 600 keeps its own, so that
// once it ran the cycle that freed the others is known to be over.
void cleared() {
  on_fresh_goroutine([] {
    for (int i = 500; i < 600; i++) gort::set_finalizer(make_probe(uint64_t(i)), nullptr);
    make_probe(600);
  });
  bool flushed = gctest::collected(600) && sentinel(601);
  tap::ok(flushed && fin_count(600) == 1 && ran(500, 600, 1) == 0,
          "a cleared finalizer never runs (while a set one does)");
}

// A finalizer that resurrects its object and checks what it points to.
struct Holder {
  uint64_t magic;
  Probe* child;  // reachable only through the holder
};
Holder* resurrected;
uint32_t holder_runs;
bool child_ok_in_finalizer;
void resurrect() {
  on_fresh_goroutine([] {
    Holder* h = gort::make<Holder>();
    h->magic = 0x686f6c646572ull;
    h->child = make_probe(700, 4096, false);
    gort::set_finalizer(h, [](Holder* x) {
      child_ok_in_finalizer = x->magic == 0x686f6c646572ull && gctest::check_probe(x->child, 700);
      resurrected = x;
      gort::atomic::xadd(&holder_runs, 1u);
    });
  });
  for (int c = 0; c < 10 && load(&holder_runs) == 0; c++) {
    tap::clear_stack();
    gort::gc();
    tap::wait_until([] { return load(&holder_runs) != 0; }, gctest::kFinalizerNaps);
  }
  tap::ok(load(&holder_runs) == 1 && child_ok_in_finalizer,
          "the finalizer ran once and found its object and what it points to intact");
  for (int c = 0; c < 3; c++) gort::gc();
  tap::ok(resurrected && resurrected->magic == 0x686f6c646572ull &&
              gctest::check_probe(resurrected->child, 700),
          "the resurrected object stays intact through more cycles");
  // Dropped again, it is freed with no second run: sentinel probes'
  // finalizers show the cycles that freed it were finalized.
  resurrected = nullptr;
  bool flushed = sentinel(701) && sentinel(702);
  tap::ok(flushed && load(&holder_runs) == 1,
          "dropped again, its finalizer does not run a second time");
}

}  // namespace

int main(int, char**) {
  tap::plan(8);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now());
  half_kept();
  cleared();
  resurrect();
  return tap::done();
}
