// runtime/runtime.h — the core's own declarations (not for gort programs).
#pragma once

#include "debugvars.h"
#include "port.h"

namespace gort {

struct M;
struct P;
struct MCache;

// Goroutine states (Go's _Gidle.._Gdead, the ones gort has so far).
enum class GStatus : uint32_t { Idle, Runnable, Running, Waiting, Dead };

// A goroutine. g0 of each M is the M's scheduling stack, never scheduled.
struct G {
  uintptr_t stack_lo = 0, stack_hi = 0;  // [lo, hi) of its stack
  int64_t goid = 0;
  M* m = nullptr;      // the M running it, while it runs
  void* sp = nullptr;  // saved context (gort_swapctx) while not running
  GStatus status = GStatus::Idle;
  G* schedlink = nullptr;       // run queue / free list link
  void (*fn)(void*) = nullptr;  // entry, until it first runs
  void* arg = nullptr;
  const char* waitreason = nullptr;  // why it is Waiting ("chan receive", ...)
  bool pool_stack = false;           // stack from the pool (freed at exit)
  uint32_t* stackguard =
      nullptr;               // the pool slot's guard state (stack_enter); null: always guarded
  G* alllink = nullptr;      // allgs: every G ever made
  uint32_t locks = 0;        // > 0: must not be preempted (runtime code, transitions)
  M* lockedm = nullptr;      // lock_os_thread: the only M that may run it
  uint32_t lockedcount = 0;  // nesting of lock_os_thread
  alignas(4) bool preempt = false;  // sysmon asked it to yield (read as a word by the handler)
  uint8_t pad_[3] = {};
};

// What an M does on g0 for the goroutine that just switched to it (mcall).
enum class MCall : uint8_t { None, Park, Gosched, Exit, ExitSyscall };

// An OS thread. tls is what the thread pointer addresses.
struct M {
  TlsBlock tls{};
  G g0;
  int64_t id = 0;
  MCache* mcache = nullptr;  // until caches move to Ps, each M has its own
  uint32_t running = 0;      // cleared by os_exitthread once the thread is gone
  void (*fn)(void*) = nullptr;
  void* arg = nullptr;
  size_t mapsize = 0;  // newm's mapping: g0 stack and this M
  // Scheduler state.
  G* curg = nullptr;      // the goroutine running on this M
  P* p = nullptr;         // the P it holds while running Go code
  P* nextp = nullptr;     // the P to take when woken
  bool spinning = false;  // looking for work
  uint32_t park = 0;      // note: stopm sleeps here until startm sets it
  M* schedlink = nullptr;
  MCall mcall = MCall::None;  // set by the goroutine, done on g0
  bool (*unlockf)(G*, void*) = nullptr;
  void* unlockarg = nullptr;
  uint32_t fastrand = 0;
  uintptr_t tid = 0;     // OS thread id (os_signal_thread), set by the thread itself
  G* lockedg = nullptr;  // lock_os_thread: the only G this M runs
};

// While one exists, the current goroutine is not preempted (Go's acquirem).
// Counted on the G, not the M: a G that moves Ms still holds its own count.
class NoPreempt {
 public:
  NoPreempt() : g_(static_cast<G*>(static_cast<TlsBlock*>(port_gettp())->g)) { g_->locks++; }
  ~NoPreempt() { g_->locks--; }
  NoPreempt(const NoPreempt&) = delete;
  NoPreempt& operator=(const NoPreempt&) = delete;

 private:
  G* g_;
};

inline TlsBlock* gettls() { return static_cast<TlsBlock*>(port_gettp()); }
inline G* getg() { return static_cast<G*>(gettls()->g); }

// What the boot learns; written once during rt0_go, read-only after.
struct Boot {
  int argc = 0;
  char** argv = nullptr;
  char** envp = nullptr;
  int nenv = 0;
  AuxInfo aux;
  int32_t ncpu = 1;
  uintptr_t physpagesize = 0;
  CpuFeatures cpu;
  DebugVars debug;
  int64_t start_ns = 0;  // os_nanotime() at rt0
};
extern Boot boot;
extern M m0;

// Seeds the runtime's random source (random stage).
void randinit(const uint8_t* seed16);
// 64 random bits: wyrand over a seeded counter, safe from any thread.
uint64_t rand64();

// Starts an OS thread (an M with its own g0 stack, TLS and mcache) running
// fn(arg); joinm waits for it to return and frees it. Go's newm, without Ps.
M* newm(void (*fn)(void*), void* arg);
void joinm(M* m);
// newm in two steps, for the scheduler: allocm prepares the M (so fields such
// as nextp can be set) and newosproc starts its thread.
M* allocm(void (*fn)(void*), void* arg);
void newosproc(M* m);

// Fault handling (signal.cpp): initsig installs the SIGSEGV/SIGBUS handler
// and m0's alternate signal stack; every other M calls minitsignals with its own.
inline constexpr size_t kSigStackSize = 32 << 10;
void initsig();
void minitsignals(void* stack, size_t size);

// Runs C++ static destructors registered through __cxa_atexit, newest first.
void run_exit_hooks();

}  // namespace gort
