// runtime/traceback.cpp — goroutine tracebacks (Go's traceback.go): each
// goroutine as `goroutine N [state]:` and its frames, symbolized from the
// executable's symbol table, walked up the frame-pointer chain.
#include "traceback.h"

#include "atomic.h"
#include "gort/gort.h"
#include "runtime2.h"
#include "symtab.h"

namespace gort {

namespace {
constexpr int kMaxFrames = 64;

const char* state_name(const G* gp) {
  switch (gp->status) {
    case GStatus::Running: return "running";
    case GStatus::Runnable: return "runnable";
    case GStatus::Syscall: return "syscall";
    case GStatus::Waiting: return gp->waitreason ? gp->waitreason : "waiting";
    default: return "dead";
  }
}

// exact: pc is where the code stopped (a signal), not a return address,
// which points after its call: there pc-1 is looked up and pc reported.
void print_frame(uintptr_t pc, bool exact = false) {
  const char* name;
  uintptr_t off;
  uintptr_t at = exact ? pc : pc - 1;
  if (funcname(at, &name, &off))
    eprint(name, "()\n\t+", Hex{off + pc - at}, " pc=", Hex{pc}, "\n");
  else
    eprint("?()\n\tpc=", Hex{pc}, "\n");
}

void walk_interrupted(uintptr_t fp, uintptr_t pc, uintptr_t lr, uintptr_t lo, uintptr_t hi, int n);

// Walks frames from (fp, pc) while fp stays inside [lo, hi). A frame of
// gort_async_preempt goes on into the code it interrupted.
void walk(uintptr_t fp, uintptr_t pc, uintptr_t lo, uintptr_t hi, int n = 0) {
  for (; n < kMaxFrames && pc; n++) {
    print_frame(pc);
    if (fp < lo || fp >= hi || fp % sizeof(uintptr_t)) return;
    if (pc == uintptr_t(gort_async_preempt_ret)) {
      uintptr_t ipc, ifp, ilr;
      arch_preempt_frame(fp, &ipc, &ifp, &ilr);
      walk_interrupted(ifp, ipc, ilr, lo, hi, n + 1);
      return;
    }
    uintptr_t next = arch_frame_next(fp, &pc);
    if (next <= fp) return;  // the chain must climb the stack
    fp = next;
  }
}

// Code stopped at pc by a signal, with frame pointer fp and link register lr.
void walk_interrupted(uintptr_t fp, uintptr_t pc, uintptr_t lr, uintptr_t lo, uintptr_t hi, int n) {
  if (n >= kMaxFrames) return;
  uintptr_t next_fp;
  const char *f1, *f2;
  uintptr_t o1, o2;
  print_frame(pc, true);
  if (fp < lo || fp >= hi || fp % sizeof(uintptr_t)) return;
  if (arch_leaf_candidate(fp, lr, lo, hi, &next_fp) && funcname(pc, &f1, &o1) &&
      funcname(lr - 1, &f2, &o2) && f1 != f2) {
    // A leaf: its caller at lr, then the caller's caller onwards.
    walk(next_fp, lr, lo, hi, n + 1);
    return;
  }
  uintptr_t next = arch_frame_next(fp, &pc);
  if (next > fp) walk(next, pc, lo, hi, n + 1);
}
}  // namespace

void traceback_current() {
  G* gp = getg();
  eprint("\ngoroutine ", gp->goid, " [running]:\n");
  uintptr_t fp = uintptr_t(__builtin_frame_address(0)), pc;
  fp = arch_frame_next(fp, &pc);  // skip traceback_current itself
  walk(fp, pc, gp->stack_lo, gp->stack_hi);
}

void traceback_interrupted(G* gp, const void* uctx) {
  if (!gp || gp->goid <= 0) return;
  uintptr_t fp, pc, lr;
  os_sigctx_frame(uctx, &fp, &pc, &lr);
  eprint("\ngoroutine ", gp->goid, " [", state_name(gp), "]:\n");  // [syscall] if blocked there
  walk_interrupted(fp, pc, lr, gp->stack_lo, gp->stack_hi, 0);
}

void traceback_parked(G* gp) {
  eprint("\ngoroutine ", gp->goid, " [", state_name(gp), "]:\n");
  if (gp->status == GStatus::Syscall) {  // from entersyscall's caller on
    walk(gp->syscallfp, gp->syscallpc, gp->stack_lo, gp->stack_hi);
    return;
  }
  if (!gp->sp) return;  // not started yet: no frames
  uintptr_t fp, pc;
  arch_ctx_frame(gp->sp, &fp, &pc);
  walk(fp, pc, gp->stack_lo, gp->stack_hi);
}

void tracebackothers(G* me) {
  for (G* gp = allgs_head(); gp; gp = atomic::load(&gp->alllink)) {
    if (gp == me || gp->status == GStatus::Dead || gp->status == GStatus::Idle || gp->system)
      continue;
    if (gp->status == GStatus::Running) {
      eprint("\ngoroutine ", gp->goid, " [running]:\n\t(running on another thread)\n");
      continue;
    }
    traceback_parked(gp);
  }
}

}  // namespace gort
