// runtime/sched.cpp — the goroutine scheduler (Go's proc.go): Gs run on Ms
// holding Ps. Each M loops in schedule() on its g0 stack; a goroutine gives
// the M back by switching to g0 (mcall) with what g0 should do for it: park
// it, requeue it (gosched), or free it (exit). Idle Ms sleep on a note;
// wakep starts one spinning M when work appears and a P is idle.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "mgc.h"
#include "runtime2.h"
#include "stack.h"
#include "traceback.h"

namespace gort {

Sched sched;
P* allp[kMaxProcs];
int32_t gomaxprocs = 1;

void goexit1();

namespace {
// Every G ever made, oldest first (tracebacks list them in Go's order).
// Appended under sched.lock; read without it, so links are published last.
G* allgs = nullptr;
G* allgs_tail = nullptr;
}  // namespace

G* allgs_head() { return atomic::load(&allgs); }

static bool main_started = false;

M* getm() { return static_cast<M*>(gettls()->m); }

static uint32_t fastrand(M* m) {  // xorshift32, per M
  uint32_t x = m->fastrand;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return m->fastrand = x;
}

static void notesleep(uint32_t* n) {
  while (atomic::load(n) == 0) os_futexsleep(n, 0, -1);
}
void notewakeup(uint32_t* n) {
  atomic::store(n, 1u);
  os_futexwakeup(n, 1);
}

void acquirep(M* m, P* pp) {
  if (pp->m || pp->status != PStatus::Idle) fatal("acquirep: P already in use");
  m->p = pp;
  pp->m = m;
  atomic::store(reinterpret_cast<uint32_t*>(&pp->status), uint32_t(PStatus::Running));
  // Goroutines may run again: sysmon has preemptions to watch for.
  if (atomic::load_relaxed(&sched.sysmonwait) && atomic::xchg(&sched.sysmonwait, 0u)) {
    atomic::store(&sched.sysmonnote, 1u);
    os_futexwakeup(&sched.sysmonnote, 1);
  }
}
P* releasep(M* m) {
  P* pp = m->p;
  m->p = nullptr;
  pp->m = nullptr;
  atomic::store(reinterpret_cast<uint32_t*>(&pp->status), uint32_t(PStatus::Idle));
  return pp;
}

// sched.lock held for the idle lists.
void pidleput(P* pp) {
  pp->link = sched.pidle;
  sched.pidle = pp;
  atomic::xadd(&sched.npidle, 1u);
}
P* pidleget() {
  P* pp = sched.pidle;
  if (pp) {
    sched.pidle = pp->link;
    atomic::xadd(&sched.npidle, ~0u);
  }
  return pp;
}

// Every scheduler M idle and nothing runnable: no goroutine can ever wake.
// sched.lock held. Go's checkdead.
void checkdead() {
  int32_t run = sched.mcount - sched.nmidle - sched.nmidlelocked;
  // The timer sleeper (timersleep) holds no P and runs no goroutine: all it
  // can do is run timers, which are in the heaps looked at below. Counted
  // busy, a sleeper waiting for a timer stopped since would hide a
  // deadlock until that timer's time (an hour, say). Go reports it at once.
  int32_t sleeper = atomic::load(&sched.timersleeping) != 0;
  if (run > sleeper) return;
  if (run < 0) fatal("checkdead: inconsistent counts");
  if (sched.runqsize > 0) {
    if (run > 0) return;  // the sleeper may be about to take a P for it
    fatal("checkdead: runnable goroutine with every M idle");
  }
  // A pending timer will make a goroutine runnable (Go's checkdead).
  for (int32_t i = 0; i < gomaxprocs; i++)
    if (atomic::load(&allp[i]->timers.when0) != 0) return;
  int64_t waiting = 0;
  for (G* gp = allgs; gp; gp = gp->alllink)
    waiting += gp->status == GStatus::Waiting && !gp->system;
  // Only main can leave nothing at all behind it: by goexit (Go's wording).
  if (waiting == 0) fatal("no goroutines (main called runtime.Goexit) - deadlock!");
  eprint("fatal error: all goroutines are asleep - deadlock!\n");
  for (G* gp = allgs; gp; gp = gp->alllink)
    if (gp->status == GStatus::Waiting && !gp->system) traceback_parked(gp);
  os_exit(2);
}

// Go's checkmcount: every M counts (sysmon's too), against SetMaxThreads.
static void checkmcount() {
  int32_t n = atomic::load(&sched.nthreads) + 1;
  if (n > atomic::load(&sched.maxmcount)) {
    eprint("runtime: program exceeds ", sched.maxmcount, "-thread limit\n");
    fatal("thread exhaustion");
  }
}

static void mput(M* m) {
  m->schedlink = sched.midle;
  sched.midle = m;
  sched.nmidle++;
  checkdead();
}
static M* mget() {
  M* m = sched.midle;
  if (m) {
    sched.midle = m->schedlink;
    sched.nmidle--;
  }
  return m;
}

[[noreturn]] static void schedule();

static void mstart_sched(void*) {
  M* m = getm();
  m->tid = os_thread_self();
  acquirep(m, m->nextp);
  m->nextp = nullptr;
  schedule();
}

// Parks the M until startm hands it a P.
__attribute__((noinline)) void stopm(M* m) {
  {
    LockGuard g(&sched.lock);
    mput(m);
  }
  notesleep(&m->park);
  atomic::store(&m->park, 0u);
  acquirep(m, m->nextp);
  m->nextp = nullptr;
}

// Runs some M on pp (an idle P if null), spinning if asked: an idle M, or a
// new one. If spinning, the caller has already counted it in nmspinning.
void startm(P* pp, bool spinning) {
  M* nm;
  {
    LockGuard g(&sched.lock);
    if (!pp) pp = pidleget();
    if (!pp) {
      if (spinning) atomic::xadd(&sched.nmspinning, ~0u);
      return;
    }
    nm = mget();
    if (!nm) {
      sched.mcount++;
      checkmcount();
    }
  }
  if (!nm) {
    nm = allocm(mstart_sched, nullptr);
    nm->spinning = spinning;
    nm->nextp = pp;
    newosproc(nm);
    return;
  }
  nm->spinning = spinning;
  nm->nextp = pp;
  notewakeup(&nm->park);
}

static void resetspinning(M* m) {
  m->spinning = false;
  if (atomic::xadd(&sched.nmspinning, ~0u) == ~0u) fatal("resetspinning: negative nmspinning");
  // The last spinner found work: another may be needed for what remains.
  wakep();
}

// A released P given to the stopping world. sched.lock held.
void stopped_p(P* pp) {
  atomic::store(reinterpret_cast<uint32_t*>(&pp->status), uint32_t(PStatus::Stopped));
  if (--sched.stopwait == 0) notewakeup(&sched.stopnote);
}

// The world is stopping: give up the P and sleep (Go's gcstopm).
static void gcstopm(M* m) {
  if (m->spinning) {
    m->spinning = false;
    atomic::xadd(&sched.nmspinning, ~0u);
  }
  {
    LockGuard g(&sched.lock);
    stopped_p(releasep(m));
  }
  stopm(m);
}

// With no P and nothing to run: if a timer is pending and no other M
// sleeps for the timers, sleep until the earliest one (or until a timer
// armed earlier interrupts us), then take an idle P to run it. True: m
// holds a P again, spinning (its steal round runs every P's due timers).
// Go's findrunnable blocking in netpoll until pollUntil.
static bool timersleep(M* m) {
  if (atomic::xchg(&sched.timersleeping, 1u)) return false;
  atomic::xchg(&sched.pollnote, 0u);
  int64_t next = timers_next();  // after saying we sleep: see wake_timer_sleeper
  if (next == 0) {
    atomic::xchg(&sched.timersleeping, 0u);
    return false;
  }
  atomic::xchg(&sched.polluntil, next);
  int64_t delay = next - os_nanotime();
  if (delay > 0) os_futexsleep(&sched.pollnote, 0, delay);
  atomic::xchg(&sched.polluntil, int64_t(0));
  atomic::xchg(&sched.timersleeping, 0u);
  P* pp;
  {
    LockGuard g(&sched.lock);
    pp = sched.gcwaiting ? nullptr : pidleget();
  }
  if (!pp) return false;  // every P is busy: they run their timers themselves
  acquirep(m, pp);
  m->spinning = true;
  atomic::xadd(&sched.nmspinning, 1u);
  return true;
}

// Blocks until there is a goroutine to run; returns it with m holding a P.
static G* findrunnable(M* m) {
  for (;;) {
    if (atomic::load(&sched.gcwaiting)) {
      gcstopm(m);
      continue;
    }
    P* pp = m->p;
    checktimers(pp, 0);  // reads the clock only if a timer may be due
    if (G* gp = runqget(pp)) return gp;
    if (atomic::load_relaxed(&sched.runqsize) > 0) {
      LockGuard g(&sched.lock);
      if (G* gp = globrunqget(pp, 0)) return gp;
    }
    // Steal, unless half the busy Ps already have a spinning M.
    int32_t busy = gomaxprocs - int32_t(atomic::load(&sched.npidle));
    if (m->spinning || 2 * int32_t(atomic::load(&sched.nmspinning)) < busy) {
      if (!m->spinning) {
        m->spinning = true;
        atomic::xadd(&sched.nmspinning, 1u);
      }
      for (int i = 0; i < 4; i++) {
        uint32_t start = fastrand(m);
        for (int32_t j = 0; j < gomaxprocs; j++) {
          P* victim = allp[(start + uint32_t(j)) % uint32_t(gomaxprocs)];
          if (victim == pp) continue;
          if (G* gp = runqsteal(pp, victim, i == 3)) return gp;
          // Last round: run the victim's due timers too; what they wake
          // lands on our P (Go's stealWork).
          if (i == 3 && atomic::load(&victim->timers.when0) != 0) {
            checktimers(victim, 0);
            if (G* gp = runqget(pp)) return gp;
          }
        }
      }
    }
    // Nothing: give up the P and sleep.
    {
      LockGuard g(&sched.lock);
      if (G* gp = globrunqget(pp, 0)) return gp;
      if (sched.gcwaiting)
        stopped_p(releasep(m));
      else
        pidleput(releasep(m));
    }
    if (m->spinning) {
      m->spinning = false;
      atomic::xadd(&sched.nmspinning, ~0u);
      // Work put after our last look would have seen nmspinning > 0 and not
      // woken anyone: look again before sleeping.
      bool work = atomic::load_relaxed(&sched.runqsize) > 0;
      for (int32_t j = 0; j < gomaxprocs && !work; j++) work = !runqempty(allp[j]);
      if (work) {
        P* p2;
        {
          LockGuard g(&sched.lock);
          p2 = pidleget();
        }
        if (p2) {
          acquirep(m, p2);
          m->spinning = true;
          atomic::xadd(&sched.nmspinning, 1u);
          continue;
        }
      }
    }
    if (timersleep(m)) continue;
    stopm(m);
  }
}

// Dead Gs for reuse: a list per P, balanced through the global one in
// batches of 32 (Go's gfput/gfget). One shared list under sched.lock, taken
// on every goroutine's start and exit, was a third of bench/sched spawn's
// time at GOMAXPROCS=2.
static void gfput(P* pp, G* gp) {
  gp->schedlink = pp->gfree;
  pp->gfree = gp;
  if (++pp->gfreecnt < 64) return;
  LockGuard g(&sched.lock);
  while (pp->gfreecnt >= 32) {
    G* x = pp->gfree;
    pp->gfree = x->schedlink;
    pp->gfreecnt--;
    x->schedlink = sched.gfree;
    sched.gfree = x;
  }
}

static G* gfget(P* pp) {
  if (!pp->gfree && atomic::load_relaxed(&sched.gfree)) {
    LockGuard g(&sched.lock);
    while (pp->gfreecnt < 32 && sched.gfree) {
      G* x = sched.gfree;
      sched.gfree = x->schedlink;
      x->schedlink = pp->gfree;
      pp->gfree = x;
      pp->gfreecnt++;
    }
  }
  G* gp = pp->gfree;
  if (gp) {
    pp->gfree = gp->schedlink;
    pp->gfreecnt--;
  }
  return gp;
}

void gfpurge(P* pp) {
  LockGuard g(&sched.lock);
  while (G* x = pp->gfree) {
    pp->gfree = x->schedlink;
    x->schedlink = sched.gfree;
    sched.gfree = x;
  }
  pp->gfreecnt = 0;
}

static G* allocg() {
  if (G* gp = gfget(getm()->p)) return gp;
  auto* gp = new (persistentalloc(sizeof(G))) G;
  LockGuard g(&sched.lock);
  gp->alllink = nullptr;
  atomic::store(allgs_tail ? &allgs_tail->alllink : &allgs, gp);
  allgs_tail = gp;
  return gp;
}

// A goroutine's first code: its function, then exit.
static void gostart(void* p) {
  auto* gp = static_cast<G*>(p);
  preempt_fence();
  gp->locks--;  // newproc's: it was not preemptible until it got here
  gp->fn(gp->arg);
  goexit1();
}

// Switches from the current goroutine to its M's g0, which does `what`
// (for Park, with unlockf(gp, arg) once the goroutine's context is saved).
void mcall(MCall what, bool (*unlockf)(G*, void*), void* arg) {
  G* gp = getg();
  gp->locks++;  // not preemptible while switching, nor until resumed
  preempt_fence();
  M* m = gp->m;  // only now: before the increment, a preemption could move gp off m
  m->mcall = what;
  m->unlockf = unlockf;
  m->unlockarg = arg;
  gort_swapctx(&gp->sp, m->g0.sp);
  preempt_fence();
  gp->locks--;
}

static void stoplockedm(M* m);
static void startlockedm(M* m, G* gp);

// Runs gp until it gives the M back; returns a goroutine to resume at once,
// or null to schedule. *resume_inherit: the one returned goes on in the
// same time slice (it ran a GC cycle on g0, which is no scheduling).
static G* execute(M* m, G* gp, bool inherit, bool* resume_inherit) {
  *resume_inherit = false;
  P* pp = m->p;
  // A goroutine from runnext shares the slice of the one that readied it:
  // two goroutines waking each other through runnext (a channel ping-pong)
  // leave schedtick still, so sysmon preempts them after 10 ms and the
  // rest of the queue runs (Go's inheritTime). Else they starve it.
  if (!inherit) pp->schedtick++;
  pp->nrun++;
  m->curg = gp;
  gp->m = m;
  gp->status = GStatus::Running;
  if (!gp->sp) {  // first run: a stack now, not at newproc, so queued Gs cost no stack
    if (!gp->stack_hi) {
      Stack s = stackalloc(gp->goid);
      gp->stack_lo = s.lo;
      gp->stack_hi = s.hi;
      gp->stackguard = s.guard;
      gp->pool_stack = true;
    }
    gp->sp = arch_makectx(reinterpret_cast<void*>(gp->stack_hi), gostart, gp);
  }
  stack_enter(gp->stackguard, gp->stack_lo);  // no goroutine runs without its guard page
  gettls()->g = gp;
  gort_swapctx(&m->g0.sp, gp->sp);
  gettls()->g = &m->g0;  // back on g0, on this same M
  stack_leave(gp->stackguard);
  m->curg = nullptr;
  switch (m->mcall) {
    case MCall::Park:
      gp->status = GStatus::Waiting;
      if (m->unlockf && !m->unlockf(gp, m->unlockarg)) {
        gp->status = GStatus::Runnable;
        runqput(m->p, gp, true);
      }
      m->unlockf = nullptr;
      break;
    case MCall::Gosched: {
      gp->status = GStatus::Runnable;
      LockGuard g(&sched.lock);
      globrunqput(gp);
      break;
    }
    case MCall::Exit:
      gp->status = GStatus::Dead;
      // A dead G is still a root (its sleep timer is reused by its next
      // goroutine): what it pointed to for this one must not be kept.
      gp->arg = nullptr;
      gp->param = nullptr;
      gp->waiting = nullptr;
      if (gp->pool_stack) {
        stackfree(Stack{gp->stack_lo, gp->stack_hi});
        gp->stack_lo = gp->stack_hi = 0;
        gp->stackguard = nullptr;
      }
      gp->sp = nullptr;
      gp->m = nullptr;
      if (gp->lockedm) {  // exited still locked: the thread is free again
        m->lockedg = nullptr;
        gp->lockedm = nullptr;
        gp->lockedcount = 0;
      }
      atomic::store_relaxed(&m->p->ngoroutines, m->p->ngoroutines - 1);
      gfput(m->p, gp);
      break;
    case MCall::ExitSyscall:
      // Back from a system call without a P: on another P, or queued. (Once
      // queued, gp is not ours: another M may be running it by the time this
      // one has a P again.)
      if (exitsyscall_slow(m, gp)) {
        m->mcall = MCall::None;
        gp->status = GStatus::Runnable;  // execute runs it again, here
        return gp;
      }
      break;
    case MCall::GC:
      // The world is stopped by gp; the collector runs here, on g0, with
      // gp's context saved on its stack like every other goroutine's.
      gc_on_g0(gp);
      m->mcall = MCall::None;
      *resume_inherit = true;  // else sysmon would never see it run 10 ms
      return gp;
    case MCall::None: fatal("execute: goroutine switched to g0 without a reason");
  }
  m->mcall = MCall::None;
  if (m->lockedg) {
    // This M runs only its locked goroutine: give the P away and wait until
    // whoever next schedules that goroutine hands it back (startlockedm).
    stoplockedm(m);
    return m->lockedg;
  }
  return nullptr;
}

static void schedule() {
  M* m = getm();
  for (;;) {
    if (atomic::load(&sched.gcwaiting)) {
      gcstopm(m);
      continue;
    }
    P* pp = m->p;
    G* gp = nullptr;
    // Now and then the global queue first, so it cannot starve.
    if (pp->schedtick % 61 == 0 && atomic::load_relaxed(&sched.runqsize) > 0) {
      LockGuard g(&sched.lock);
      gp = globrunqget(pp, 1);
    }
    checktimers(pp, 0);
    bool inherit = false;
    if (!gp) gp = runqget(pp, &inherit);
    if (!gp) gp = findrunnable(m);
    if (m->spinning) resetspinning(m);
    if (gp->lockedm && gp->lockedm != m) {  // runs only on its own M
      startlockedm(m, gp);
      continue;
    }
    gp = execute(m, gp, inherit, &inherit);
    while (gp) gp = execute(m, gp, inherit, &inherit);
  }
}

// Each P counts the goroutines started minus those ended on it: a shared
// counter touched by every spawn and exit was a contended cache line. Ids
// stay one sequence, in the order of creation (Go hands them to each P 16
// at a time; tests and readers of dumps here count on the order).
static G* newproc_common(P* pp, void (*fn)(void*), void* arg) {
  G* gp = allocg();
  gp->fn = fn;
  gp->arg = arg;
  gp->sp = nullptr;
  gp->waitreason = nullptr;
  gp->goid = atomic::xadd(&sched.goidgen, int64_t(1));
  gp->locks = 1;  // until gostart: execute's switch to it must not be preempted
  gp->preempt = false;
  gp->system = false;
  gp->status = GStatus::Runnable;
  atomic::store_relaxed(&pp->ngoroutines, pp->ngoroutines + 1);
  return gp;
}

void goexit1() {
  mcall(MCall::Exit);
  __builtin_unreachable();  // a dead goroutine is never resumed
}

static void stoplockedm(M* m) {
  if (m->p) handoffp(releasep(m));
  {
    LockGuard g(&sched.lock);
    sched.nmidlelocked++;
    checkdead();
  }
  notesleep(&m->park);  // startlockedm counts us busy again before waking us
  atomic::store(&m->park, 0u);
  acquirep(m, m->nextp);
  m->nextp = nullptr;
}

// gp is locked to another M: give it our P and let it run gp there.
static void startlockedm(M* m, G* gp) {
  M* mp = gp->lockedm;
  {
    // Busy again from now: else checkdead, run by our stopm, could see every
    // M idle before mp wakes.
    LockGuard g(&sched.lock);
    sched.nmidlelocked--;
  }
  mp->nextp = releasep(m);
  notewakeup(&mp->park);
  stopm(m);
}

void schedtrace(int64_t now) {
  LockGuard g(&sched.lock);
  Printer p(2);
  print_arg(p, "SCHED ");
  print_arg(p, (now - boot.start_ns) / 1000000);
  print_arg(p, "ms: gomaxprocs=");
  print_arg(p, gomaxprocs);
  print_arg(p, " idleprocs=");
  print_arg(p, atomic::load(&sched.npidle));
  print_arg(p, " threads=");
  print_arg(p, atomic::load(&sched.nthreads));
  print_arg(p, " spinningthreads=");
  print_arg(p, atomic::load(&sched.nmspinning));
  print_arg(p, " idlethreads=");
  print_arg(p, sched.nmidle);
  print_arg(p, " runqueue=");
  print_arg(p, sched.runqsize);
  print_arg(p, " gcwaiting=");
  print_arg(p, atomic::load(&sched.gcwaiting));
  gc_schedtrace(p);
  print_arg(p, " [");
  for (int32_t i = 0; i < gomaxprocs; i++) {
    P* pp = allp[i];
    uint32_t n = atomic::load(&pp->runqtail) - atomic::load(&pp->runqhead);
    if (i) print_arg(p, " ");
    print_arg(p, n);
  }
  print_arg(p, "]\n");
}

void wakep() {
  if (atomic::load(&sched.npidle) == 0) return;
  if (atomic::load(&sched.nmspinning) != 0 || !atomic::cas(&sched.nmspinning, 0u, 1u)) return;
  startm(nullptr, true);
}

void procresize(int32_t n) {
  gomaxprocs = n;
  for (int32_t i = 0; i < n; i++) {
    allp[i] = new (persistentalloc(sizeof(P))) P;
    allp[i]->id = i;
    allp[i]->mcache = i == 0 ? m0.mcache : allocmcache();  // P 0 inherits m0's
  }
  m0.mcache = allocmcache();  // for m0 without a P: never shared with P 0
  m0.fastrand = uint32_t(rand64()) | 1;
  acquirep(&m0, allp[0]);
  for (int32_t i = n - 1; i > 0; i--) pidleput(allp[i]);
  sched.mcount = 1;  // m0
}

static G* newproc1(void (*fn)(void*), void* arg, bool system) {
  NoPreempt np;  // m and its P stay ours
  M* m = getm();
  if (!m->p) fatal("go: called from a thread that is not running goroutines");
  G* gp = newproc_common(m->p, fn, arg);
  if (system) {
    gp->system = true;
    atomic::xadd(&sched.ngsys, int64_t(1));
  }
  runqput(m->p, gp, true);
  if (main_started) {
    sysmon_start();
    wakep();
  }
  return gp;
}

G* newproc(void (*fn)(void*), void* arg) { return newproc1(fn, arg, false); }
G* newproc_system(void (*fn)(void*), void* arg) { return newproc1(fn, arg, true); }

G* newproc_main(void (*fn)(void*), void* arg) {
  G* gp = newproc_common(m0.p, fn, arg);
  Stack s = stackalloc_main(gp->goid);
  gp->stack_lo = s.lo;
  gp->stack_hi = s.hi;
  runqput(m0.p, gp, true);
  return gp;
}

void mstart0() {
  main_started = true;
  schedule();
}

void check_noparklocks(int32_t held, const char* what) {
  G* gp = getg();
  if (gp->locks == uint32_t(held)) return;
  if (gp->goid == 0) return;  // g0 never parks: the callers' own checks say so
  eprint("runtime: goroutine ", gp->goid, " would ", what, " holding ", int64_t(gp->locks) - held,
         " runtime lock(s): a value's constructor, assignment or destructor run by a channel must "
         "not block\n");
  fatal("schedule: holding locks");
}

void gopark(bool (*unlockf)(G*, void*), void* arg, const char* reason, int32_t held) {
  check_noparklocks(held, "park");
  getg()->waitreason = reason;
  mcall(MCall::Park, unlockf, arg);
}

bool parkunlock(G* gp, void* mutex) {
  unlock_parked(static_cast<RtMutex*>(mutex), gp);  // gp took it: its count, not g0's
  return true;
}

void goready(G* gp, bool next) {
  NoPreempt np;
  if (gp->status != GStatus::Waiting) fatal("goready: goroutine is not waiting");
  gp->status = GStatus::Runnable;
  runqput(getm()->p, gp, next);
  wakep();
}

uint32_t cheaprand() {
  NoPreempt np;
  return fastrand(getm());
}

uint32_t cheaprandn(uint32_t n) { return uint32_t((uint64_t(cheaprand()) * n) >> 32); }

// ---- public API (gort.h)
namespace detail {
void go_fn(void (*fn)(void*), void* arg) { newproc(fn, arg); }
}  // namespace detail
void gosched() {
  check_noparklocks(0, "yield");
  mcall(MCall::Gosched);
}
void goexit() {
  check_noparklocks(0, "exit");
  goexit1();
}
int64_t num_goroutine() {
  // Ps gone by set_gomaxprocs left theirs here; system goroutines are not counted.
  int64_t n = atomic::load(&sched.ngoroutines) - atomic::load(&sched.ngsys);
  int32_t np = atomic::load(&gomaxprocs);
  for (int32_t i = 0; i < np; i++) n += atomic::load_relaxed(&allp[i]->ngoroutines);
  return n;
}
int32_t gomaxprocs_now() { return gomaxprocs; }

void lock_os_thread() {
  NoPreempt np;
  G* gp = getg();
  gp->lockedcount++;
  gp->lockedm = gp->m;
  gp->m->lockedg = gp;
}

void unlock_os_thread() {
  NoPreempt np;
  G* gp = getg();
  if (gp->lockedcount == 0) return;  // as Go: unlocking an unlocked thread is a no-op
  if (--gp->lockedcount == 0) {
    gp->m->lockedg = nullptr;
    gp->lockedm = nullptr;
  }
}

int32_t set_max_threads(int32_t n) { return atomic::xchg(&sched.maxmcount, n); }

}  // namespace gort
