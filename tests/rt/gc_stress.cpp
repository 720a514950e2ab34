// tests/rt/gc_stress.cpp — a seeded random object graph, mutated by several
// goroutines while collections run, checked object by object.
//
// Each mutator owns a graph hung from its own root array: it allocates
// objects of many size classes (and large ones), links them (often by
// interior pointers), rewires, rewrites and drops them. Every object carries
// its id and a checksum of its fields; a parent records the id of each child
// it points to. A freed-while-reachable object (poisoned by
// GORTDEBUG=gcpoison=1, or reused) breaks a checksum or a child's id. Cycles
// come both from the pacer (a small GOGC) and from gort::gc() calls made while
// the mutators run; each mutator walks and checks its whole graph every few
// hundred operations, and after each round main forces a cycle and checks
// every graph. The run is bounded by a number of completed cycles (NumGC).
//
// Arguments: target cycles (default 60), mutators (4), GOGC (10), seed.
#include "gcutil.h"

namespace {

using gort::atomic::load;
using gort::atomic::xadd;

struct Obj {
  uint64_t id;
  uint64_t sum;   // of every field below but mark and kid
  uint64_t mark;  // the epoch of the last walk that reached it
  uint64_t nwords;
  Obj* kid[4];  // each points kid_off[i] bytes into its child
  uint64_t kid_id[4];
  uint64_t kid_off[4];
  uint64_t words[1];  // nwords of payload
};
constexpr size_t kHeader = sizeof(Obj) - sizeof(uint64_t);
size_t obj_bytes(const Obj* o) { return kHeader + o->nwords * 8; }
Obj* base_of(Obj* kid, uint64_t off) {
  return reinterpret_cast<Obj*>(reinterpret_cast<char*>(kid) - off);
}

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}
uint64_t checksum(const Obj* o) {
  uint64_t h = mix(o->id, o->nwords);
  for (int i = 0; i < 4; i++) h = mix(mix(h, o->kid_id[i]), o->kid_off[i]);
  for (uint64_t i = 0; i < o->nwords; i++) h = mix(h, o->words[i]);
  return h;
}

struct Rng {
  uint64_t s;
  uint64_t next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  uint64_t below(uint64_t n) { return next() % n; }
};

constexpr int kRoots = 64;
constexpr int kMaxMutators = 16;
constexpr int64_t kMaxLive = 4000;  // objects per graph before a root is cut
uint64_t next_id;                   // the last id given
uint64_t failures;
uint64_t walks, objects_checked;

struct Graph {
  Obj** roots;  // kRoots slots, on the heap
  uint64_t epoch;
  Rng rng;
};
Graph graphs[kMaxMutators];

void fail(const char* what, const Obj* o) {
  if (xadd(&failures, uint64_t(1)) <= 10)
    tap::diag("corrupt object at ", static_cast<const void*>(o), ": ", what, " (id field ",
              o ? o->id : 0, ")");
}

// Walks g's graph and checks every object: returns how many it reached.
int64_t check_graph(Graph& g) {
  uint64_t epoch = ++g.epoch;
  int64_t n = 0, cap = 1024, top = 0;
  Obj** stack = gort::make_array<Obj*>(size_t(cap));
  auto push = [&](Obj* o) {
    if (o->mark == epoch) return;
    o->mark = epoch;
    if (top == cap) {
      Obj** bigger = gort::make_array<Obj*>(size_t(cap * 2));
      for (int64_t i = 0; i < top; i++) bigger[i] = stack[i];
      stack = bigger;
      cap *= 2;
    }
    stack[top++] = o;
  };
  for (int r = 0; r < kRoots; r++)
    if (g.roots[r]) push(g.roots[r]);
  uint64_t max_id = load(&next_id);
  while (top > 0) {
    Obj* o = stack[--top];
    n++;
    if (o->id == 0 || o->id > max_id) {
      fail("id out of range", o);
      continue;
    }
    if (checksum(o) != o->sum) {
      fail("checksum", o);
      continue;
    }
    for (int i = 0; i < 4; i++) {
      if (!o->kid[i]) continue;
      Obj* k = base_of(o->kid[i], o->kid_off[i]);
      if (k->id != o->kid_id[i] || o->kid_off[i] >= obj_bytes(k)) {
        fail("a child is not the object its parent recorded", k);
        continue;
      }
      push(k);
    }
  }
  xadd(&walks, uint64_t(1));
  xadd(&objects_checked, uint64_t(n));
  return n;
}

// A random object reachable from g's roots, or null.
Obj* random_object(Graph& g) {
  Obj* o = g.roots[g.rng.below(kRoots)];
  for (uint64_t steps = g.rng.below(8); o && steps > 0; steps--) {
    int i = int(g.rng.below(4));
    if (!o->kid[i]) break;
    o = base_of(o->kid[i], o->kid_off[i]);
  }
  return o;
}

void link(Graph& g, Obj* parent, int i, Obj* child) {
  if (!child) {
    parent->kid[i] = nullptr;
    parent->kid_id[i] = parent->kid_off[i] = 0;
  } else {
    uint64_t off = g.rng.below(obj_bytes(child) / 8) * 8;  // any aligned word
    parent->kid[i] = reinterpret_cast<Obj*>(reinterpret_cast<char*>(child) + off);
    parent->kid_id[i] = child->id;
    parent->kid_off[i] = off;
  }
  parent->sum = checksum(parent);
}

Obj* new_object(Graph& g) {
  uint64_t r = g.rng.below(1024), nwords;
  if (r < 2)
    nwords = 4096 + g.rng.below(8192);  // large objects (32 KiB and up)
  else if (r < 40)
    nwords = 64 + g.rng.below(1024);
  else
    nwords = g.rng.below(40);
  auto* o = static_cast<Obj*>(gort::alloc(kHeader + nwords * 8, false));
  o->id = xadd(&next_id, uint64_t(1));
  o->nwords = nwords;
  for (uint64_t i = 0; i < nwords; i++) o->words[i] = g.rng.next();
  for (int i = 0; i < 4; i++)
    if (g.rng.below(3) == 0) link(g, o, i, random_object(g));
  o->sum = checksum(o);
  return o;
}

void mutate(Graph& g, int64_t ops, int64_t check_every) {
  for (int64_t op = 1; op <= ops; op++) {
    uint64_t r = g.rng.below(100);
    if (r < 45) {  // a new object, hung from a root or from another object
      Obj* o = new_object(g);
      Obj* parent = g.rng.below(4) == 0 ? nullptr : random_object(g);
      if (parent)
        link(g, parent, int(g.rng.below(4)), o);
      else
        g.roots[g.rng.below(kRoots)] = o;
    } else if (r < 75) {  // rewire: may drop a subgraph, or make a cycle
      if (Obj* o = random_object(g))
        link(g, o, int(g.rng.below(4)), g.rng.below(3) ? random_object(g) : nullptr);
    } else if (r < 95) {  // rewrite the payload
      Obj* o = random_object(g);
      if (o && o->nwords) {
        o->words[g.rng.below(o->nwords)] = g.rng.next();
        o->sum = checksum(o);
      }
    } else {
      g.roots[g.rng.below(kRoots)] = nullptr;
    }
    if (op % check_every == 0 && check_graph(g) > kMaxLive) g.roots[g.rng.below(kRoots)] = nullptr;
  }
}

}  // namespace

int main(int argc, char** argv) {
  int64_t target = gctest::int_arg(argc, argv, 1, 60);
  int nmut = int(gctest::int_arg(argc, argv, 2, 4));
  int64_t gogc = gctest::int_arg(argc, argv, 3, 10);
  uint64_t seed = uint64_t(gctest::int_arg(argc, argv, 4, 20261126));
  if (nmut < 1) nmut = 1;
  if (nmut > kMaxMutators) nmut = kMaxMutators;
  tap::plan(5);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now(), " mutators=", nmut, " GOGC=", gogc,
            " seed=", seed, " target cycles=", target);
  gort::set_gc_percent(int32_t(gogc));
  for (int m = 0; m < nmut; m++) {
    graphs[m].roots = gort::make_array<Obj*>(kRoots);
    graphs[m].rng.s = seed * 0x9e3779b97f4a7c15ull + uint64_t(m) * 0xbf58476d1ce4e5b9ull + 1;
  }
  gort::MemStats ms;
  gort::read_mem_stats(&ms);
  uint32_t gc0 = ms.NumGC, forced0 = ms.NumForcedGC;
  int64_t rounds = 0, forced_during = 0, main_checks = 0;
  // Bounded by cycles; the round limit only keeps a collector that never
  // runs from looping forever (the NumGC check below then fails).
  while (ms.NumGC - gc0 < target && rounds < 10000) {
    rounds++;
    gort::WaitGroup wg;
    uint32_t running = uint32_t(nmut);
    for (int m = 0; m < nmut; m++) {
      wg.add(1);
      gort::go([m, &wg, &running] {
        mutate(graphs[m], 2000, 500);
        gort::atomic::xadd(&running, uint32_t(-1));
        wg.done();
      });
    }
    // Forced cycles while the mutators run (a few per round: at GOMAXPROCS=1
    // each one also lets the mutators on).
    for (int i = 0; i < 3 && load(&running) != 0; i++) {
      gort::gc();
      forced_during++;
      gort::gosched();
    }
    wg.wait();
    gort::gc();
    for (int m = 0; m < nmut; m++) check_graph(graphs[m]);
    main_checks++;
    gort::read_mem_stats(&ms);
  }
  uint32_t cycles = ms.NumGC - gc0, forced = ms.NumForcedGC - forced0;
  tap::diag(rounds, " rounds, ", cycles, " cycles (", forced, " forced, ", forced_during,
            " of them while mutators ran), ", load(&walks), " walks checked ",
            load(&objects_checked), " objects; ", load(&next_id), " objects allocated; HeapInuse ",
            ms.HeapInuse >> 20, " MiB");
  tap::ok(load(&failures) == 0, "every object reachable after every cycle is intact");
  tap::ok(cycles >= target, "the run completed the target number of cycles");
  tap::ok(cycles > forced, "the pacer started cycles of its own (small GOGC)");
  tap::ok(forced_during > 0 && main_checks == rounds,
          "cycles were forced while mutators ran, and every graph was checked after each round");
  // The live graphs are bounded (kMaxLive objects each, a few large):
  // reclaiming must keep the heap near them.
  tap::ok(ms.HeapInuse < (uint64_t(256) << 20), "the heap stays bounded");
  return tap::done();
}
