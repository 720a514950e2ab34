// gort-sim's Linux model: signal actions, masks, alternate stacks, and the
// rt_sigframe each CPU's kernel builds (arch/x86/kernel/signal.c with
// asm/sigframe.h; arch/arm64/kernel/signal.c; arch/riscv/kernel/signal.c),
// with the layouts of uapi asm/sigcontext.h, asm/ucontext.h and
// asm-generic/siginfo.h. Offsets are pinned in tests/linux_frames_test.cpp.
#include <cstring>

#include "os_linux.h"
#include "os_linux_frames.h"

namespace sim::linux_model {

namespace {
constexpr uint64_t bit(int sig) { return 1ull << (sig - 1); }
constexpr uint64_t kUnblockable = bit(kSIGKILL) | bit(kSIGSTOP);

struct Buf {
  std::vector<uint8_t> b;
  explicit Buf(size_t n) : b(n, 0) {}
  template <typename T>
  void put(size_t off, T v) {
    memcpy(b.data() + off, &v, sizeof v);
  }
  template <typename T>
  T get(size_t off) const {
    T v;
    memcpy(&v, b.data() + off, sizeof v);
    return v;
  }
};

bool on_altstack(const Thread& t, uint64_t sp) {
  return t.altstack.enabled && sp > t.altstack.sp && sp - t.altstack.sp <= t.altstack.size;
}

void put_stack(Buf& f, size_t off, const Thread& t, uint64_t sp) {
  f.put<uint64_t>(off, t.altstack.sp);
  f.put<int32_t>(off + 8, !t.altstack.enabled ? kSS_DISABLE : on_altstack(t, sp) ? kSS_ONSTACK : 0);
  f.put<uint64_t>(off + 16, t.altstack.size);
}

void put_siginfo(Buf& f, size_t off, const PendingSig& s, int pid) {
  f.put<int32_t>(off + si::signo, s.sig);
  f.put<int32_t>(off + si::code, s.code);
  if (s.code > 0 && s.code != kSI_KERNEL) {  // a fault: si_addr
    f.put<uint64_t>(off + si::addr, s.addr);
  } else {  // kill, tkill: who sent it
    f.put<int32_t>(off + si::pid, pid);
    f.put<int32_t>(off + si::uid, 1000);
  }
}

// ---- x86-64: struct rt_sigframe { pretcode; ucontext; siginfo }, the
// fxsave area below it, 64-byte aligned.
const int kX86Regs[] = {UC_X86_REG_R8,  UC_X86_REG_R9,    UC_X86_REG_R10, UC_X86_REG_R11,
                        UC_X86_REG_R12, UC_X86_REG_R13,   UC_X86_REG_R14, UC_X86_REG_R15,
                        UC_X86_REG_RDI, UC_X86_REG_RSI,   UC_X86_REG_RBP, UC_X86_REG_RBX,
                        UC_X86_REG_RDX, UC_X86_REG_RAX,   UC_X86_REG_RCX, UC_X86_REG_RSP,
                        UC_X86_REG_RIP, UC_X86_REG_EFLAGS};

void save_fx(Machine& m, Buf& f) {
  f.put<uint16_t>(fx::cwd, uint16_t(m.reg(UC_X86_REG_FPCW)));
  f.put<uint16_t>(fx::swd, uint16_t(m.reg(UC_X86_REG_FPSW)));
  f.put<uint32_t>(fx::mxcsr, uint32_t(m.reg(UC_X86_REG_MXCSR)));
  f.put<uint32_t>(fx::mxcsr_mask, 0xffff);
  for (int i = 0; i < 8; i++) {
    uint8_t st[16] = {};
    uc_reg_read(m.uc(), UC_X86_REG_ST0 + i, st);
    memcpy(f.b.data() + fx::st_space + 16 * i, st, 10);
  }
  for (int i = 0; i < 16; i++) {
    uint8_t x[16];
    uc_reg_read(m.uc(), UC_X86_REG_XMM0 + i, x);
    memcpy(f.b.data() + fx::xmm_space + 16 * i, x, 16);
  }
}
void restore_fx(Machine& m, const Buf& f) {
  m.set_reg(UC_X86_REG_FPCW, f.get<uint16_t>(fx::cwd));
  m.set_reg(UC_X86_REG_FPSW, f.get<uint16_t>(fx::swd));
  m.set_reg(UC_X86_REG_MXCSR, f.get<uint32_t>(fx::mxcsr));
  for (int i = 0; i < 8; i++) {
    uint8_t st[16] = {};
    memcpy(st, f.b.data() + fx::st_space + 16 * i, 10);
    uc_reg_write(m.uc(), UC_X86_REG_ST0 + i, st);
  }
  for (int i = 0; i < 16; i++)
    uc_reg_write(m.uc(), UC_X86_REG_XMM0 + i, f.b.data() + fx::xmm_space + 16 * i);
}

// ---- arm64 and riscv64 register files.
int a64_x(int i) {
  return i < 29 ? UC_ARM64_REG_X0 + i : i == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30;
}

// The stack the handler runs on: the alternate one when asked, enabled and
// not in use already, else below the interrupted sp (x86-64 skips its red
// zone first).
uint64_t frame_top(Machine& m, Thread& t, const SigAction& sa) {
  uint64_t sp = m.sp();
  if (m.cpu() == Cpu::amd64) sp -= 128;
  if ((sa.flags & kSA_ONSTACK) && t.altstack.enabled && !on_altstack(t, m.sp()))
    sp = t.altstack.sp + t.altstack.size;
  return sp;
}

void bad_frame(Process& p, Machine& m, Thread& t, const char* why) {
  (void)p;
  (void)t;
  // As the kernel: a frame it cannot write is a kSIGSEGV the process dies of.
  if (m.trace_syscalls) m.trace(std::string("--- signal frame ") + why + ": kSIGSEGV ---");
  m.die_of_signal(kSIGSEGV);
}
}  // namespace

bool default_ignored(int sig) {
  return sig == kSIGCHLD || sig == kSIGCONT || sig == kSIGURG || sig == kSIGWINCH || sig >= 32;
}

bool interrupted(Machine& m, Thread& t, Restart code) {
  std::erase_if(t.pending, [&](const PendingSig& s) {
    uint64_t h = m.sigactions[s.sig].handler;
    return !(t.sigmask & bit(s.sig)) && (h == 1 || (h == 0 && default_ignored(s.sig)));
  });
  int sig = m.deliverable(t);
  if (!sig) return false;
  if (code == Restart::sys && (m.sigactions[sig].flags & kSA_RESTART))
    m.set_pc(m.pc() - (m.cpu() == Cpu::amd64 ? 2 : 4));  // syscall; svc #0; ecall
  else
    set_result(m, -kEINTR);
  return true;
}

void post_process_signal(Process& p, Machine& m, const PendingSig& s) {
  (void)p;
  Thread* target = nullptr;
  for (auto& t : m.threads()) {
    if (t->state == ThreadState::exited) continue;
    if (!target) target = t.get();
    if (!(t->sigmask & bit(s.sig))) {
      target = t.get();
      break;
    }
  }
  if (target) m.post_signal(*target, s);
}

void fault(Process& p, Machine& m, OsModel::Fault kind, uint64_t addr) {
  PendingSig s;
  switch (kind) {
    case OsModel::Fault::unmapped: s = {kSIGSEGV, kSEGV_MAPERR, addr, 0}; break;
    case OsModel::Fault::protection: s = {kSIGSEGV, kSEGV_ACCERR, addr, 0}; break;
    case OsModel::Fault::illegal: s = {kSIGILL, kILL_ILLOPC, addr, 0}; break;
    case OsModel::Fault::divide: s = {kSIGFPE, 1 /* FPE_INTDIV */, addr, 0}; break;
    case OsModel::Fault::breakpoint:
      s = {kSIGTRAP, kTRAP_BRKPT, addr, 0};
      if (m.cpu() == Cpu::amd64) {  // int3 traps after itself, as on x86 hardware
        s.code = kSI_KERNEL;
        m.set_pc(m.pc() + 1);
      }
      break;
  }
  Thread& t = m.current();
  if (m.trace_syscalls) {
    char b[96];
    snprintf(b, sizeof b, "--- fault: signal %d code %d addr 0x%llx pc 0x%llx ---", s.sig, s.code,
             (unsigned long long)addr, (unsigned long long)m.pc());
    m.trace(b);
  }
  // A synchronous fault cannot wait: blocked or ignored, it is the default
  // action (the kernel's force_sig_fault).
  SigAction& sa = m.sigactions[s.sig];
  if ((t.sigmask & bit(s.sig)) || sa.handler <= 1) m.die_of_signal(s.sig);
  (void)p;
  m.post_signal(t, s);
}

void deliver(Process& p, Machine& m, Thread& t, const PendingSig& s) {
  SigAction sa = m.sigactions[s.sig];
  if (sa.handler == 1) return;  // SIG_IGN
  if (sa.handler == 0) {        // SIG_DFL
    if (default_ignored(s.sig)) return;
    if (m.trace_syscalls) m.trace("--- killed by signal " + std::to_string(s.sig) + " ---");
    m.die_of_signal(s.sig);
  }
  if (m.trace_syscalls) {
    char b[96];
    snprintf(b, sizeof b, "--- signal %d code %d addr 0x%llx from %d ---", s.sig, s.code,
             (unsigned long long)s.addr, s.from_tid);
    m.trace(b);
  }
  uint64_t top = frame_top(m, t, sa), frame = 0, ret = sa.restorer;
  const uint64_t sp0 = m.sp();
  if (m.cpu() != Cpu::amd64 && !(sa.flags & kSA_RESTORER)) ret = p.sigtramp;  // the vDSO's role
  if (m.cpu() == Cpu::amd64) {
    if (!(sa.flags & kSA_RESTORER)) bad_frame(p, m, t, "without SA_RESTORER");
    uint64_t fpstate = (top - fx::size) & ~uint64_t(63);
    frame = ((fpstate - x86::size + 8) & ~uint64_t(15)) - 8;
    Buf fxb(fx::size);
    save_fx(m, fxb);
    Buf f(x86::size);
    f.put<uint64_t>(x86::pretcode, ret);
    f.put<uint64_t>(x86::uc_flags, 0x6);  // UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS
    put_stack(f, x86::uc_stack, t, sp0);
    for (int i = 0; i < 18; i++) f.put<uint64_t>(x86::mc + 8 * i, m.reg(kX86Regs[i]));
    f.put<uint16_t>(x86::mc_cs, 0x33);
    f.put<uint16_t>(x86::mc_ss, 0x2b);
    f.put<uint64_t>(x86::mc_trapno, s.sig == kSIGSEGV ? 14 : s.sig == kSIGILL ? 6 : 0);
    f.put<uint64_t>(x86::mc_oldmask, t.sigmask);
    f.put<uint64_t>(x86::mc_cr2, s.code > 0 ? s.addr : 0);
    f.put<uint64_t>(x86::mc_fpstate, fpstate);
    f.put<uint64_t>(x86::uc_sigmask, t.sigmask);
    put_siginfo(f, x86::info, s, p.pid);
    if (!copy_out(m, fpstate, fxb.b.data(), fx::size) || !copy_out(m, frame, f.b.data(), x86::size))
      bad_frame(p, m, t, "unwritable");
    m.set_reg(UC_X86_REG_RDI, uint64_t(s.sig));
    m.set_reg(UC_X86_REG_RSI, frame + x86::info);
    m.set_reg(UC_X86_REG_RDX, frame + x86::uc);
    m.set_reg(UC_X86_REG_RAX, 0);
    m.set_reg(UC_X86_REG_EFLAGS, m.reg(UC_X86_REG_EFLAGS) & ~uint64_t(0x400 | 0x100));  // DF, TF
  } else if (m.cpu() == Cpu::arm64) {
    uint64_t record = (top - 16) & ~uint64_t(15);
    frame = record - a64::size;
    Buf f(a64::size);
    f.put<uint64_t>(a64::uc_flags, 0);
    put_stack(f, a64::uc_stack, t, sp0);
    f.put<uint64_t>(a64::uc_sigmask, t.sigmask);
    f.put<uint64_t>(a64::fault_address, s.code > 0 && s.code != kSI_KERNEL ? s.addr : 0);
    for (int i = 0; i < 31; i++) f.put<uint64_t>(a64::regs + 8 * i, m.reg(a64_x(i)));
    f.put<uint64_t>(a64::sp, sp0);
    f.put<uint64_t>(a64::pc, m.pc());
    f.put<uint64_t>(a64::pstate, m.reg(UC_ARM64_REG_NZCV) & 0xf0000000);
    f.put<uint32_t>(a64::fpsimd + a64::fp_magic, a64::kFpsimdMagic);
    f.put<uint32_t>(a64::fpsimd + a64::fp_size, a64::kFpsimdSize);
    f.put<uint32_t>(a64::fpsimd + a64::fp_fpsr, uint32_t(m.reg(UC_ARM64_REG_FPSR)));
    f.put<uint32_t>(a64::fpsimd + a64::fp_fpcr, uint32_t(m.reg(UC_ARM64_REG_FPCR)));
    for (int i = 0; i < 32; i++)
      uc_reg_read(m.uc(), UC_ARM64_REG_V0 + i, f.b.data() + a64::fpsimd + a64::fp_vregs + 16 * i);
    // The terminator record after fpsimd_context is the zeros already there.
    put_siginfo(f, a64::info, s, p.pid);
    uint64_t rec[2] = {m.reg(UC_ARM64_REG_X29), m.reg(UC_ARM64_REG_X30)};
    if (!copy_out(m, frame, f.b.data(), a64::size) || !copy_out(m, record, rec, 16))
      bad_frame(p, m, t, "unwritable");
    m.set_reg(UC_ARM64_REG_X0, uint64_t(s.sig));
    m.set_reg(UC_ARM64_REG_X1, frame + a64::info);
    m.set_reg(UC_ARM64_REG_X2, frame + a64::uc);
    m.set_reg(UC_ARM64_REG_X29, record);
    m.set_reg(UC_ARM64_REG_X30, ret);
  } else {
    frame = (top - rv::size) & ~uint64_t(15);
    Buf f(rv::size);
    put_stack(f, rv::uc_stack, t, sp0);
    f.put<uint64_t>(rv::uc_sigmask, t.sigmask);
    f.put<uint64_t>(rv::regs, m.pc());  // sc_regs.pc, then x1..x31
    for (int i = 1; i < 32; i++) f.put<uint64_t>(rv::regs + 8 * i, m.reg(UC_RISCV_REG_X0 + i));
    for (int i = 0; i < 32; i++) f.put<uint64_t>(rv::fregs + 8 * i, m.reg(UC_RISCV_REG_F0 + i));
    f.put<uint32_t>(rv::fcsr, uint32_t(m.reg(UC_RISCV_REG_FCSR)));
    put_siginfo(f, rv::info, s, p.pid);
    if (!copy_out(m, frame, f.b.data(), rv::size)) bad_frame(p, m, t, "unwritable");
    m.set_reg(UC_RISCV_REG_A0, uint64_t(s.sig));
    m.set_reg(UC_RISCV_REG_A1, frame + rv::info);
    m.set_reg(UC_RISCV_REG_A2, frame + rv::uc);
    m.set_reg(UC_RISCV_REG_RA, ret);
  }
  m.set_sp(frame);
  m.set_pc(sa.handler);
  t.sigmask |= sa.mask | ((sa.flags & kSA_NODEFER) ? 0 : bit(s.sig));
  t.sigmask &= ~kUnblockable;
  if (sa.flags & kSA_RESETHAND) m.sigactions[s.sig] = SigAction{};
}

void sigreturn(Process& p, Machine& m) {
  Thread& t = m.current();
  uint64_t frame = m.cpu() == Cpu::amd64 ? m.sp() - 8 : m.sp();
  size_t size = m.cpu() == Cpu::amd64 ? x86::size : m.cpu() == Cpu::arm64 ? a64::size : rv::size;
  Buf f(size);
  if (!copy_in(m, frame, f.b.data(), size)) bad_frame(p, m, t, "unreadable at rt_sigreturn");
  size_t stack_off, mask_off;
  uint64_t sp;
  if (m.cpu() == Cpu::amd64) {
    for (int i = 0; i < 18; i++) {
      uint64_t v = f.get<uint64_t>(x86::mc + 8 * i);
      if (kX86Regs[i] == UC_X86_REG_EFLAGS) {
        const uint64_t fix = 0x40dd5;  // AC OF DF TF SF ZF AF PF CF: what user code may set
        v = (m.reg(UC_X86_REG_EFLAGS) & ~fix) | (v & fix);
      }
      m.set_reg(kX86Regs[i], v);
    }
    uint64_t fpstate = f.get<uint64_t>(x86::mc_fpstate);
    if (fpstate) {
      Buf fxb(fx::size);
      if (!copy_in(m, fpstate, fxb.b.data(), fx::size)) bad_frame(p, m, t, "bad fpstate");
      restore_fx(m, fxb);
    }
    stack_off = x86::uc_stack;
    mask_off = x86::uc_sigmask;
    sp = m.sp();
  } else if (m.cpu() == Cpu::arm64) {
    for (int i = 0; i < 31; i++) m.set_reg(a64_x(i), f.get<uint64_t>(a64::regs + 8 * i));
    sp = f.get<uint64_t>(a64::sp);
    m.set_sp(sp);
    m.set_pc(f.get<uint64_t>(a64::pc));
    m.set_reg(UC_ARM64_REG_NZCV, f.get<uint64_t>(a64::pstate) & 0xf0000000);
    // The records in __reserved: fpsimd_context must be there, first.
    if (f.get<uint32_t>(a64::fpsimd + a64::fp_magic) != a64::kFpsimdMagic ||
        f.get<uint32_t>(a64::fpsimd + a64::fp_size) != a64::kFpsimdSize)
      bad_frame(p, m, t, "without fpsimd_context at rt_sigreturn");
    m.set_reg(UC_ARM64_REG_FPSR, f.get<uint32_t>(a64::fpsimd + a64::fp_fpsr));
    m.set_reg(UC_ARM64_REG_FPCR, f.get<uint32_t>(a64::fpsimd + a64::fp_fpcr));
    for (int i = 0; i < 32; i++)
      uc_reg_write(m.uc(), UC_ARM64_REG_V0 + i, f.b.data() + a64::fpsimd + a64::fp_vregs + 16 * i);
    stack_off = a64::uc_stack;
    mask_off = a64::uc_sigmask;
  } else {
    m.set_pc(f.get<uint64_t>(rv::regs));
    for (int i = 1; i < 32; i++) m.set_reg(UC_RISCV_REG_X0 + i, f.get<uint64_t>(rv::regs + 8 * i));
    for (int i = 0; i < 32; i++) m.set_reg(UC_RISCV_REG_F0 + i, f.get<uint64_t>(rv::fregs + 8 * i));
    m.set_reg(UC_RISCV_REG_FCSR, f.get<uint32_t>(rv::fcsr));
    stack_off = rv::uc_stack;
    mask_off = rv::uc_sigmask;
    sp = m.sp();
  }
  t.sigmask = f.get<uint64_t>(mask_off) & ~kUnblockable;
  // restore_altstack: as sigaltstack(2) would, so not while still on it.
  if (!on_altstack(t, sp)) {
    int flags = f.get<int32_t>(stack_off + 8);
    uint64_t ss = f.get<uint64_t>(stack_off), size = f.get<uint64_t>(stack_off + 16);
    if (flags & kSS_DISABLE)
      t.altstack = AltStack{};
    else if (size >= (m.cpu() == Cpu::arm64 ? 5120u : 2048u))
      t.altstack = {ss, size, true};
  }
}

// ---- the calls that set signal state ----

int64_t rt_sigaction(Process& p, Machine& m, int sig, uint64_t act, uint64_t oact,
                     uint64_t setsize) {
  (void)p;
  if (setsize != 8) return -kEINVAL;
  if (sig < 1 || sig > 64 || ((sig == kSIGKILL || sig == kSIGSTOP) && act)) return -kEINVAL;
  // struct sigaction: handler, flags, restorer (x86-64 and arm64 define
  // kSA_RESTORER; riscv64 does not and has no such field), mask.
  bool has_restorer = m.cpu() != Cpu::riscv64;
  size_t n = has_restorer ? 32 : 24, mask_at = has_restorer ? 24 : 16;
  Buf nb(n);
  if (act && !copy_in(m, act, nb.b.data(), n)) return -kEFAULT;
  SigAction& sa = m.sigactions[sig];
  if (oact) {
    Buf ob(n);
    ob.put<uint64_t>(0, sa.handler);
    ob.put<uint64_t>(8, sa.flags);
    if (has_restorer) ob.put<uint64_t>(16, sa.restorer);
    ob.put<uint64_t>(mask_at, sa.mask);
    if (!copy_out(m, oact, ob.b.data(), n)) return -kEFAULT;
  }
  if (act) {
    sa.handler = nb.get<uint64_t>(0);
    sa.flags = nb.get<uint64_t>(8);
    sa.restorer = has_restorer ? nb.get<uint64_t>(16) : 0;
    sa.mask = nb.get<uint64_t>(mask_at) & ~kUnblockable;
    // Setting SIG_IGN (or SIG_DFL of an ignored signal) drops pending ones.
    if (sa.handler == 1 || (sa.handler == 0 && default_ignored(sig))) {
      for (auto& th : m.threads()) {
        auto& pend = th->pending;
        for (size_t i = 0; i < pend.size();)
          if (pend[i].sig == sig)
            pend.erase(pend.begin() + long(i));
          else
            i++;
      }
    }
  }
  return 0;
}

int64_t rt_sigprocmask(Machine& m, int how, uint64_t set, uint64_t oset, uint64_t setsize) {
  if (setsize != 8) return -kEINVAL;
  Thread& t = m.current();
  uint64_t nv = 0;
  if (set && !copy_in(m, set, &nv, 8)) return -kEFAULT;
  if (set && (how < 0 || how > 2)) return -kEINVAL;
  if (oset && !copy_out(m, oset, &t.sigmask, 8)) return -kEFAULT;
  if (set) {
    if (how == 0)
      t.sigmask |= nv;  // SIG_BLOCK
    else if (how == 1)
      t.sigmask &= ~nv;  // SIG_UNBLOCK
    else
      t.sigmask = nv;  // SIG_SETMASK
    t.sigmask &= ~kUnblockable;
  }
  return 0;
}

int64_t sigaltstack(Machine& m, uint64_t ss, uint64_t oss) {
  Thread& t = m.current();
  bool on = on_altstack(t, m.sp());
  if (oss) {
    Buf o(24);
    put_stack(o, 0, t, m.sp());
    if (!copy_out(m, oss, o.b.data(), 24)) return -kEFAULT;
  }
  if (ss) {
    Buf n(24);
    if (!copy_in(m, ss, n.b.data(), 24)) return -kEFAULT;
    if (on) return -kEPERM;
    int flags = n.get<int32_t>(8) & ~int32_t(0x80000000u);  // SS_AUTODISARM: not modelled
    if (flags != 0 && flags != kSS_DISABLE && flags != kSS_ONSTACK) return -kEINVAL;
    if (flags == kSS_DISABLE) {
      t.altstack = AltStack{};
    } else {
      uint64_t size = n.get<uint64_t>(16);
      if (size < (m.cpu() == Cpu::arm64 ? 5120u : 2048u)) return -kENOMEM;  // MINSIGSTKSZ
      t.altstack = {n.get<uint64_t>(0), size, true};
    }
  }
  return 0;
}

}  // namespace sim::linux_model
