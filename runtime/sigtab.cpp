// runtime/sigtab.cpp — what gort does with each signal, as Go does when the
// program has not asked for any (Go's sigtable and sighandler; os/signal's
// documentation says the same in prose):
//   - SIGSEGV, SIGBUS: faults (signal.cpp); SIGQUIT: dump every goroutine;
//     SIGURG: preemption (preempt.cpp).
//   - SIGILL, SIGTRAP, SIGABRT, SIGSYS, SIGSTKFLT, SIGEMT: the name, PC=, the
//     goroutine, exit 2. SIGFPE: Go's run-time panic for the fault.
//   - SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD, SIGXCPU, SIGXFSZ, SIGVTALRM,
//     SIGPROF, SIGWINCH, SIGIO, SIGPWR, SIGINFO, SIGTHR, SIGLIBRT and the
//     real-time signals: caught and ignored.
//   - SIGPIPE: caught and ignored, so a write to a broken pipe fails with
//     EPIPE; but on fd 1 or 2 the program then dies of SIGPIPE (sigpipe).
//   - SIGHUP, SIGINT, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU, SIGCONT: the OS's
//     default (Go's handler ends in the same place: killed, or stopped).
#include "gort/gort.h"
#include "runtime.h"
#include "traceback.h"

namespace gort {

namespace {
enum class Act : uint8_t { Ignore, Throw, Panic };
struct SigTab {
  int sig;
  Act act;
  const char* name;  // Go's text
};

// Numbers are the OS port's; 0 where that OS has no such signal.
constexpr SigTab kSigTab[] = {
    {kSIGILL, Act::Throw, "SIGILL: illegal instruction"},
    {kSIGTRAP, Act::Throw, "SIGTRAP: trace trap"},
    {kSIGABRT, Act::Throw, "SIGABRT: abort"},
    {kSIGEMT, Act::Throw, "SIGEMT: emulate instruction executed"},
    {kSIGFPE, Act::Panic, "SIGFPE: floating-point exception"},
    {kSIGUSR1, Act::Ignore, "SIGUSR1: user-defined signal 1"},
    {kSIGUSR2, Act::Ignore, "SIGUSR2: user-defined signal 2"},
    {kSIGPIPE, Act::Ignore, "SIGPIPE: write to broken pipe"},
    {kSIGALRM, Act::Ignore, "SIGALRM: alarm clock"},
    {kSIGSTKFLT, Act::Throw, "SIGSTKFLT: stack fault"},
    {kSIGCHLD, Act::Ignore, "SIGCHLD: child status has changed"},
    {kSIGXCPU, Act::Ignore, "SIGXCPU: cpu limit exceeded"},
    {kSIGXFSZ, Act::Ignore, "SIGXFSZ: file size limit exceeded"},
    {kSIGVTALRM, Act::Ignore, "SIGVTALRM: virtual alarm clock"},
    {kSIGPROF, Act::Ignore, "SIGPROF: profiling alarm clock"},
    {kSIGWINCH, Act::Ignore, "SIGWINCH: window size change"},
    {kSIGIO, Act::Ignore, "SIGIO: i/o now possible"},
    {kSIGPWR, Act::Ignore, "SIGPWR: power failure restart"},
    {kSIGINFO, Act::Ignore, "SIGINFO: status request from keyboard"},
    {kSIGSYS, Act::Throw, "SIGSYS: bad system call"},
    {kSIGTHR, Act::Ignore, "SIGTHR: reserved"},
    {kSIGLIBRT, Act::Ignore, "SIGLIBRT: reserved for thread library"},
};

const SigTab* lookup(int sig) {
  for (const SigTab& t : kSigTab)
    if (t.sig == sig) return &t;
  return nullptr;
}

void sigignore(int, void*, void*) {}

// Go's run-time panics for SIGFPE, by si_code (each OS numbers FPE_INTDIV
// and FPE_INTOVF its own way: os_port.h).
const char* fpe_error(int code) {
  if (code == kFPE_INTDIV) return "integer divide by zero";
  if (code == kFPE_INTOVF) return "integer overflow";
  return "floating point error";
}

void sigpanic_fpe(int sig, void* info, void* uctx) {
  uintptr_t fp, pc, lr;
  os_sigctx_frame(uctx, &fp, &pc, &lr);
  int code = os_sigcode(info);
  eprint("panic: runtime error: ", fpe_error(code), "\n[signal ", lookup(sig)->name,
         " code=", Hex{uint64_t(uint32_t(code))}, " addr=", Hex{uintptr_t(os_sigaddr(info))},
         " pc=", Hex{pc}, "]\n");
  traceback_interrupted(getg(), uctx);
  os_exit(2);
}
}  // namespace

void sigthrow(int sig, void* info, void* uctx) {
  uintptr_t fp, pc, lr;
  os_sigctx_frame(uctx, &fp, &pc, &lr);
  const SigTab* t = lookup(sig);
  auto* m = static_cast<M*>(gettls()->m);
  if (t)
    eprint(t->name, "\n");
  else
    eprint("signal ", sig, "\n");
  eprint("PC=", Hex{pc}, " m=", m ? m->id : 0, " sigcode=", os_sigcode(info), "\n");
  traceback_interrupted(getg(), uctx);
  os_exit(2);
}

void initsigtab() {
  for (const SigTab& t : kSigTab) {
    if (t.sig == 0) continue;
    SigHandler h = t.act == Act::Ignore ? sigignore : t.act == Act::Throw ? sigthrow : sigpanic_fpe;
    if (os_setsig(t.sig, h) != 0) fatal("cannot install signal handlers");
  }
  for (int sig = kSIGRTFirst; sig <= kSIGRTLast; sig++)
    if (os_setsig(sig, sigignore) != 0) fatal("cannot install signal handlers");
}

void sigpipe(int fd, long r) {
  if (r != -kEPIPE || (fd != 1 && fd != 2)) return;
  // Go's dieFromSignal: the default action, then the signal again.
  os_setsig(kSIGPIPE, nullptr);
  os_raise(kSIGPIPE);
  os_exit(2);  // not reached unless the signal is blocked
}

}  // namespace gort
