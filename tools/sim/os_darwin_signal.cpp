// gort-sim: Darwin signals. The frame is the one xnu's sendsig builds
// (bsd/dev/i386/unix_signal.c for x86_64, bsd/dev/arm/unix_signal.c for
// arm64): ucontext, siginfo and mcontext on the thread's stack (or its
// alternate stack), below the 128-byte red zone. The kernel then enters
// libSystem's _sigtramp, which calls handler(sig, siginfo, uctx) and passes
// uctx to sigreturn; the model plays _sigtramp: the handler starts with
// those arguments, uctx kept in a callee-saved register (rbx / x19) as
// _sigtramp keeps it, and returns into a stub that does the sigreturn from
// the (possibly edited) mcontext.
//
// Faults as xnu maps Mach exceptions to signals (bsd/uxkern/ux_exception.c
// and each sendsig): an unmapped address is SIGSEGV (x86_64 SEGV_MAPERR,
// arm64 SEGV_ACCERR); a mapped page without the access — a guard page, a
// PROT_NONE reservation, a write to read-only memory — is SIGBUS (x86_64
// BUS_ADRERR, arm64 BUS_ADRALN); an undefined instruction SIGILL (x86_64
// ILL_ILLOPC, arm64 ILL_ILLTRP), a breakpoint SIGTRAP (TRAP_BRKPT).
#include <csignal>
#include <cstring>

#include "os_darwin.h"

namespace sim::darwin {

int host_signal(int s) {
  switch (s) {
    case kSIGHUP: return SIGHUP;
    case kSIGINT: return SIGINT;
    case kSIGQUIT: return SIGQUIT;
    case kSIGILL: return SIGILL;
    case kSIGTRAP: return SIGTRAP;
    case kSIGABRT: return SIGABRT;
    case kSIGEMT: return SIGSYS;  // Linux has no SIGEMT
    case kSIGFPE: return SIGFPE;
    case kSIGKILL: return SIGKILL;
    case kSIGBUS: return SIGBUS;
    case kSIGSEGV: return SIGSEGV;
    case kSIGSYS: return SIGSYS;
    case kSIGPIPE: return SIGPIPE;
    case kSIGALRM: return SIGALRM;
    case kSIGTERM: return SIGTERM;
    case kSIGXCPU: return SIGXCPU;
    case kSIGXFSZ: return SIGXFSZ;
    case kSIGVTALRM: return SIGVTALRM;
    case kSIGPROF: return SIGPROF;
    case kSIGUSR1: return SIGUSR1;
    case kSIGUSR2: return SIGUSR2;
    default: return 0;
  }
}

namespace {

constexpr uint64_t kRedZone = 128;  // C_64_REDZONE_LEN
constexpr uint64_t kCantMask = (1u << (kSIGKILL - 1)) | (1u << (kSIGSTOP - 1));

bool default_ignored(int sig) {
  return sig == kSIGURG || sig == kSIGCHLD || sig == kSIGWINCH || sig == kSIGINFO ||
         sig == kSIGIO || sig == kSIGCONT || sig == kSIGSTOP || sig == kSIGTSTP ||
         sig == kSIGTTIN || sig == kSIGTTOU;
}

[[noreturn]] void die(Machine& m, int sig) {
  int h = host_signal(sig);
  if (!h) fatal("darwin: the guest died of signal " + std::to_string(sig));
  m.die_of_signal(h);
}

void rd(uc_engine* uc, int id, void* out) { uc_reg_read(uc, id, out); }
void wr(uc_engine* uc, int id, const void* in) { uc_reg_write(uc, id, in); }

// --- the mcontext from and to the CPU ---

void save_x86(Machine& m, X86Mcontext64& mc) {
  uint64_t* r = &mc.ss.rax;
  static const int ids[] = {UC_X86_REG_RAX, UC_X86_REG_RBX,   UC_X86_REG_RCX, UC_X86_REG_RDX,
                            UC_X86_REG_RDI, UC_X86_REG_RSI,   UC_X86_REG_RBP, UC_X86_REG_RSP,
                            UC_X86_REG_R8,  UC_X86_REG_R9,    UC_X86_REG_R10, UC_X86_REG_R11,
                            UC_X86_REG_R12, UC_X86_REG_R13,   UC_X86_REG_R14, UC_X86_REG_R15,
                            UC_X86_REG_RIP, UC_X86_REG_RFLAGS};
  for (int i = 0; i < 18; i++) r[i] = m.reg(ids[i]);
  mc.ss.cs = 0x2b;  // USER64_CS
  uc_engine* uc = m.uc();
  uint64_t v = 0;
  rd(uc, UC_X86_REG_FPCW, &v), mc.fs.fpu_fcw = uint16_t(v);
  rd(uc, UC_X86_REG_FPSW, &v), mc.fs.fpu_fsw = uint16_t(v);
  rd(uc, UC_X86_REG_FPTAG, &v);
  mc.fs.fpu_ftw = 0;  // fxsave's abridged tag: a bit per register that is not empty
  for (int i = 0; i < 8; i++)
    if (((v >> (2 * i)) & 3) != 3) mc.fs.fpu_ftw |= uint8_t(1 << i);
  rd(uc, UC_X86_REG_MXCSR, &v), mc.fs.fpu_mxcsr = uint32_t(v);
  mc.fs.fpu_mxcsrmask = 0xffff;
  for (int i = 0; i < 8; i++) rd(uc, UC_X86_REG_ST0 + i, mc.fs.fpu_stmm[i]);
  for (int i = 0; i < 16; i++) rd(uc, UC_X86_REG_XMM0 + i, mc.fs.fpu_xmm[i]);
}

void restore_x86(Machine& m, const X86Mcontext64& mc) {
  const uint64_t* r = &mc.ss.rax;
  static const int ids[] = {UC_X86_REG_RAX, UC_X86_REG_RBX, UC_X86_REG_RCX, UC_X86_REG_RDX,
                            UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RBP, UC_X86_REG_RSP,
                            UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
                            UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15,
                            UC_X86_REG_RIP};
  for (int i = 0; i < 17; i++) m.set_reg(ids[i], r[i]);
  // The user may change the arithmetic flags only (as xnu's thread_setstatus).
  uint64_t fl = m.reg(UC_X86_REG_RFLAGS), user = 0xcd5;  // CF PF AF ZF SF TF? DF OF
  m.set_reg(UC_X86_REG_RFLAGS, (fl & ~user) | (mc.ss.rflags & user));
  uc_engine* uc = m.uc();
  uint64_t v = mc.fs.fpu_fcw;
  wr(uc, UC_X86_REG_FPCW, &v);
  v = mc.fs.fpu_fsw, wr(uc, UC_X86_REG_FPSW, &v);
  v = mc.fs.fpu_mxcsr, wr(uc, UC_X86_REG_MXCSR, &v);
  for (int i = 0; i < 8; i++) wr(uc, UC_X86_REG_ST0 + i, mc.fs.fpu_stmm[i]);
  for (int i = 0; i < 16; i++) wr(uc, UC_X86_REG_XMM0 + i, mc.fs.fpu_xmm[i]);
}

void save_arm(Machine& m, ArmMcontext64& mc) {
  for (int i = 0; i < 29; i++) mc.ss.x[i] = m.reg(UC_ARM64_REG_X0 + i);
  mc.ss.fp = m.reg(UC_ARM64_REG_FP);
  mc.ss.lr = m.reg(UC_ARM64_REG_LR);
  mc.ss.sp = m.sp();
  mc.ss.pc = m.pc();
  mc.ss.cpsr = uint32_t(m.reg(UC_ARM64_REG_NZCV));
  uc_engine* uc = m.uc();
  for (int i = 0; i < 32; i++) rd(uc, UC_ARM64_REG_Q0 + i, mc.ns.v[i]);
  uint64_t v = 0;
  rd(uc, UC_ARM64_REG_FPSR, &v), mc.ns.fpsr = uint32_t(v);
  rd(uc, UC_ARM64_REG_FPCR, &v), mc.ns.fpcr = uint32_t(v);
}

void restore_arm(Machine& m, const ArmMcontext64& mc) {
  for (int i = 0; i < 29; i++) m.set_reg(UC_ARM64_REG_X0 + i, mc.ss.x[i]);
  m.set_reg(UC_ARM64_REG_FP, mc.ss.fp);
  m.set_reg(UC_ARM64_REG_LR, mc.ss.lr);
  m.set_sp(mc.ss.sp);
  m.set_pc(mc.ss.pc);
  m.set_reg(UC_ARM64_REG_NZCV, mc.ss.cpsr & 0xf0000000u);  // only the flags are the user's
  uc_engine* uc = m.uc();
  for (int i = 0; i < 32; i++) wr(uc, UC_ARM64_REG_Q0 + i, mc.ns.v[i]);
  uint64_t v = mc.ns.fpsr;
  wr(uc, UC_ARM64_REG_FPSR, &v);
  v = mc.ns.fpcr, wr(uc, UC_ARM64_REG_FPCR, &v);
}

// Mach exception numbers (mach/exception_types.h) for the mcontext's es.
constexpr uint32_t kExcBadAccess = 1, kExcBadInstruction = 2, kExcBreakpoint = 6;

}  // namespace

// Builds the frame and enters the handler (see the top of the file).
void Darwin::deliver(Machine& mm, Thread& t, const PendingSig& s) {
  SigAction& a = mm.sigactions[s.sig];
  if (a.handler == 1) return;  // SIG_IGN
  if (a.handler == 0) {        // SIG_DFL
    if (default_ignored(s.sig)) return;
    die(mm, s.sig);
  }
  bool fault = s.sig == kSIGSEGV || s.sig == kSIGBUS || s.sig == kSIGILL || s.sig == kSIGTRAP;
  bool oonstack = t.on_altstack;
  bool onstack = (a.flags & kSA_ONSTACK) && t.altstack.enabled && !oonstack;
  uint64_t sp0 = onstack ? t.altstack.sp + t.altstack.size : mm.sp();
  uint64_t stack_size = onstack ? t.altstack.size : 0;
  Siginfo si{};
  si.signo = s.sig;
  si.code = s.code;
  si.addr = fault && s.sig != kSIGILL && s.sig != kSIGTRAP ? s.addr : mm.pc();
  si.pad[0] = mm.sp();
  Ucontext uc{};
  uc.onstack = oonstack;
  uc.sigmask = uint32_t(t.sigmask);
  uc.stack.size = stack_size;
  uc.stack.flags = oonstack ? kSS_ONSTACK : 0;
  uint64_t uctx, sinfo, mctx, sp, msize;
  if (mm.cpu() == Cpu::amd64) {
    X86Mcontext64 mc{};
    save_x86(mm, mc);
    if (fault) {
      mc.es.faultvaddr = s.addr;
      mc.es.trapno = s.sig == kSIGILL ? 6 : s.sig == kSIGTRAP ? 3 : 14;  // #UD, #BP, #PF
    }
    msize = sizeof mc;
    uctx = sp0 - kRedZone - sizeof(Ucontext);
    sinfo = uctx - sizeof(Siginfo);
    mctx = sinfo - msize;
    sp = (mctx & ~uint64_t(15)) - 8;  // as _sigtramp sees it: just "called"
    if (!mm.accessible(sp, sp0 - sp, kWrite)) die(mm, kSIGILL);  // xnu: bad frame
    mm.write(mctx, &mc, msize);
  } else {
    ArmMcontext64 mc{};
    save_arm(mm, mc);
    if (fault) {
      mc.es.far = s.addr;
      mc.es.exception = s.sig == kSIGILL    ? kExcBadInstruction
                        : s.sig == kSIGTRAP ? kExcBreakpoint
                                            : kExcBadAccess;
    }
    msize = sizeof mc;
    sp = (sp0 - sizeof(ArmSigframe64) - kRedZone) & ~uint64_t(15);
    sinfo = sp + offsetof(ArmSigframe64, sinfo);
    uctx = sp + offsetof(ArmSigframe64, uctx);
    mctx = sp + offsetof(ArmSigframe64, mctx);
    if (!mm.accessible(sp, sp0 - sp, kWrite)) die(mm, kSIGILL);
    mm.write(mctx, &mc, msize);
  }
  uc.stack.sp = sp;
  uc.mcsize = msize;
  uc.mcontext = mctx;
  mm.write(uctx, &uc, sizeof uc);
  mm.write(sinfo, &si, sizeof si);
  if (onstack) t.on_altstack = true;
  t.sigmask |= a.mask | ((a.flags & kSA_NODEFER) ? 0 : 1ull << (s.sig - 1));
  t.sigmask &= ~kCantMask;
  uint64_t handler = a.handler;
  if (a.flags & kSA_RESETHAND) a.handler = 0, a.flags &= ~uint64_t(kSA_SIGINFO);
  if (mm.cpu() == Cpu::amd64) {
    mm.write_u64(sp, sigtramp_ret);
    mm.set_reg(UC_X86_REG_RDI, uint64_t(s.sig));
    mm.set_reg(UC_X86_REG_RSI, sinfo);
    mm.set_reg(UC_X86_REG_RDX, uctx);
    mm.set_reg(UC_X86_REG_RBX, uctx);
  } else {
    mm.set_reg(UC_ARM64_REG_X0, uint64_t(s.sig));
    mm.set_reg(UC_ARM64_REG_X1, sinfo);
    mm.set_reg(UC_ARM64_REG_X2, uctx);
    mm.set_reg(UC_ARM64_REG_X19, uctx);
    mm.set_reg(UC_ARM64_REG_LR, sigtramp_ret);
  }
  mm.set_sp(sp);
  mm.set_pc(handler);
  if (mm.trace_syscalls)
    mm.trace("signal " + std::to_string(s.sig) + " code " + std::to_string(s.code) +
             " delivered, handler " + std::to_string(handler));
}

// _sigtramp's tail: __sigreturn(uctx, UC_FLAVOR) restores what the mcontext
// now says (the handler may have changed pc and sp: gort's preemption does).
void Darwin::sigreturn() {
  Thread& t = m->current();
  uint64_t uctx = m->reg(m->cpu() == Cpu::amd64 ? int(UC_X86_REG_RBX) : int(UC_ARM64_REG_X19));
  Ucontext uc{};
  if (!m->read(uctx, &uc, sizeof uc)) fatal("darwin: sigreturn: ucontext unreadable");
  if (m->trace_syscalls)
    m->trace("sigreturn(0x" + [&] {
      char b[20];
      snprintf(b, sizeof b, "%llx", (unsigned long long)uctx);
      return std::string(b);
    }() + ", 0x1E) = 0 0");
  if (m->cpu() == Cpu::amd64) {
    X86Mcontext64 mc{};
    if (uc.mcsize < sizeof mc - 4 || !m->read(uc.mcontext, &mc, sizeof mc))
      fatal("darwin: sigreturn: mcontext unreadable");
    restore_x86(*m, mc);
  } else {
    ArmMcontext64 mc{};
    if (uc.mcsize < sizeof mc || !m->read(uc.mcontext, &mc, sizeof mc))
      fatal("darwin: sigreturn: mcontext unreadable");
    restore_arm(*m, mc);
  }
  t.on_altstack = uc.onstack & 1;
  t.sigmask = uc.sigmask & ~kCantMask;
}

void Darwin::fault(Machine& mm, Fault kind, uint64_t addr) {
  if (kind == Fault::breakpoint && mm.pc() >= stub_base && mm.pc() < stub_base + page)
    return on_stub(mm.pc());  // a libSystem call
  bool x86 = mm.cpu() == Cpu::amd64;
  PendingSig s;
  s.from_tid = mm.current().tid;
  s.addr = addr;
  switch (kind) {
    case Fault::unmapped: s.sig = kSIGSEGV, s.code = x86 ? kSEGV_MAPERR : kSEGV_ACCERR; break;
    case Fault::protection: s.sig = kSIGBUS, s.code = x86 ? kBUS_ADRERR : kBUS_ADRALN; break;
    case Fault::illegal: s.sig = kSIGILL, s.code = x86 ? kILL_ILLOPC : kILL_ILLTRP; break;
    case Fault::divide:  // x86 #DE, pc at the division (xnu: EXC_ARITHMETIC, EXC_I386_DIV)
      s.sig = kSIGFPE, s.code = kFPE_INTDIV, s.addr = mm.pc();
      break;
    case Fault::breakpoint:
      s.sig = kSIGTRAP, s.code = kTRAP_BRKPT;
      if (x86) mm.set_pc(mm.pc() + 1);  // int3 traps: rip is past it
      break;
  }
  Thread& t = mm.current();
  // A fault the thread blocks, or handles by default, ends the process.
  if ((t.sigmask >> (s.sig - 1)) & 1) die(mm, s.sig);
  if (mm.sigactions[s.sig].handler <= 1) die(mm, s.sig);
  deliver(mm, t, s);
}

void Darwin::install_signal_calls() {
  sigtramp_ret = add_stub("_sigtramp return", nullptr, [](Darwin& d) { d.sigreturn(); });
  add_stub("_sigaction", "xxx", [](Darwin& d) {
    int sig = int(d.arg(0));
    uint64_t act = d.arg(1), oact = d.arg(2);
    if (sig <= 0 || sig >= kNSIG) return d.ret_errno(kEINVAL);
    if (act && (sig == kSIGKILL || sig == kSIGSTOP)) return d.ret_errno(kEINVAL);
    SigAction& a = d.m->sigactions[sig];
    Sigaction nw{};
    if (act && !d.m->read(act, &nw, sizeof nw)) return d.ret_errno(kEFAULT);
    if (oact) {
      Sigaction o{a.handler, uint32_t(a.mask), int32_t(a.flags)};
      if (!d.m->write(oact, &o, sizeof o)) return d.ret_errno(kEFAULT);
    }
    if (act) {
      a.handler = nw.handler;
      a.mask = nw.mask & ~kCantMask;
      a.flags = uint32_t(nw.flags) & 0x7f;  // SA_USERSPACE_MASK
      a.restorer = d.sigtramp_ret;          // what libSystem hands the kernel as sa_tramp
    }
    d.ret(0);
  });
  add_stub("_sigaltstack", "xx", [](Darwin& d) {
    uint64_t ss = d.arg(0), oss = d.arg(1);
    Thread& t = d.m->current();
    if (oss) {
      StackT o{t.altstack.sp, t.altstack.size,
               (t.altstack.enabled ? 0 : kSS_DISABLE) | (t.on_altstack ? kSS_ONSTACK : 0), 0};
      if (!d.m->write(oss, &o, sizeof o)) return d.ret_errno(kEFAULT);
    }
    if (ss) {
      StackT n{};
      if (!d.m->read(ss, &n, sizeof n)) return d.ret_errno(kEFAULT);
      if (n.flags & ~kSS_DISABLE) return d.ret_errno(kEINVAL);
      if (t.on_altstack) return d.ret_errno(kEPERM);
      if (n.flags & kSS_DISABLE) {
        t.altstack.enabled = false;
        return d.ret(0);
      }
      if (n.size < kMINSIGSTKSZ) return d.ret_errno(kENOMEM);
      t.altstack = {n.sp, n.size, true};
    }
    d.ret(0);
  });
}

}  // namespace sim::darwin
