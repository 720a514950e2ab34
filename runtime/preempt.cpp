// runtime/preempt.cpp — asynchronous preemption (Go's preemptone and
// doSigPreempt): sysmon marks a goroutine that has run 10 ms without
// yielding and sends its M SIGURG; the handler, if the goroutine is at a safe
// point, makes it call gort_async_preempt (arch asm), which saves every
// register, yields (gosched), and resumes exactly where it was.
//
// Safe point: the goroutine (not g0) is running user code: its no-preempt
// count is 0 (not inside the allocator, a runtime lock, a switch or a system
// call transition), and its stack has room for the trampoline's frame.
#include "atomic.h"
#include "gort/gort.h"
#include "runtime2.h"

extern "C" void gort_async_preempt2() { gort::gosched(); }

namespace gort {

namespace {
constexpr uintptr_t kTrampolineRoom = 4096;  // the trampoline's frame and its callees'
}  // namespace

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
  if (*sp < gp->stack_lo + kTrampolineRoom || *sp > gp->stack_hi) return;
  gp->preempt = false;
  arch_push_call(sp, pc, uintptr_t(&gort_async_preempt));
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
