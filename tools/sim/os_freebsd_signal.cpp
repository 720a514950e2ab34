// gort-sim's FreeBSD model: signals. sendsig and sys_sigreturn of each
// arch's exec_machdep.c (the frame, where it goes, the registers the handler
// starts with), trapsignal's rule for faults (kern_sig.c: a fault whose
// signal is blocked or not caught kills the process), and the calls that
// set the signal state (sigaction, sigprocmask, sigaltstack).
#include <cstring>

#include "os_freebsd.h"

namespace sim::fbsd {
namespace {

constexpr uint64_t bit(int sig) { return uint64_t(1) << (sig - 1); }
constexpr uint64_t kUnblockable = bit(FB_SIGKILL) | bit(FB_SIGSTOP);

sigset_t to_sigset(uint64_t mask) { return sigset_t{{uint32_t(mask), uint32_t(mask >> 32), 0, 0}}; }
uint64_t from_sigset(const sigset_t& s) { return s.bits[0] | uint64_t(s.bits[1]) << 32; }

siginfo_t make_siginfo(const PendingSig& s, int64_t pid, int trapno) {
  siginfo_t si{};
  si.si_signo = s.sig;
  si.si_code = s.code;
  si.si_addr = s.addr;
  if (s.code == FB_SI_USER || s.code == FB_SI_LWP) si.si_pid = int32_t(pid);
  si.reason.fault.trapno = trapno;
  return si;
}

// rdtime (csrrs rd, time, x0) is legal in FreeBSD user mode (the kernel
// enables scounteren.TM); Unicorn's CPU has no time source and calls it
// illegal. The model answers from the virtual clock at 10 MHz, the
// timebase of the platforms FreeBSD's riscv64 runs on (QEMU virt, SiFive).
bool emulate_rdtime(Machine& m) {
  uint32_t insn = 0;
  if (!m.read(m.pc(), &insn, 4)) return false;
  bool csrrs = (insn & 0x7f) == 0x73 && ((insn >> 12) & 7) == 2 && ((insn >> 15) & 31) == 0;
  if (!csrrs || (insn >> 20) != 0xc01) return false;
  int rd = int(insn >> 7) & 31;
  if (rd) m.set_reg(UC_RISCV_REG_X0 + rd, m.now_ns() / 100);
  m.set_pc(m.pc() + 4);
  return true;
}

}  // namespace

bool FreeBSD::on_altstack(Machine& m, const Thread& t) {
  // sigonstack(): the stack pointer, not a flag, says where we are.
  return t.altstack.enabled && m.sp() - t.altstack.sp < t.altstack.size;
}

// The kernel's sigexit: the process dies of the signal, and so does the
// simulator, so the exit status the caller sees is the guest's.
void FreeBSD::die(Machine& m, int sig) {
  if (m.trace_syscalls) m.trace("SIGNAL " + std::to_string(sig) + " (killed)");
  m.die_of_signal(host_signal(sig));
}

void FreeBSD::deliver(Machine& m, Thread& t, const PendingSig& s) {
  SigAction& act = m.sigactions[s.sig];
  if (act.handler == FB_SIG_IGN) return;
  if (act.handler == FB_SIG_DFL) {
    if (default_ignores(s.sig)) return;
    if (s.sig == FB_SIGSTOP || s.sig == FB_SIGTSTP || s.sig == FB_SIGTTIN || s.sig == FB_SIGTTOU)
      fatal("freebsd: signal " + std::to_string(s.sig) +
            "'s default action (stop) is not modelled");
    die(m, s.sig);
  }
  send_frame(m, t, s, act);
}

void FreeBSD::fault(Machine& m, Fault kind, uint64_t addr) {
  PendingSig s;
  int trapno = 0;
  Cpu cpu = m.cpu();
  switch (kind) {
    case Fault::unmapped:
    case Fault::protection:
      s = {FB_SIGSEGV, kind == Fault::unmapped ? FB_SEGV_MAPERR : FB_SEGV_ACCERR, addr, 0};
      trapno = 12;  // T_PAGEFLT
      break;
    case Fault::illegal:
      if (cpu == Cpu::riscv64 && emulate_rdtime(m)) return;
      // amd64 #UD is T_PRIVINFLT -> ILL_PRVOPC; arm64 says ILL_ILLOPC,
      // riscv ILL_ILLTRP (each arch's trap.c).
      s = {FB_SIGILL,
           cpu == Cpu::amd64   ? FB_ILL_PRVOPC
           : cpu == Cpu::arm64 ? FB_ILL_ILLOPC
                               : FB_ILL_ILLTRP,
           m.pc(), 0};
      trapno = 1;
      break;
    case Fault::breakpoint:
      // x86's int3 is a trap: FreeBSD's frame (and si_addr, tf_rip) has
      // the address after it, where the machine reports the instruction.
      if (cpu == Cpu::amd64) m.set_pc(m.pc() + 1);
      s = {FB_SIGTRAP, FB_TRAP_BRKPT, m.pc(), 0};
      trapno = 3;  // T_BPTFLT
      break;
    case Fault::divide:
      s = {FB_SIGFPE, FB_FPE_INTDIV, m.pc(), 0};  // amd64 trap.c T_DIVIDE
      trapno = 18;
      break;
  }
  Thread& t = m.current();
  SigAction& act = m.sigactions[s.sig];
  if (act.handler == FB_SIG_DFL || act.handler == FB_SIG_IGN || (t.sigmask & bit(s.sig)))
    die(m, s.sig);
  fault_trapno_ = trapno;
  send_frame(m, t, s, act);
  fault_trapno_ = 0;
}

template <class Frame>
static uint64_t place_frame(Machine& m, const Thread& t, const SigAction& act, bool onstack,
                            uint64_t redzone) {
  uint64_t sp;
  if (t.altstack.enabled && !onstack && (act.flags & FB_SA_ONSTACK))
    sp = t.altstack.sp + t.altstack.size;
  else
    sp = m.sp() - redzone;
  return (sp - sizeof(Frame)) & ~uint64_t(15);
}

void FreeBSD::send_frame(Machine& m, Thread& t, const PendingSig& s, const SigAction& act) {
  bool onstack = on_altstack(m, t);
  stack_t st{t.altstack.sp, t.altstack.size,
             t.altstack.enabled ? (onstack ? FB_SS_ONSTACK : 0) : FB_SS_DISABLE};
  siginfo_t si = make_siginfo(s, kPid, fault_trapno_);
  bool siginfo = act.flags & FB_SA_SIGINFO;
  bool wrote = false;
  switch (m.cpu()) {
    case Cpu::amd64: {
      auto* f = new sigframe_amd64{};
      get_mcontext(m, f->sf_uc.uc_mcontext);
      f->sf_uc.uc_mcontext.mc_onstack = onstack;
      if (s.code != FB_SI_USER && s.code != FB_SI_LWP && fault_trapno_) {
        f->sf_uc.uc_mcontext.mc_trapno = uint32_t(fault_trapno_);
        if (fault_trapno_ == 12) f->sf_uc.uc_mcontext.mc_addr = int64_t(s.addr);  // cr2
      }
      f->sf_uc.uc_sigmask = to_sigset(t.sigmask);
      f->sf_uc.uc_stack = st;
      f->sf_ahu = act.handler;
      // The amd64 ABI's 128-byte red zone below %rsp is the interrupted code's.
      uint64_t sfp = place_frame<sigframe_amd64>(m, t, act, onstack, 128);
      if (siginfo) f->sf_si = si;
      wrote = m.write(sfp, f, sizeof *f);
      delete f;
      m.set_reg(UC_X86_REG_RDI, uint64_t(s.sig));
      m.set_reg(UC_X86_REG_RSI, siginfo ? sfp + offsetof(sigframe_amd64, sf_si) : uint64_t(s.code));
      m.set_reg(UC_X86_REG_RDX, sfp + offsetof(sigframe_amd64, sf_uc));
      m.set_reg(UC_X86_REG_RCX, s.addr);
      m.set_reg(UC_X86_REG_EFLAGS, m.reg(UC_X86_REG_EFLAGS) & ~uint64_t(0x100 | 0x400));
      m.set_sp(sfp);
      m.set_pc(sigcode_);
      break;
    }
    case Cpu::arm64: {
      auto* f = new sigframe_arm64{};
      get_mcontext(m, f->sf_uc.uc_mcontext);
      f->sf_si = si;
      f->sf_uc.uc_sigmask = to_sigset(t.sigmask);
      f->sf_uc.uc_stack = st;
      // Above the frame: the extra-register list, here just its end marker,
      // which mc_ptr points at (sendsig_ctx_end).
      uint64_t top = (t.altstack.enabled && !onstack && (act.flags & FB_SA_ONSTACK))
                         ? t.altstack.sp + t.altstack.size
                         : m.sp();
      uint64_t ctx = top - 8;
      uint32_t end[2] = {FB_ARM64_CTX_END, 8};
      f->sf_uc.uc_mcontext.mc_ptr = ctx;
      uint64_t fp = (ctx - sizeof(sigframe_arm64)) & ~uint64_t(15);
      wrote = m.write(ctx, end, sizeof end) && m.write(fp, f, sizeof *f);
      delete f;
      m.set_reg(UC_ARM64_REG_X0, uint64_t(s.sig));
      m.set_reg(UC_ARM64_REG_X1, fp + offsetof(sigframe_arm64, sf_si));
      m.set_reg(UC_ARM64_REG_X2, fp + offsetof(sigframe_arm64, sf_uc));
      m.set_reg(UC_ARM64_REG_X8, act.handler);
      m.set_sp(fp);
      m.set_pc(sigcode_);
      break;
    }
    case Cpu::riscv64: {
      auto* f = new sigframe_riscv64{};
      get_mcontext(m, f->sf_uc.uc_mcontext);
      f->sf_si = si;
      f->sf_uc.uc_sigmask = to_sigset(t.sigmask);
      f->sf_uc.uc_stack = st;
      uint64_t fp = place_frame<sigframe_riscv64>(m, t, act, onstack, 0);
      wrote = m.write(fp, f, sizeof *f);
      delete f;
      m.set_reg(UC_RISCV_REG_A0, uint64_t(s.sig));
      m.set_reg(UC_RISCV_REG_A1, fp + offsetof(sigframe_riscv64, sf_si));
      m.set_reg(UC_RISCV_REG_A2, fp + offsetof(sigframe_riscv64, sf_uc));
      m.set_reg(UC_RISCV_REG_RA, sigcode_);
      m.set_sp(fp);
      m.set_pc(act.handler);
      break;
    }
  }
  // "Process has trashed its stack": sendsig's sigexit(td, FB_SIGILL).
  if (!wrote) die(m, FB_SIGILL);
  if (m.trace_syscalls)
    m.trace("SIGNAL " + std::to_string(s.sig) + " (code=" + std::to_string(s.code) + ")");
  // postsig: the handler runs with its sa_mask and (unless FB_SA_NODEFER) its
  // own signal blocked; FB_SA_RESETHAND restores the default.
  t.sigmask |= (act.mask | ((act.flags & FB_SA_NODEFER) ? 0 : bit(s.sig))) & ~kUnblockable;
  if (act.flags & FB_SA_RESETHAND) m.sigactions[s.sig] = SigAction{};
}

bool FreeBSD::sa_restart(Machine& m) {
  int sig = m.deliverable(m.current());
  return sig && (m.sigactions[sig].flags & FB_SA_RESTART);
}

bool FreeBSD::drop_ignored(Machine& m, Thread& t) {
  std::erase_if(t.pending, [&](const PendingSig& p) {
    const SigAction& a = m.sigactions[p.sig];
    return !(t.sigmask & bit(p.sig)) &&
           (a.handler == FB_SIG_IGN || (a.handler == FB_SIG_DFL && default_ignores(p.sig)));
  });
  return m.deliverable(t) != 0;
}

template <class MC>
static bool restore(Machine& m, uint64_t ucp, uint64_t& mask) {
  ucontext_t<MC> uc;
  if (!m.read(ucp, &uc, sizeof uc)) return false;
  mask = from_sigset(uc.uc_sigmask);
  return set_mcontext(m, uc.uc_mcontext);
}

void FreeBSD::sys_sigreturn(Machine& m, const SyscallRegs& r) {
  uint64_t mask = 0;
  bool good = false;
  switch (m.cpu()) {
    case Cpu::amd64: good = restore<mcontext_amd64>(m, r.a[0], mask); break;
    case Cpu::arm64: good = restore<mcontext_arm64>(m, r.a[0], mask); break;
    case Cpu::riscv64: good = restore<mcontext_riscv64>(m, r.a[0], mask); break;
  }
  if (!good) return err(m, m.is_mapped(r.a[0] & ~uint64_t(4095), 4096) ? FB_EINVAL : FB_EFAULT);
  Thread& t = m.current();
  uint64_t newly = t.sigmask & ~mask;
  t.sigmask = mask & ~kUnblockable;
  // EJUSTRETURN: the restored registers are the result.
  if (m.trace_syscalls) m.trace(call_text_ + " EJUSTRETURN");
  for (const auto& p : t.pending)
    if (newly & bit(p.sig)) m.yield_now();
}

void FreeBSD::sys_sigaction(Machine& m, const SyscallRegs& r) {
  int sig = int(r.a[0]);
  if (sig <= 0 || sig > kMaxSig) return err(m, FB_EINVAL);
  if (sig > 64)
    fatal("freebsd: sigaction on signal " + std::to_string(sig) + " (> 64) is not modelled");
  SigAction& cur = m.sigactions[sig];
  if (r.a[2]) {
    sigaction_t o{cur.handler, int32_t(cur.flags), to_sigset(cur.mask)};
    if (!copy_out(m, r.a[2], &o, sizeof o)) return err(m, FB_EFAULT);
  }
  if (r.a[1]) {
    sigaction_t n;
    if (!copy_in(m, r.a[1], &n, sizeof n)) return err(m, FB_EFAULT);
    if (sig == FB_SIGKILL || sig == FB_SIGSTOP) return err(m, FB_EINVAL);
    cur.handler = n.sa_handler;
    cur.flags = uint32_t(n.sa_flags);
    cur.mask = from_sigset(n.sa_mask) & ~kUnblockable;
    // Ignoring a signal (or defaulting one whose default is to ignore)
    // drops it where it is pending.
    if (n.sa_handler == FB_SIG_IGN || (n.sa_handler == FB_SIG_DFL && default_ignores(sig)))
      for (auto& t : m.threads())
        std::erase_if(t->pending, [sig](const PendingSig& p) { return p.sig == sig; });
  }
  ok(m, 0);
}

void FreeBSD::sys_sigprocmask(Machine& m, const SyscallRegs& r) {
  int how = int(r.a[0]);
  Thread& t = m.current();
  if (r.a[2]) {
    sigset_t o = to_sigset(t.sigmask);
    if (!copy_out(m, r.a[2], &o, sizeof o)) return err(m, FB_EFAULT);
  }
  if (r.a[1]) {
    sigset_t n;
    if (!copy_in(m, r.a[1], &n, sizeof n)) return err(m, FB_EFAULT);
    uint64_t v = from_sigset(n), old = t.sigmask;
    switch (how) {
      case FB_SIG_BLOCK: t.sigmask |= v; break;
      case FB_SIG_UNBLOCK: t.sigmask &= ~v; break;
      case FB_SIG_SETMASK: t.sigmask = v; break;
      default: return err(m, FB_EINVAL);
    }
    t.sigmask &= ~kUnblockable;
    for (const auto& p : t.pending)
      if ((old & ~t.sigmask) & bit(p.sig)) m.yield_now();  // deliver before returning to user
  }
  ok(m, 0);
}

void FreeBSD::sys_sigaltstack(Machine& m, const SyscallRegs& r) {
  Thread& t = m.current();
  bool onstack = on_altstack(m, t);
  if (r.a[1]) {
    stack_t o{t.altstack.sp, t.altstack.size,
              t.altstack.enabled ? (onstack ? FB_SS_ONSTACK : 0) : FB_SS_DISABLE};
    if (!copy_out(m, r.a[1], &o, sizeof o)) return err(m, FB_EFAULT);
  }
  if (r.a[0]) {
    stack_t n;
    if (!copy_in(m, r.a[0], &n, sizeof n)) return err(m, FB_EFAULT);
    // kern_sigaltstack: not while on it, no flags but FB_SS_DISABLE, and at
    // least FB_MINSIGSTKSZ bytes.
    if (onstack) return err(m, FB_EPERM);
    if (n.ss_flags & ~FB_SS_DISABLE) return err(m, FB_EINVAL);
    if (n.ss_flags & FB_SS_DISABLE) {
      t.altstack.enabled = false;
    } else {
      if (n.ss_size < uint64_t(FB_MINSIGSTKSZ)) return err(m, FB_ENOMEM);
      t.altstack = AltStack{n.ss_sp, n.ss_size, true};
    }
  }
  ok(m, 0);
}

int host_signal(int s) {
  // FreeBSD and Linux agree on 1-6, 8, 9, 11, 13-15; the rest move.
  switch (s) {
    case FB_SIGBUS: return 7;
    case FB_SIGSYS: return 31;
    case FB_SIGEMT: return 31;  // Linux has no FB_SIGEMT; FB_SIGSYS is its nearest "bad trap"
    case FB_SIGURG: return 23;
    case FB_SIGSTOP: return 19;
    case FB_SIGTSTP: return 20;
    case FB_SIGCONT: return 18;
    case FB_SIGCHLD: return 17;
    case FB_SIGTTIN: return 21;
    case FB_SIGTTOU: return 22;
    case FB_SIGIO: return 29;
    case FB_SIGXCPU: return 24;
    case FB_SIGXFSZ: return 25;
    case FB_SIGVTALRM: return 26;
    case FB_SIGPROF: return 27;
    case FB_SIGWINCH: return 28;
    case FB_SIGINFO: return 30;  // no FB_SIGINFO on Linux: SIGPWR's slot
    case FB_SIGUSR1: return 10;
    case FB_SIGUSR2: return 12;
    default: return s >= FB_SIGTHR ? 34 + (s - FB_SIGTHR) : s;  // FB_SIGTHR.. onto SIGRTMIN..
  }
}

bool default_ignores(int s) {
  return s == FB_SIGURG || s == FB_SIGCONT || s == FB_SIGCHLD || s == FB_SIGIO ||
         s == FB_SIGWINCH || s == FB_SIGINFO;
}

}  // namespace sim::fbsd
