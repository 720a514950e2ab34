// tests/rt/sched.cpp — goroutines on G/M/P: 1,000,000 spawned and joined;
// 100,000 parked at once then all woken (none lost, none run twice); work
// stealing spreads work spawned by one goroutine over every P; gosched lets
// others run. Run under several GOMAXPROCS values (tests/meson.build).
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {

using gort::WaitGroup;

int64_t count_arg(int argc, char** argv, int64_t dflt) {
  int64_t v;
  return argc > 1 && gort::parse_int(gort::Str(argv[1]), &v) ? v : dflt;
}

// ---- 100,000 parked, then all woken
constexpr int kParked = 100000;
gort::RtMutex park_lock;
gort::G** parked;
int nparked;
uint8_t* runs;  // per goroutine: times it ran past its park

}  // namespace

int main(int argc, char** argv) {
  tap::plan(7);
  int64_t nspawn = count_arg(argc, argv, 1000000);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now(), " spawning ", nspawn);

  // 1. spawn and join
  {
    WaitGroup wg;
    int64_t ran = 0;
    wg.add(nspawn);
    for (int64_t i = 0; i < nspawn; i++)
      gort::go([&wg, &ran] {
        gort::atomic::xadd(&ran, int64_t(1));
        wg.done();
      });
    wg.wait();
    tap::ok(ran == nspawn, "every spawned goroutine ran once and was joined");
  }
  int64_t live = tap::settle_goroutines(1);
  tap::ok(live == 1, "num_goroutine is back to 1 once they all exit");

  // 2. park 100k at once, wake them all
  {
    parked = gort::make_array<gort::G*>(kParked);
    runs = gort::make_array<uint8_t>(kParked);
    WaitGroup all_parked, all_done;
    all_parked.add(kParked);
    all_done.add(kParked);
    for (int i = 0; i < kParked; i++)
      gort::go([i, &all_parked, &all_done] {
        gort::lock(&park_lock);
        parked[nparked++] = gort::getg();
        all_parked.done();
        gort::goparkunlock(&park_lock, "test park");
        runs[i]++;
        all_done.done();
      });
    all_parked.wait();
    // Every goroutine is parked (or on its way into gopark, holding park_lock).
    gort::lock(&park_lock);
    int n = nparked;
    gort::unlock(&park_lock);
    bool all_waiting = true;
    for (int i = 0; i < n && all_waiting; i++) {
      // A goroutine counted itself before parking; wait (boundedly) until it has parked.
      int yields = 0;
      while (gort::atomic::load(reinterpret_cast<uint32_t*>(&parked[i]->status)) !=
                 uint32_t(gort::GStatus::Waiting) &&
             ++yields < 100000)
        gort::gosched();
      all_waiting = yields < 100000;
    }
    tap::ok(n == kParked && all_waiting, "100,000 goroutines are parked at once");
    for (int i = 0; i < n; i++) gort::goready(parked[i]);
    all_done.wait();
    bool once = true;
    for (int i = 0; i < kParked; i++) once &= runs[i] == 1;
    tap::ok(once, "all woken: none lost, none run twice");
  }

  // 3. work stealing: everything spawned from this one goroutine
  {
    uint64_t before[gort::kMaxProcs];
    for (int i = 0; i < gort::gomaxprocs_now(); i++) before[i] = gort::allp[i]->nrun;
    // With more Ps than cores, or a loaded machine, the OS may be slow to run
    // the other Ms: spawn rounds of work until they have joined in (bounded).
    int want = gort::gomaxprocs_now() <= 2 ? gort::gomaxprocs_now() : 2;
    int busy = 0;
    for (int round = 0; round < 50 && busy < want; round++) {
      WaitGroup wg;
      const int n = 2000;
      wg.add(n);
      for (int i = 0; i < n; i++)
        gort::go([&wg] {
          volatile uint64_t x = 0;
          for (int k = 0; k < 20000; k++) x = x + k;  // work, no yield
          wg.done();
        });
      wg.wait();
      busy = 0;
      for (int i = 0; i < gort::gomaxprocs_now(); i++) busy += gort::allp[i]->nrun > before[i] + 10;
    }
    tap::diag("Ps that ran goroutines: ", busy, " of ", gort::gomaxprocs_now());
    tap::ok(busy >= want, "Ps other than the spawner's ran its goroutines (work stealing)");
  }

  // 4. gosched lets another goroutine run, even on one P
  {
    uint32_t flag = 0;
    gort::go([&flag] { gort::atomic::store(&flag, 1u); });
    int yields = 0;
    while (!gort::atomic::load(&flag) && yields < 100000) {
      gort::gosched();
      yields++;
    }
    tap::ok(gort::atomic::load(&flag) == 1, "gosched lets a runnable goroutine run");
  }

  // 5. goexit ends a goroutine where it stands
  {
    WaitGroup wg;
    int after = 0;
    wg.add(1);
    gort::go([&wg, &after] {
      wg.done();
      gort::goexit();
      after = 1;
    });
    wg.wait();
    for (int i = 0; i < 100; i++) gort::gosched();
    tap::ok(after == 0, "goexit ends the calling goroutine");
  }
  return tap::done();
}
