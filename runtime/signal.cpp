// runtime/signal.cpp — the runtime's fault handler: a SIGSEGV or SIGBUS in the
// guard below the faulting thread's stack is a stack overflow; any other fault is Go's
// "unexpected fault address". Either way: a report on stderr, exit status 2.
// Runs on the thread's alternate signal stack (the faulting stack is spent).
#include "gort/gort.h"
#include "mgc.h"
#include "preempt.h"
#include "runtime.h"
#include "runtime2.h"
#include "stack.h"
#include "traceback.h"

namespace gort {

namespace {
alignas(16) char m0_sigstack[kSigStackSize];
}  // namespace
uintptr_t m0_sigstack_region() { return uintptr_t(m0_sigstack); }
namespace {

// SIGQUIT: Go's dump of every goroutine, then exit 2.
void sigquit(int, void*, void* uctx) {
  eprint("SIGQUIT: quit\n");
  G* gp = getg();
  traceback_interrupted(gp, uctx);
  tracebackothers(gp);
  eprint("\n");
  gc_print_state();
  os_exit(2);
}

// The faulting thread's own goroutine (or its M's g0) is the one that ran
// out of stack: its guard is below its stack, whatever lies below that.
void sigfault(int sig, void* info, void* uctx) {
  uintptr_t addr = uintptr_t(os_sigaddr(info));
  if (port_gettp()) {  // after the tls stage
    uintptr_t *spp, *pcp;
    os_sigctx_sp_pc(uctx, &spp, &pcp);
    G* gp = getg();
    if (stack_overflowed(gp, addr, *spp)) throw_stack_overflow(gp, *spp, uctx);
    M* m = static_cast<M*>(gettls()->m);
    if (m && gp != &m->g0 && stack_overflowed(&m->g0, addr, *spp))
      throw_stack_overflow(&m->g0, *spp, uctx);
  }
  eprint("unexpected fault address ", Hex{addr}, "\nfatal error: fault\n[signal ",
         sig == kSIGBUS ? "SIGBUS: bus error" : "SIGSEGV: segmentation violation",
         " addr=", Hex{addr}, "]\n");
  os_exit(2);
}
}  // namespace

void minitsignals(void* stack, size_t size) {
  if (os_sigaltstack(stack, size) != 0) fatal("sigaltstack failed");
  if (os_sigunblock() != 0) fatal("sigprocmask failed");
}

void initsig() {
  minitsignals(m0_sigstack, sizeof m0_sigstack);
  initsigtab();  // first: the handlers below replace its defaults (SIGILL's)
  if (os_setsig(kSIGSEGV, sigfault) != 0 || os_setsig(kSIGBUS, sigfault) != 0 ||
      os_setsig(kSIGQUIT, sigquit) != 0 || os_setsig(kSIGURG, sigpreempt) != 0 ||
      !preempt_initsig())
    fatal("cannot install fault handlers");
}

}  // namespace gort
