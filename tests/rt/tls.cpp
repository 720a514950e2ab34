// tests/rt/tls.cpp — C++ thread_local is per M (OS thread): every M starts
// with the initial values (.tdata) and zeroes (.tbss) at alignments 8, 64
// and 4096, writes on one M are not seen on another, writing a whole
// thread_local array leaves the runtime's own per-thread state intact, and
// thread_local destructors run when their thread ends.
#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {

thread_local int64_t counter = 5;
alignas(64) thread_local int64_t line[8] = {64, 1, 2, 3, 4, 5, 6, 7};
alignas(4096) thread_local unsigned char page[3 * 4096 + 100] = {7, 8, 9};
thread_local int64_t zero8;
alignas(64) thread_local int64_t zero64[8];
alignas(4096) thread_local unsigned char zpage[64 * 1024];

uint32_t dtors_run;
struct WithDtor {
  int64_t v = 11;  // dynamic initialisation on first use on each M
  WithDtor() { v = counter * 2 + 1; }
  // Counted only while the thread still has its M (a thread pointer): a
  // destructor run after os_exitthread let the M go (Darwin's libSystem
  // ran them in pthread_exit) is not.
  ~WithDtor() {
    if (gort::port_gettp()) gort::atomic::xadd(&dtors_run, 1u);
  }
};
thread_local WithDtor obj;

gort::M* current_m() { return static_cast<gort::M*>(gort::gettls()->m); }

// The values every M starts with; a failure names the first bad variable.
const char* check_initial() {
  if (counter != 5) return "counter";
  for (int i = 0; i < 8; i++)
    if (line[i] != (i ? i : 64)) return "line";
  if (page[0] != 7 || page[1] != 8 || page[2] != 9) return "page head";
  for (size_t i = 3; i < sizeof page; i++)
    if (page[i]) return "page tail";
  if (zero8) return "zero8";
  for (int64_t v : zero64)
    if (v) return "zero64";
  for (unsigned char c : zpage)
    if (c) return "zpage";
  return nullptr;
}
bool aligned() {
  return uintptr_t(&counter) % 8 == 0 && uintptr_t(line) % 64 == 0 && uintptr_t(page) % 4096 == 0 &&
         uintptr_t(zero64) % 64 == 0 && uintptr_t(zpage) % 4096 == 0;
}
// Overwrites every thread_local byte with a pattern of v.
void fill(unsigned char v) {
  counter = v;
  zero8 = v;
  for (auto& x : line) x = v;
  for (auto& x : zero64) x = v;
  for (auto& c : page) c = v;
  for (auto& c : zpage) c = v;
}
bool holds(unsigned char v) {
  if (counter != v || zero8 != v) return false;
  for (auto x : line)
    if (x != v) return false;
  for (auto x : zero64)
    if (x != v) return false;
  for (auto c : page)
    if (c != v) return false;
  for (auto c : zpage)
    if (c != v) return false;
  return true;
}
// The runtime's per-thread state after a fill: the TlsBlock is intact.
bool runtime_intact(gort::G* g, gort::M* m) {
  gort::TlsBlock* t = gort::gettls();
  return t == m->tls && t->self == t && t->m == m && gort::getg() == g && g->m == m;
}

// ---- Locked goroutines, each on its own M at the same time.
constexpr int kLocked = 4;
uint32_t arrived;
uint32_t fresh_ok, fresh_bad, isolated, intact;
gort::M* seen[kLocked + 1];  // Ms that test code has written on (main's first)
gort::RtMutex seen_lock;

bool first_on(gort::M* m) {
  gort::LockGuard l(&seen_lock);
  for (auto*& s : seen) {
    if (s == m) return false;
    if (!s) {
      s = m;
      return true;
    }
  }
  return false;
}

void locked_worker(unsigned char id) {
  gort::lock_os_thread();
  gort::M* m = current_m();
  gort::G* g = gort::getg();
  if (first_on(m)) {
    const char* bad = check_initial();
    gort::atomic::xadd(bad ? &fresh_bad : &fresh_ok, 1u);
    if (bad) tap::diag("fresh M ", m->id, ": ", bad, " is not its initial value");
  }
  fill(id);
  if (runtime_intact(g, m)) gort::atomic::xadd(&intact, 1u);
  // Wait until every worker has written its own pattern on its own M.
  gort::atomic::xadd(&arrived, 1u);
  while (gort::atomic::load(&arrived) < kLocked) gort::gosched();
  if (holds(id) && current_m() == m) gort::atomic::xadd(&isolated, 1u);
  gort::unlock_os_thread();
}

// ---- A raw thread from newm: a fresh M with its own TLS area.
struct RawResult {
  const char* bad = "did not run";
  bool aligned = false, intact = false, dtor_value = false;
};
void raw_thread(void* p) {
  auto* r = static_cast<RawResult*>(p);
  r->bad = check_initial();
  r->aligned = aligned();
  gort::M* m = current_m();
  gort::G* g = gort::getg();
  r->dtor_value = obj.v == 11;  // counter is still 5 here
  fill(0x3c);
  r->intact = runtime_intact(g, m) && holds(0x3c);
}

}  // namespace

int main(int, char**) {
  tap::plan(10);
  gort::lock_os_thread();
  gort::M* m = current_m();
  gort::G* g = gort::getg();
  tap::diag("main runs on M ", m->id, m == &gort::m0 ? " (m0)" : "");
  first_on(m);
  const char* bad = check_initial();
  if (bad) tap::diag(bad, " is not its initial value");
  tap::ok(!bad, "main's M reads initial values (align 8, 64, 4096) and zeroes (.tbss)");
  tap::ok(aligned(), "thread_local addresses honour alignas(64) and alignas(4096)");
  fill(0xa5);
  tap::ok(runtime_intact(g, m) && holds(0xa5),
          "getg() and the TlsBlock survive writing every thread_local byte (76 KiB)");

  RawResult raw;
  gort::joinm(gort::newm(raw_thread, &raw));
  if (raw.bad) tap::diag("raw thread: ", raw.bad, " is not its initial value");
  tap::ok(!raw.bad && raw.aligned, "a raw thread from newm starts with initial values, aligned");
  tap::ok(raw.intact, "the raw thread's writes leave its TlsBlock intact");
  tap::ok(raw.dtor_value && gort::atomic::load(&dtors_run) == 1,
          "a thread_local with a constructor is built on first use and destroyed at thread end, on "
          "its M");

  gort::WaitGroup wg;
  wg.add(kLocked);
  for (int i = 0; i < kLocked; i++)
    gort::go([&wg, i] {
      locked_worker(static_cast<unsigned char>(0x10 + i));
      wg.done();
    });
  wg.wait();
  tap::diag(fresh_ok + fresh_bad, " of ", kLocked, " locked goroutines were first on their M");
  tap::ok(fresh_bad == 0 && fresh_ok >= 1, "new Ms of locked goroutines start with initial values");
  tap::ok(isolated == kLocked, "writes on one M are not seen on another (4 Ms at once)");
  tap::ok(intact == kLocked, "every locked goroutine's M keeps its TlsBlock after the writes");
  tap::ok(holds(0xa5) && runtime_intact(g, m), "main's M still holds its own values");
  gort::unlock_os_thread();
  return tap::done();
}
