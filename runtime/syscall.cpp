// runtime/syscall.cpp — goroutines in system calls (Go's entersyscall,
// exitsyscall, handoffp, and sysmon's retake): while a goroutine blocks in
// the kernel its P can go to another M, and on return it takes a P back or
// queues itself. See docs/ARCHITECTURE.md, "Scheduler".
#include "atomic.h"
#include "gort/gort.h"
#include "runtime2.h"

namespace gort {

// A P taken from an M in a system call: run its work elsewhere, or idle it.
// A stopping world takes it instead; that is checked where the P would go
// idle, under the same lock as the stopper's sweep of the idle list (Go's
// handoffp), else a P idled after the sweep would never be counted.
void handoffp(P* pp) {
  if (!runqempty(pp) || atomic::load_relaxed(&sched.runqsize) > 0) return startm(pp, false);
  if (atomic::load(&sched.nmspinning) == 0 && atomic::cas(&sched.nmspinning, 0u, 1u))
    return startm(pp, true);
  LockGuard g(&sched.lock);
  if (sched.gcwaiting) return stopped_p(pp);
  pidleput(pp);
}

// exitsyscall's slow path, on g0: the P is gone; take an idle one (true:
// resume gp on it), or queue the goroutine and park this M (false).
bool exitsyscall_slow(M* m, G* gp) {
  P* pp;
  {
    LockGuard g(&sched.lock);
    pp = pidleget();
    if (!pp) {
      gp->status = GStatus::Runnable;
      globrunqput(gp);
    }
  }
  if (pp) {
    acquirep(m, pp);
    return true;
  }
  if (!m->lockedg) stopm(m);  // a locked M waits for gp instead (execute)
  return false;
}

// The goroutine is marked Syscall until exitsyscall: the preemption handler
// leaves it alone (its P may belong to another M by then), and tracebacks
// show it from where it entered, as Go's [syscall].
namespace {
__attribute__((noinline)) void syscall_p(P* pp) {
  pp->syscalltick++;
  atomic::store(pstatus(pp), uint32_t(PStatus::Syscall));
}
}  // namespace

// Tracebacks of the goroutine start at its caller, as Go's syscallpc/sp:
// that frame stays put while the system call runs (ours does not). Reading
// it through our own frame record needs a full record, which a riscv64
// leaf does not write: hence the call out to syscall_p.
__attribute__((noinline)) void entersyscall() {
  NoPreempt np;
  G* gp = getg();
  gp->syscallfp = arch_frame_next(uintptr_t(__builtin_frame_address(0)), &gp->syscallpc);
  // While the kernel has it, the collector scans the stack from here: the
  // caller (read, write) spilled every callee-saved register above it.
  gp->syscallsp = uintptr_t(__builtin_frame_address(0));
  gp->status = GStatus::Syscall;
  syscall_p(gp->m->p);
}

void exitsyscall() {
  NoPreempt np;
  G* gp = getg();
  M* m = gp->m;
  P* pp = m->p;
  // Fast path: nobody took the P. (Or it was taken, given to another M that
  // is itself in a system call now, and is ours again: say so in pp->m.)
  // Until then the goroutine stays in Syscall: a world stopped meanwhile
  // (which took the P) scans its stack from syscallsp.
  if (atomic::cas(pstatus(pp), uint32_t(PStatus::Syscall), uint32_t(PStatus::Running))) {
    gp->status = GStatus::Running;
    atomic::store(&pp->m, m);
    return;
  }
  m->p = nullptr;  // the P belongs to someone else now
  mcall(MCall::ExitSyscall);
}

int retake(uint32_t* last_ticks, bool* force) {
  int n = 0;
  for (int32_t i = 0; i < gomaxprocs; i++) {
    P* pp = allp[i];
    uint32_t tick = atomic::load_relaxed(&pp->syscalltick);
    bool forced = force[i];
    force[i] = false;
    if (atomic::load(pstatus(pp)) != uint32_t(PStatus::Syscall)) {
      last_ticks[i] = tick;
      continue;
    }
    if (tick != last_ticks[i] && !forced) {  // entered since our last look: give it a tick
      last_ticks[i] = tick;
      continue;
    }
    if (!atomic::cas(pstatus(pp), uint32_t(PStatus::Syscall), uint32_t(PStatus::Idle))) continue;
    pp->m = nullptr;
    n++;
    handoffp(pp);
  }
  return n;
}

// Every callee-saved register is saved in this frame, so a pointer the
// caller kept only in a register is on the stack the collector scans while
// the call blocks (bdwgc does the same with __builtin_unwind_init, the
// default; an arch whose compilers save more with it than the frame record
// allows names the registers itself).
#ifdef GORT_ARCH_SPILL_CALLEE_SAVED
#define SPILL_CALLEE_SAVED() GORT_ARCH_SPILL_CALLEE_SAVED()
#else
#define SPILL_CALLEE_SAVED() __builtin_unwind_init()
#endif
__attribute__((noinline)) long read(int fd, void* buf, size_t n) {
  SPILL_CALLEE_SAVED();
  entersyscall();
  long r = os_read(fd, buf, n);
  exitsyscall();
  return r;
}
__attribute__((noinline)) long write(int fd, const void* buf, size_t n) {
  SPILL_CALLEE_SAVED();
  entersyscall();
  long r = os_write(fd, buf, n);
  exitsyscall();
  sigpipe(fd, r);
  return r;
}

}  // namespace gort
