// runtime/preempt.cpp — asynchronous preemption (Go's preemptone and
// doSigPreempt): sysmon marks a goroutine that has run 10 ms without
// yielding and sends its M SIGURG; the handler, if the goroutine is at a safe
// point, makes it run gort_async_preempt (arch asm), which saves every
// register, yields (gosched), and resumes exactly where it was.
//
// Safe point: the goroutine (not g0) is running user code: its no-preempt
// count is 0 (not inside the allocator, a runtime lock, a switch or a system
// call transition), it is not already in the trampoline, and its stack has
// room for the trampoline's frame below the red zone.
//
// Resuming: amd64 returns with `ret $128`. arm64 and riscv64 have no
// instruction that loads pc and sp from memory without a scratch register,
// so the trampoline, with every register restored, executes an illegal
// instruction (gort_async_preempt_trap); sigtrap below puts the interrupted
// pc and sp into the signal context and the kernel's sigreturn restores all
// registers at once. See docs/ARCHITECTURE.md, "Async preemption".
#include "preempt.h"

#include "atomic.h"
#include "gort/gort.h"
#include "runtime2.h"
#include "traceback.h"

extern "C" {
uint64_t gort_preempt_count = 0;
void gort_async_preempt2() { gort::gosched(); }
}

namespace gort {

namespace {
// What gosched and the switch to another goroutine need below the
// trampoline's frame, stack probes included (riscv64's -fstack-check
// touches 4688 bytes below a function's sp): no probe may reach the guard.
constexpr uintptr_t kSchedRoom = 8192;

bool in_trampoline(uintptr_t pc) {
  return pc >= uintptr_t(&gort_async_preempt) && pc < uintptr_t(gort_async_preempt_end);
}

// SIGILL: the trampoline's trap return, or Go's report of an unexpected signal.
void sigill(int sig, void* info, void* uctx) {
  uintptr_t *sp, *pc;
  os_sigctx_sp_pc(uctx, &sp, &pc);
  if (kPreemptTrapReturn && *pc == uintptr_t(gort_async_preempt_trap)) {
    arch_preempt_resume(sp, pc);
    return;
  }
  sigthrow(sig, info, uctx);
}
}  // namespace

bool preempt_initsig() { return os_setsig(kSIGILL, sigill) == 0; }

void sigpreempt(int, void*, void* uctx) {
  if (!port_gettp()) return;
  TlsBlock* t = gettls();
  auto* gp = static_cast<G*>(t->g);
  auto* m = static_cast<M*>(t->m);
  if (!gp || !m || gp == &m->g0 || gp->goid <= 0) return;
  if (!atomic::load_relaxed(reinterpret_cast<uint32_t*>(&gp->preempt)) || gp->locks ||
      gp->status != GStatus::Running)
    return;
  uintptr_t *sp, *pc;
  os_sigctx_sp_pc(uctx, &sp, &pc);
  if (in_trampoline(*pc)) return;  // finishing a preemption: the next tick retries
  uintptr_t room = kRedZone + arch_preempt_frame_size() + kSchedRoom;
  if (*sp < gp->stack_lo + room || *sp > gp->stack_hi) return;
  gp->preempt = false;
  __atomic_add_fetch(&gort_preempt_count, 1, __ATOMIC_RELAXED);
  arch_preempt_push(sp, pc, uintptr_t(&gort_async_preempt), kRedZone);
}

void preempt_release(G* gp) {
  // As the signal handler would: only a goroutine running Go code (not g0,
  // not one in a system call, whose P may be someone else's by now).
  if (gp->goid <= 0 || gp->status != GStatus::Running) return;
  gp->preempt = false;
  gosched();
}

void preemptone(P* pp) {
  M* m = atomic::load(&pp->m);
  if (!m) return;
  G* gp = atomic::load(&m->curg);
  if (!gp || gp == &m->g0) return;
  gp->preempt = true;
  uintptr_t tid = atomic::load(&m->tid);
  if (tid) os_signal_thread(tid, kSIGURG);
}

}  // namespace gort
