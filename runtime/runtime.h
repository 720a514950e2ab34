// runtime/runtime.h — the core's own declarations (not for gort programs).
#pragma once

#include "debugvars.h"
#include "port.h"

namespace gort {

struct M;
struct P;
struct MCache;
struct TlsDtor;
struct Sudog;
struct RtTimer;

// Goroutine states (Go's _Gidle.._Gdead, the ones gort has so far). Syscall:
// in a system call that may block (entersyscall..exitsyscall), never
// preempted; its P may be handed to another M meanwhile.
enum class GStatus : uint32_t { Idle, Runnable, Running, Syscall, Waiting, Dead };

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
  uintptr_t syscallfp = 0, syscallpc = 0;  // entersyscall's caller, while in a system call
  uintptr_t syscallsp = 0;                 // the collector scans the stack from here while in one
  bool system = false;  // a runtime goroutine (sweeper, finalizers): not the program's
  // Blocking on channels, select and semaphores (Go's g.param, g.waiting,
  // g.selectDone): what woke it, the sudogs it waits on, select's winner flag.
  void* param = nullptr;
  Sudog* waiting = nullptr;
  uint32_t selectdone = 0;
  RtTimer* timer = nullptr;  // sleep's timer, made at the first sleep and reused
};

// What an M does on g0 for the goroutine that just switched to it (mcall).
// GC: run the collector on g0 while the goroutine's context is saved.
enum class MCall : uint8_t { None, Park, Gosched, Exit, ExitSyscall, GC };

// An OS thread. tls is its TlsBlock, in its TLS area next to its static TLS
// data (tls.cpp); the thread pointer is tls_tp(tls).
struct M {
  TlsBlock* tls = nullptr;
  G g0;
  int64_t id = 0;
  MCache* mcache = nullptr;  // until caches move to Ps, each M has its own
  uint32_t running = 0;      // cleared by os_exitthread once the thread is gone
  void (*fn)(void*) = nullptr;
  void* arg = nullptr;
  char* map = nullptr;  // newm's mapping: signal stack, guard, g0 stack, this M, TLS area
  size_t mapsize = 0;
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
  uintptr_t tid = 0;            // OS thread id (os_signal_thread), set by the thread itself
  G* lockedg = nullptr;         // lock_os_thread: the only G this M runs
  TlsDtor* tlsdtors = nullptr;  // thread_local destructors (libc.cpp), newest first
  void* tlsmem = nullptr;       // its TLS area (tls_area_size bytes): a GC root
#if defined(GORT_OS_LOADER_TLS)
  // Where the OS's loader keeps the thread's thread_local data instead:
  // its block, a GC root; hi is 0 once it is dropped.
  uintptr_t loader_tls_lo = 0, loader_tls_hi = 0;
#endif
  M* alllink = nullptr;  // allm: every M alive
};
#if defined(GORT_OS_LOADER_TLS)
// The calling thread's block of thread_local data, which the OS's loader
// makes (on first use, so this makes it now), as [*lo, *hi); empty if the
// program has none (mgcroots.cpp).
void loader_tls_block(uintptr_t* lo, uintptr_t* hi);
#endif
// Every M alive, newest first (thread.cpp; the collector scans them).
M* allm_head();
void allm_add(M* m);

inline TlsBlock* gettls() { return port_gettls(); }

// The current goroutine. A goroutine may be preempted at any instruction
// and resume on another M with its registers as they were: a thread pointer
// read into a register, then used, would point at the old M's block. So g is
// read through port_tls_load, which no preemption can split (Go keeps g in a
// register or reads it in one instruction; gort cannot reserve a register in
// code it did not compile). gettls() and the M found through it go stale
// the same way: use them only under NoPreempt, a runtime lock, or on g0.
inline G* getg() { return static_cast<G*>(port_tls_load<offsetof(TlsBlock, g)>()); }

// Orders a change of the no-preempt count against the code it guards. Only
// the preemption signal handler, on the same thread, reads the count, so a
// compiler barrier is enough; without it the compiler may load gp->m before
// the increment, and a preemption in between resumes the goroutine on
// another M with the first M's pointer in hand.
inline void preempt_fence() { __atomic_signal_fence(__ATOMIC_SEQ_CST); }

// A preemption asked for while the goroutine could not be preempted is
// taken when the count falls back to 0 (Go's releasem, which arms the next
// function prologue's check): else a goroutine that spends nearly all its
// time inside the runtime (allocating in a loop) would hardly ever be at a
// point where the signal can stop it, and could hold its P for good.
void preempt_release(G* gp);  // preempt.cpp

// Lowers gp's no-preempt count; at 0, takes a preemption asked for meanwhile.
inline void locks_release(G* gp) {
  preempt_fence();
  if (--gp->locks == 0 && __atomic_load_n(&gp->preempt, __ATOMIC_RELAXED)) preempt_release(gp);
}

// While one exists, the current goroutine is not preempted (Go's acquirem).
// Counted on the G, not the M: a G that moves Ms still holds its own count.
class NoPreempt {
 public:
  NoPreempt() : g_(getg()) {
    g_->locks++;
    preempt_fence();
  }
  ~NoPreempt() { locks_release(g_); }
  NoPreempt(const NoPreempt&) = delete;
  NoPreempt& operator=(const NoPreempt&) = delete;

 private:
  G* g_;
};

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
// m0's g0 stack, in .bss below a guard (proc.cpp): [guard][stack] from
// m0_stack_region(). The collector leaves it out of the data it scans.
inline constexpr size_t kM0Stack = 256 << 10, kM0Guard = 64 << 10;
uintptr_t m0_stack_region();
// m0's alternate signal stack, kSigStackSize bytes in .bss (signal.cpp):
// left out too. An interrupted context saved there stays behind, stale.
uintptr_t m0_sigstack_region();

// Checks that [p, p+n) is whole OS pages (boot.physpagesize) before it goes
// to os_guard, os_sysmap or os_madvise_free, and returns p: the kernel
// rounds a partial page out to its end, over memory still in use (a madvise
// that zeroes a neighbour, a guard over a live frame). Fatal otherwise.
void* whole_pages(void* p, size_t n);

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

// Static TLS (tls.cpp). tlsinit (tls stage) finds the program's PT_TLS
// segment; every M's TLS area (tls_area_size bytes, any alignment) is laid
// out by tls_area_init: its copy of the thread_local data where the arch's
// ELF TLS ABI wants it, and its TlsBlock (m, g0). tls_tp: the thread pointer.
void tlsinit();
uintptr_t tls_area_size();
TlsBlock* tls_area_init(void* mem, M* m, G* g0);
void* tls_tp(TlsBlock* b);
// Runs and drops the calling M's thread_local destructors (libc.cpp): when
// its thread ends, and for the M that returns from main, before exit hooks.
void run_tls_dtors(M* m);

// Fault handling (signal.cpp): initsig installs the SIGSEGV/SIGBUS handler
// and m0's alternate signal stack; every other M calls minitsignals with its own.
inline constexpr size_t kSigStackSize = 32 << 10;
void initsig();
void minitsignals(void* stack, size_t size);
// sigtab.cpp: Go's handling of the other signals (initsig installs it).
void initsigtab();
// A signal Go throws on: its name, PC=, the goroutine, exit 2.
void sigthrow(int sig, void* info, void* uctx);
// After a write of fd returned r: on EPIPE to fd 1 or 2, die of SIGPIPE (Go).
void sigpipe(int fd, long r);

// Runs C++ static destructors registered through __cxa_atexit, newest first.
void run_exit_hooks();

}  // namespace gort
