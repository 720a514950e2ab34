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

void print_frame(uintptr_t pc) {
  const char* name;
  uintptr_t off;
  // A return address points after the call: look up pc-1, report pc.
  if (funcname(pc - 1, &name, &off))
    eprint(name, "()\n\t+", Hex{off + 1}, " pc=", Hex{pc}, "\n");
  else
    eprint("?()\n\tpc=", Hex{pc}, "\n");
}

// Walks frames from (fp, pc) while fp stays inside [lo, hi).
void walk(uintptr_t fp, uintptr_t pc, uintptr_t lo, uintptr_t hi) {
  for (int n = 0; n < kMaxFrames && pc; n++) {
    print_frame(pc);
    if (fp < lo || fp >= hi || fp % sizeof(uintptr_t)) return;
    uintptr_t next = arch_frame_next(fp, &pc);
    if (next <= fp) return;  // the chain must climb the stack
    fp = next;
  }
}
}  // namespace

void traceback_current() {
  G* gp = getg();
  eprint("\ngoroutine ", gp->goid, " [running]:\n");
  uintptr_t fp = uintptr_t(__builtin_frame_address(0)), pc;
  fp = arch_frame_next(fp, &pc);  // skip traceback_current itself
  walk(fp, pc, gp->stack_lo, gp->stack_hi);
}

void traceback_interrupted(G* gp, uintptr_t fp, uintptr_t pc, uintptr_t lr) {
  eprint("\ngoroutine ", gp->goid, " [running]:\n");
  uintptr_t next_fp;
  const char *f1, *f2;
  uintptr_t o1, o2;
  if (fp >= gp->stack_lo && fp < gp->stack_hi &&
      arch_leaf_candidate(fp, lr, gp->stack_lo, gp->stack_hi, &next_fp) && funcname(pc, &f1, &o1) &&
      funcname(lr - 1, &f2, &o2) && f1 != f2) {
    // A leaf: it, then its caller at lr, then the caller's caller onwards.
    print_frame(pc + 1);
    pc = lr;
    fp = next_fp;
  }
  walk(fp, pc, gp->stack_lo, gp->stack_hi);
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
    if (gp == me || gp->status == GStatus::Dead || gp->status == GStatus::Idle) continue;
    if (gp->status == GStatus::Running) {
      eprint("\ngoroutine ", gp->goid, " [running]:\n\t(running on another thread)\n");
      continue;
    }
    traceback_parked(gp);
  }
}

}  // namespace gort
