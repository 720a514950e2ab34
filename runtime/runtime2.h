// runtime/runtime2.h — the scheduler's data (Go's runtime2.go: p, schedt) and
// its internal API (proc.go). See docs/ARCHITECTURE.md, "Scheduler".
#pragma once

#include "lock.h"
#include "runtime.h"
#include "timers.h"

namespace gort {

inline constexpr int kRunqSize = 256;
inline constexpr int kMaxProcs = 256;

enum class PStatus : uint32_t { Idle, Running, Syscall, Stopped };  // Stopped: by stop-the-world

// A P: the right to run Go code, with a local run queue. GOMAXPROCS of them.
struct P {
  int32_t id = 0;
  PStatus status = PStatus::Idle;  // Syscall: its M is in a system call; sysmon may retake it
  uint32_t syscalltick = 0;        // system calls entered, ever (sysmon's clock)
  M* m = nullptr;                  // the M holding it, or null when idle
  P* link = nullptr;               // idle list
  uint32_t schedtick = 0;          // goroutines scheduled here (fairness of the global queue)
  uint64_t nrun = 0;               // goroutines run here, ever (tests: work stealing)
  // Lock-free ring: the owner puts at tail and gets at head; thieves take
  // from head with a CAS. runnext is run before the ring (Go's LIFO slot).
  uint32_t runqhead = 0, runqtail = 0;
  G* runq[kRunqSize] = {};
  G* runnext = nullptr;
  MCache* mcache = nullptr;  // allocation cache: per P, as in Go (no lock on the fast path)
  Timers timers;             // its timers (time.cpp): any M holding some P may run them
  G* gfree = nullptr;        // dead Gs for reuse (sched.cpp's gfput/gfget)
  int32_t gfreecnt = 0;
  int64_t ngoroutines = 0;  // goroutines started minus ended here (the owner writes)
};

struct Sched {
  RtMutex lock;
  G* runqhead = nullptr;  // global run queue (schedlink)
  G* runqtail = nullptr;
  int32_t runqsize = 0;
  M* midle = nullptr;  // idle Ms waiting on their park note
  int32_t nmidle = 0;
  int32_t nmidlelocked = 0;  // Ms waiting for their locked goroutine
  // Stop the world (gomaxprocs changes): every P but the stopper's ends Stopped.
  RtMutex worldlock;       // one stop-the-world at a time
  uint32_t gcwaiting = 0;  // the world is stopping: Ms give up their Ps
  int32_t stopwait = 0;    // Ps still to stop (sched.lock)
  uint32_t stopnote = 0;   // the stopper sleeps here
  int32_t mcount = 0;      // scheduler Ms (not the raw newm threads)
  P* pidle = nullptr;
  uint32_t npidle = 0;
  uint32_t nmspinning = 0;
  int64_t goidgen = 0;
  int64_t ngoroutines = 0;    // live goroutines counted by Ps that are gone (+ each P's own)
  int64_t ngsys = 0;          // of the live ones, system goroutines
  G* gfree = nullptr;         // dead Gs for reuse
  int32_t nthreads = 1;       // every M, scheduler or not (schedtrace's threads=)
  int32_t maxmcount = 10000;  // Go's limit on threads (set_max_threads)
  // The timer sleeper: at most one M without a P sleeps on pollnote until
  // the earliest timer (polluntil); Go's M blocked in netpoll.
  uint32_t timersleeping = 0;
  uint32_t pollnote = 0;
  int64_t polluntil = 0;
  // sysmon sleeps on sysmonnote while every P is idle; the first P to be
  // acquired wakes it (Go's sysmonwait).
  uint32_t sysmonwait = 0;
  uint32_t sysmonnote = 0;
};

extern Sched sched;
extern P* allp[kMaxProcs];
extern int32_t gomaxprocs;

// A goroutine waiting on something: a channel (one per channel in a
// select), or a semaphore address. Go's sudog. Lives on the waiting
// goroutine's stack (gort's stacks never move), so it costs no allocation.
struct Sudog {
  G* g = nullptr;
  Sudog* next = nullptr;  // wait queue links
  Sudog* prev = nullptr;
  void* elem = nullptr;  // the value sent, or where a received value goes
  int64_t acquiretime = 0;
  int64_t releasetime = 0;
  uint32_t ticket = 0;
  bool isselect = false;      // part of a select: g->selectdone decides who wins
  bool success = false;       // woken by a value passing (not by close)
  Sudog* waitlink = nullptr;  // g->waiting list (select), or a semaphore's waiters
  Sudog* waittail = nullptr;
  Sudog* parent = nullptr;  // semaphore table tree
  void* c = nullptr;        // the channel (chan.cpp's hchan)
};

// Go's wait reasons, as tracebacks print them: [chan receive], ...
namespace waitreason {
inline constexpr const char* ChanReceive = "chan receive";
inline constexpr const char* ChanSend = "chan send";
inline constexpr const char* ChanReceiveNilChan = "chan receive (nil chan)";
inline constexpr const char* ChanSendNilChan = "chan send (nil chan)";
inline constexpr const char* Select = "select";
inline constexpr const char* SelectNoCases = "select (no cases)";
inline constexpr const char* Sleep = "sleep";
inline constexpr const char* SyncMutexLock = "sync.Mutex.Lock";
inline constexpr const char* SyncRWMutexRLock = "sync.RWMutex.RLock";
inline constexpr const char* SyncRWMutexLock = "sync.RWMutex.Lock";
inline constexpr const char* SyncWaitGroupWait = "sync.WaitGroup.Wait";
inline constexpr const char* SyncCondWait = "sync.Cond.Wait";
inline constexpr const char* SemAcquire = "semacquire";
}  // namespace waitreason

// ---- runq.cpp (the caller owns pp unless stated)
void runqput(P* pp, G* gp, bool next);  // may spill half to the global queue
// inherit (if given): gp came from runnext, so it runs in the time slice of
// the goroutine that readied it (Go's inheritTime).
G* runqget(P* pp, bool* inherit = nullptr);
G* runqsteal(P* pp, P* victim, bool steal_runnext);  // pp: thief
bool runqempty(P* pp);
void globrunqput(G* gp);             // sched.lock held
G* globrunqget(P* pp, int32_t max);  // sched.lock held; refills pp's queue

// ---- sched.cpp
// The pieces syscall.cpp and stw.cpp share with the scheduler. Ms, Ps and
// the idle lists (pidleput/pidleget, startm/stopm: sched.lock as noted).
inline uint32_t* pstatus(P* pp) { return reinterpret_cast<uint32_t*>(&pp->status); }
M* getm();  // the current M: under NoPreempt, a runtime lock, or on g0
void acquirep(M* m, P* pp);
P* releasep(M* m);
void pidleput(P* pp);  // sched.lock held
P* pidleget();         // sched.lock held
void startm(P* pp, bool spinning);
void stopm(M* m);
void stopped_p(P* pp);  // a released P given to the stopping world; sched.lock held
// stw.cpp: stops every P but the caller's (held until start_the_world),
// and starts them again.
void stop_the_world();
void start_the_world();
void notewakeup(uint32_t* n);
void checkdead();     // sched.lock held
void gfpurge(P* pp);  // a P going away: its dead Gs to the global list
void mcall(MCall what, bool (*unlockf)(G*, void*) = nullptr, void* arg = nullptr);
// ---- syscall.cpp
void handoffp(P* pp);
bool exitsyscall_slow(M* m, G* gp);  // on g0: true if gp may resume here
void procresize(int32_t n);          // boot only: creates n Ps, m0 takes allp[0]
G* newproc(void (*fn)(void*), void* arg);
// A runtime goroutine (Go's system goroutines: the sweeper, the finalizer
// runner): not counted by num_goroutine, nor by deadlock detection, nor in
// tracebacks of all goroutines.
G* newproc_system(void (*fn)(void*), void* arg);
[[noreturn]] void goexit1();                    // ends the current goroutine
G* newproc_main(void (*fn)(void*), void* arg);  // goroutine 1, on a big stack
[[noreturn]] void mstart0();                    // m0 enters the scheduler
// Parks the current goroutine; on g0, unlockf(gp, arg) runs and, if it
// returns false, the goroutine is made runnable again at once. held: the
// runtime locks the caller holds, all released by unlockf; holding any
// other no-preempt count is a fatal error (see check_noparklocks).
void gopark(bool (*unlockf)(G*, void*), void* arg, const char* reason, int32_t held = 0);
// gopark's usual unlock function: releases the runtime RtMutex passed as arg
// once the goroutine is parked (Go's parkunlock_c). Use with goparkunlock.
bool parkunlock(G* gp, void* mutex);
inline void goparkunlock(RtMutex* l, const char* reason) { gopark(parkunlock, l, reason, 1); }
// A goroutine about to park, yield or exit must hold no runtime lock (nor
// no-preempt count) but the held ones its park releases: whoever next takes
// such a lock would wait for it with its M, and P, for as long as the
// goroutine is away, perhaps forever (Go's "schedule: holding locks"). User
// code gets there by blocking in a constructor, assignment or destructor a
// channel runs under its lock. what: the operation, for the message.
void check_noparklocks(int32_t held, const char* what);
// Makes a parked goroutine runnable on the caller's P: next (as Go's
// ready) puts it in runnext, so a woken receiver runs before older work.
void goready(G* gp, bool next = true);
// A cheap per-M random number (Go's cheaprand): no shared state, for
// select's poll order and the like. Call without being preempted between
// uses only if the sequence matters; any M's sequence is as good.
uint32_t cheaprand();
uint32_t cheaprandn(uint32_t n);  // uniform in [0, n)
void wakep();
// Around a system call that may block: the P may be handed to another M
// meanwhile (by sysmon's retake), and the goroutine may have to wait for a P
// to come back. Go's entersyscall/exitsyscall.
void entersyscall();
void exitsyscall();
// sysmon.cpp: the system monitor, on its own M without a P.
void sysmon_start();
// sysmon's retake: hands off Ps whose M has been in a system call for a
// whole sysmon tick, and those in force[] at once. Returns how many.
int retake(uint32_t* last_ticks, bool* force);
void schedtrace(int64_t now);
// preempt.cpp: ask the goroutine running on pp to yield (SIGURG to its M).
void preemptone(P* pp);
void sigpreempt(int sig, void* info, void* uctx);

}  // namespace gort
