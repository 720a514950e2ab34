// tests/rt/gc_survive.cpp — every kind of root keeps its object alive.
//
// Each case makes a probe (gcutil.h) reachable from exactly one root: (a) a
// parked goroutine's stack, (b) a register of a goroutine preempted in a loop
// without calls, (c) a global, (d) a channel's buffer, (e) a parked sender's
// value, (f) a select's send case, (g) a timer's after_func closure, (h) the
// closure of goroutines not started yet, (i) memory mapped by the program and
// given to add_roots, (j) an interior pointer (into a small and a large
// object). The probe must survive three forced cycles intact, its finalizer
// not run; with GORTDEBUG=gcpoison=1 a probe freed by mistake is visibly
// poisoned. Then the root is dropped and the probe must be freed (its
// finalizer runs): the check can see a loss, and no stale copy of the
// address elsewhere kept it alive in the first part.
#include "chanutil.h"
#include "gcutil.h"
#include "runtime.h"

namespace {

using gctest::check_hidden;
using gctest::check_probe;
using gctest::collected;
using gctest::fin_count;
using gctest::hide;
using gctest::make_probe;
using gctest::on_fresh_goroutine;
using gctest::Probe;
using gort::atomic::load;
using gort::atomic::store;

uintptr_t hidden[gctest::kMaxProbes];
Probe* handoff;  // a temporary root while a goroutine takes a probe over

void cycles(int n = 3) {
  for (int i = 0; i < n; i++) {
    tap::clear_stack();
    gort::gc();
  }
}
// Alive through the cycles: content intact, finalizer not run.
bool survived(uint64_t id) {
  bool intact = check_hidden(hidden[id], id);
  uint32_t fin = fin_count(id);
  if (!intact || fin)
    tap::diag("probe ", id, intact ? " intact" : " corrupt", ", finalizer ran ", fin, " times");
  return intact && fin == 0;
}

// Makes probe id (size bytes) on a goroutine of its own, then hands it to
// put (which stores it in the root under test).
template <typename F>
void make_into(uint64_t id, size_t bytes, F put) {
  on_fresh_goroutine([id, bytes, put] {
    Probe* p = make_probe(id, bytes);
    hidden[id] = hide(p);
    put(p);
  });
}
template <typename F>
void make_into(uint64_t id, F put) {
  make_into(id, 128, put);
}

// The goroutine's probe is handed over through `handoff`; wait until taken.
bool handed_over() {
  return tap::wait_until([] { return load(&handoff) == nullptr; });
}

// ---- (a) a parked goroutine's stack.
__attribute__((noinline)) void hold_on_stack(gort::Chan<bool> release, gort::Chan<bool> result,
                                             uint64_t id) {
  Probe* volatile slot = gort::atomic::xchg(&handoff, static_cast<Probe*>(nullptr));
  release.recv();
  result.send(check_probe(slot, id));
}
void case_stack() {
  const uint64_t id = 1;
  auto release = gort::make_chan<bool>(), result = gort::make_chan<bool>();
  make_into(id, [](Probe* p) { store(&handoff, p); });
  gort::go([release, result] { hold_on_stack(release, result, id); });
  handed_over();
  cycles();
  tap::ok(survived(id), "(a) an object only a parked goroutine's stack points to survives");
  release.send(true);
  tap::ok(result.recv(), "(a) the goroutine finds it intact");
  tap::ok(collected(id), "(a) once the goroutine ends, it is freed");
}

// ---- (b) a register of a goroutine preempted in a loop without calls.
uint32_t spinning, stop_spin;
bool spin_ok;
__attribute__((noinline)) void spin_holding(uint64_t id) {
  // The address exists only in a register from here on: it is rebuilt from
  // its hidden copy, and the loop makes no call that could spill it.
  uintptr_t x = load(&hidden[id]) ^ gctest::kMask;
  store(&spinning, 1u);
  while (!__atomic_load_n(&stop_spin, __ATOMIC_RELAXED)) __asm__ volatile("" : "+r"(x));
  spin_ok = check_probe(reinterpret_cast<Probe*>(x), id);
}
void case_register() {
  const uint64_t id = 2;
  make_into(id, [](Probe* p) { store(&handoff, p); });
  auto done = gort::make_chan<bool>();
  gort::go([done]() mutable {
    spin_holding(id);
    done.send(true);
  });
  // At GOMAXPROCS=1 main runs again only once sysmon preempts the spinner.
  tap::wait_until([] { return load(&spinning) == 1; });
  store(&handoff, static_cast<Probe*>(nullptr));
  cycles();  // each stops the world: the spinner is preempted by a signal
  tap::ok(survived(id), "(b) an object only a preempted goroutine's register points to survives");
  store(&stop_spin, 1u);
  done.recv();
  tap::ok(spin_ok, "(b) the spinner finds it intact in its register");
  tap::ok(collected(id), "(b) once the spinner ends, it is freed");
}

// ---- (c) a global.
Probe* volatile global_root;
void case_global() {
  const uint64_t id = 3;
  make_into(id, [](Probe* p) { global_root = p; });
  cycles();
  tap::ok(survived(id) && hide(global_root) == hidden[id],
          "(c) an object only a global points to survives");
  global_root = nullptr;
  tap::ok(collected(id), "(c) once the global is cleared, it is freed");
}

// ---- (d) a channel's buffer.
gort::Chan<Probe*> buffered;
void case_chan_buffer() {
  const uint64_t id = 4;
  buffered = gort::make_chan<Probe*>(4);
  make_into(id, [](Probe* p) {
    buffered.send(nullptr);  // not at the buffer's start
    buffered.send(p);
  });
  cycles();
  tap::ok(survived(id), "(d) an object only a channel's buffer points to survives");
  bool got = false;
  on_fresh_goroutine([&got] {
    buffered.recv();
    got = hide(buffered.recv()) == hidden[id];
  });
  tap::ok(got, "(d) it is received from the channel");
  tap::ok(collected(id), "(d) once received and dropped, it is freed");
}

// ---- (e) a parked sender's value, (f) a select's send case.
gort::G* parked;
template <typename Send>
void case_parked(uint64_t id, const char* reason, Send send, const char* survive_name,
                 const char* recv_name, const char* freed_name) {
  auto ch = gort::make_chan<Probe*>();
  auto done = gort::make_chan<bool>();
  make_into(id, [](Probe* p) { store(&handoff, p); });
  gort::go([ch, done, send]() mutable {
    store(&parked, gort::getg());
    send(ch, gort::atomic::xchg(&handoff, static_cast<Probe*>(nullptr)));
    done.send(true);
  });
  handed_over();
  bool waiting = chantest::wait_parked(&parked, reason);
  cycles();
  tap::ok(waiting && survived(id), survive_name);
  bool got = false;
  on_fresh_goroutine([&got, ch, id]() mutable { got = hide(ch.recv()) == hidden[id]; });
  done.recv();
  tap::ok(got, recv_name);
  tap::ok(collected(id), freed_name);
}
void case_sender() {
  case_parked(
      5, "chan send", [](gort::Chan<Probe*> ch, Probe* p) { ch.send(p); },
      "(e) an object only a parked sender's value points to survives", "(e) the receiver gets it",
      "(e) once received and dropped, it is freed");
}
void case_select() {
  case_parked(
      6, "select",
      [](gort::Chan<Probe*> ch, Probe* p) {
        auto never = gort::make_chan<int64_t>();
        gort::select(gort::on_recv(never), gort::on_send(ch, p));
      },
      "(f) an object only a blocked select's send case points to survives",
      "(f) the receiver gets it", "(f) once received and dropped, it is freed");
}

// ---- (g) a timer's closure. The Timer handle is kept only hidden (its
// words xor'd): the armed timer is reachable only from its P's timer heap.
static_assert(sizeof(gort::Timer) == 2 * sizeof(uintptr_t), "a Timer is a channel and a timer");
uintptr_t timer_words[2];
gort::Chan<bool> timer_result;
void case_timer() {
  const uint64_t id = 7;
  timer_result = gort::make_chan<bool>(1);
  make_into(id, [](Probe* p) {
    auto res = timer_result;
    gort::Timer t =
        gort::after_func(gort::Hour, [p, res]() mutable { res.send(check_probe(p, id)); });
    uintptr_t w[2];
    __builtin_memcpy(w, &t, sizeof w);
    timer_words[0] = w[0] ^ gctest::kMask;
    timer_words[1] = w[1] ^ gctest::kMask;
  });
  cycles();
  tap::ok(survived(id), "(g) an object only an armed after_func's closure points to survives");
  on_fresh_goroutine([] {
    uintptr_t w[2] = {timer_words[0] ^ gctest::kMask, timer_words[1] ^ gctest::kMask};
    gort::Timer t = __builtin_bit_cast(gort::Timer, w);
    t.reset(0);
  });
  tap::ok(timer_result.recv(), "(g) the closure finds it intact when the timer fires");
  tap::ok(collected(id), "(g) once the timer has fired, it is freed");
}

// ---- (h) closures of goroutines not started yet.
constexpr int kUnstarted = 8;
constexpr uint64_t kFirstUnstarted = 16;
uint32_t unstarted_ran, unstarted_ok;
// Each goroutine holds its object until released: where Ps are idle, they
// start at once.
__attribute__((noinline)) void spawn_unstarted(gort::Chan<bool> release, gort::Chan<bool> done) {
  for (uint64_t k = 0; k < kUnstarted; k++) {
    uint64_t id = kFirstUnstarted + k;
    Probe* p = make_probe(id);
    hidden[id] = hide(p);
    gort::go([p, id, release, done]() mutable {
      gort::atomic::xadd(&unstarted_ran, 1u);
      release.recv();
      if (check_probe(p, id)) gort::atomic::xadd(&unstarted_ok, 1u);
      done.send(true);
    });
  }
}
void case_unstarted() {
  auto release = gort::make_chan<bool>(), done = gort::make_chan<bool>(kUnstarted);
  spawn_unstarted(release, done);  // main does not yield until gc() is called
  cycles();
  tap::diag("(h) ", load(&unstarted_ran), " of ", kUnstarted,
            " goroutines had started by the end of the cycles");
  bool all = true;
  for (uint64_t k = 0; k < kUnstarted; k++) all &= survived(kFirstUnstarted + k);
  tap::ok(all, "(h) objects only new goroutines' closures point to survive");
  release.close();
  for (int k = 0; k < kUnstarted; k++) done.recv();
  tap::ok(load(&unstarted_ok) == kUnstarted, "(h) each goroutine finds its object intact");
  tap::ok(collected(kFirstUnstarted), "(h) once the goroutine ends, it is freed");
}

// ---- (i) memory the program mapped itself, given to add_roots.
void case_add_roots() {
  const uint64_t id = 8;
  const size_t size = 2 * 4096;
  static Probe** region;
  region = static_cast<Probe**>(gort::os_mmap(nullptr, size, gort::kProtRead | gort::kProtWrite));
  gort::add_roots(region, size);
  // The last word: the registered range's end is honoured.
  make_into(id, [](Probe* p) { region[size / sizeof(Probe*) - 1] = p; });
  cycles();
  tap::ok(survived(id), "(i) an object only add_roots memory points to (its last word) survives");
  gort::remove_roots(region);
  tap::ok(collected(id),
          "(i) after remove_roots, it is freed though the memory still points to it");
  gort::os_munmap(region, size);
}

// ---- (j) interior pointers, into a small object and a large one.
// volatile: written and never read, they would be optimized away.
char* volatile small_inner;
char* volatile large_inner;
void case_interior() {
  const uint64_t small = 9, large = 10;
  make_into(small, 128, [](Probe* p) { small_inner = reinterpret_cast<char*>(p) + 120; });
  make_into(large, 1 << 20,
            [](Probe* p) { large_inner = reinterpret_cast<char*>(p) + 700 * 1024; });
  cycles();
  tap::ok(survived(small), "(j) a small object only its last word is pointed to survives");
  tap::ok(survived(large), "(j) a 1 MiB object only a pointer 700 KiB into it points to survives");
  small_inner = nullptr;
  large_inner = nullptr;
  tap::ok(collected(small) && collected(large),
          "(j) once those pointers are cleared, both are freed");
}

}  // namespace

int main(int, char**) {
  tap::plan(28);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now());
  case_stack();
  case_register();
  case_global();
  case_chan_buffer();
  case_sender();
  case_select();
  case_timer();
  case_unstarted();
  case_add_roots();
  case_interior();
  return tap::done();
}
