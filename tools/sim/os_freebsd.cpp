// gort-sim's FreeBSD model: exec (the brand check, the initial stack of
// sys/kern/kern_exec.c exec_copyout_strings with the auxv of imgact_elf.c
// __elfN(freebsd_copyout_auxargs), each arch's exec_setregs), and the
// machine-dependent rest: the system-call register convention
// (cpu_fetch_syscall_args / cpu_set_syscall_retval of each arch's trap.c
// and vm_machdep.c), the address-space layout and sigcode, and the CPU
// state in and out of each arch's mcontext_t (get_mcontext / set_mcontext
// of sys/<arch>/<arch>/exec_machdep.c).
#include "os_freebsd.h"

#include <cstring>

#include "elf.h"

namespace sim::fbsd {
namespace {

constexpr uint64_t kStackSize = 8 << 20;
// exec_copyout_strings' canary (char canary[sizeof(long) * 8]) and the
// page sizes the pmap offers (amd64 pagesizes[]: 4K, 2M, 1G; arm64 and
// riscv64 the same three with 4 KiB base pages).
constexpr uint64_t kCanaryLen = 64;
constexpr uint64_t kPageSizes[3] = {kPage, 2 << 20, 1 << 30};

// e_flags, for AT_EHDRFLAGS.
uint64_t parse_flags(const std::vector<uint8_t>& f) {
  uint32_t v = 0;
  std::memcpy(&v, f.data() + 48, 4);
  return v;
}

constexpr int kX86Gpr[16] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX, UC_X86_REG_RCX,
                             UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_RAX, UC_X86_REG_RBX,
                             UC_X86_REG_RBP, UC_X86_REG_R10, UC_X86_REG_R11, UC_X86_REG_R12,
                             UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15, UC_X86_REG_RSP};
// The rflags bits user code may change (sys/x86/include/psl.h: PSL_USERCHANGE
// without the trace flag).
constexpr uint64_t kUserFlags = 0x0001 | 0x0004 | 0x0010 | 0x0040 | 0x0080 | 0x0400 | 0x0800;
constexpr uint64_t kArm64Carry = uint64_t(1) << 29;  // PSR_C in NZCV / SPSR

int arm64_x(int i) {
  return i < 29 ? UC_ARM64_REG_X0 + i : (i == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30);
}
// riscv64 t0..t6, s0..s11, a0..a7 as x-register numbers.
constexpr int kRvT[7] = {5, 6, 7, 28, 29, 30, 31};
constexpr int kRvS[12] = {8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27};
int rv_x(int n) { return UC_RISCV_REG_X0 + n; }

void put32(std::vector<uint8_t>& v, uint32_t w) {
  for (int i = 0; i < 4; i++) v.push_back(uint8_t(w >> (8 * i)));
}

}  // namespace

void FreeBSD::load(Machine& m, const Program& p) {
  if (m.page_size() != kPage) fatal("freebsd: the machine's page size must be 4096");
  std::vector<uint8_t> f = read_file(p.path);
  ElfImage im = parse_elf(f);
  // imgact_elf.c brands a binary FreeBSD by EI_OSABI or by its
  // NT_FREEBSD_ABI_TAG note ("FreeBSD"); gort's binaries carry the note.
  if (im.osabi != FB_ELFOSABI_FREEBSD && !im.freebsd_note)
    fatal("freebsd: " + p.path + ": no FreeBSD brand (EI_OSABI or NT_FREEBSD_ABI_TAG note)");
  for (auto& ph : im.phdrs)
    if (ph.type == 3 /* PT_INTERP */)
      fatal("freebsd: " + p.path + ": dynamic binaries are not modelled");
  im = load_elf(m, f);

  CpuLayout L = layout_for(m.cpu());
  // The shared page: the sigcode, read+execute, as the kernel maps it.
  std::vector<uint8_t> code = sigcode_for(m.cpu());
  m.map(L.shared_page, kPage, kRead | kExec);
  m.write(L.shared_page, code.data(), code.size());
  sigcode_ = L.shared_page;
  m.map(L.stack_top - kStackSize, kStackSize, kRead | kWrite);
  // mmap's search runs top-down from below the stack's growth limit to
  // just above the image (the model's choice; FreeBSD's is bottom-up from
  // the data limit, and gort asks with hints either way).
  m.set_mmap_area(im.hi + (1ull << 30), L.stack_top - kStackSize - (64ull << 20));

  // __elfN(freebsd_copyout_auxargs), in its order; the blobs are the
  // strings and arrays exec_copyout_strings puts above the vectors.
  InitialStack st;
  st.argv = p.argv;
  st.envp = p.envp;
  st.auxv = {{FB_AT_PHDR, im.phdr},
             {FB_AT_PHENT, im.phent},
             {FB_AT_PHNUM, im.phnum},
             {FB_AT_PAGESZ, kPage},
             {FB_AT_FLAGS, 0},
             {FB_AT_ENTRY, im.entry},
             {FB_AT_BASE, 0},
             {FB_AT_EHDRFLAGS, parse_flags(f)},
             {FB_AT_OSRELDATE, kOsRelDate},
             {FB_AT_CANARYLEN, kCanaryLen},
             {FB_AT_NCPUS, uint64_t(m.ncpu)},
             {FB_AT_PAGESIZESLEN, sizeof kPageSizes},
             {FB_AT_STACKPROT, FB_PROT_READ | FB_PROT_WRITE}};
  if (L.hwcap) st.auxv.push_back({FB_AT_HWCAP, L.hwcap});
  if (L.hwcap2) st.auxv.push_back({FB_AT_HWCAP2, L.hwcap2});
  st.auxv.insert(st.auxv.end(), {{FB_AT_BSDFLAGS, 0},
                                 {FB_AT_ARGC, p.argv.size()},
                                 {FB_AT_ARGV, 0},  // patched below: where argv landed
                                 {FB_AT_ENVC, p.envp.size()},
                                 {FB_AT_ENVV, 0}});
  std::vector<uint8_t> pagesizes(sizeof kPageSizes), canary(kCanaryLen);
  std::memcpy(pagesizes.data(), kPageSizes, sizeof kPageSizes);
  m.random_bytes(canary.data(), canary.size());
  st.blobs = {{FB_AT_PAGESIZES, pagesizes},
              {FB_AT_CANARY, canary},
              {FB_AT_EXECPATH, cstr_blob(p.argv.empty() ? p.path : p.argv[0])}};
  StackLayout sl = build_stack(m, L.stack_top, st);
  for (uint64_t a = sl.auxv; m.read_u64(a) != FB_AT_NULL; a += 16) {
    if (m.read_u64(a) == FB_AT_ARGV) m.write_u64(a + 8, sl.argv);
    if (m.read_u64(a) == FB_AT_ENVV) m.write_u64(a + 8, sl.envp);
  }

  // exec_setregs: amd64 passes the argc address in %rdi and starts with
  // %rsp = ((stack - 8) & ~15) + 8; arm64 in x0 with sp = STACKALIGN(stack)
  // and lr = entry; riscv64 in a0 likewise with ra = entry.
  uint64_t base = sl.sp;
  switch (m.cpu()) {
    case Cpu::amd64:
      m.set_reg(UC_X86_REG_RDI, base);
      m.set_sp(((base - 8) & ~uint64_t(15)) + 8);
      break;
    case Cpu::arm64:
      m.set_reg(UC_ARM64_REG_X0, base);
      m.set_reg(UC_ARM64_REG_LR, im.entry);
      m.set_reg(UC_ARM64_REG_TPIDR_EL0, 0);
      m.set_sp(base & ~uint64_t(15));
      break;
    case Cpu::riscv64:
      m.set_reg(UC_RISCV_REG_A0, base);
      m.set_reg(UC_RISCV_REG_RA, im.entry);
      m.set_sp(base & ~uint64_t(15));
      break;
  }
  m.set_pc(im.entry);

  fds_[0] = File{0, nullptr, false, false, 0};
  fds_[1] = File{1, nullptr, false, false, 1};
  fds_[2] = File{2, nullptr, false, false, 1};
  m.on_syscall = [this](Machine& mm) { syscall(mm); };
}

SyscallRegs fetch_syscall(Machine& m) {
  SyscallRegs r{};
  switch (m.cpu()) {
    case Cpu::amd64: {
      // amd64_syscall: number in %rax, arguments in rdi rsi rdx r10 r8 r9.
      r.nr = int(m.reg(UC_X86_REG_RAX));
      const int ids[6] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
                          UC_X86_REG_R10, UC_X86_REG_R8,  UC_X86_REG_R9};
      for (int i = 0; i < 6; i++) r.a[i] = m.reg(ids[i]);
      break;
    }
    case Cpu::arm64:
      r.nr = int(m.reg(UC_ARM64_REG_X8));
      for (int i = 0; i < 6; i++) r.a[i] = m.reg(UC_ARM64_REG_X0 + i);
      break;
    case Cpu::riscv64:
      r.nr = int(m.reg(UC_RISCV_REG_T0));
      for (int i = 0; i < 6; i++) r.a[i] = m.reg(UC_RISCV_REG_A0 + i);
      break;
  }
  return r;
}

// cpu_set_syscall_retval. amd64 also loses %rcx and %r11 to SYSCALL/SYSRET
// (the return rip and rflags), which the guest must treat as clobbered.
static void set_ret(Machine& m, uint64_t r0, uint64_t r1, bool error) {
  switch (m.cpu()) {
    case Cpu::amd64: {
      uint64_t fl = m.reg(UC_X86_REG_EFLAGS);
      fl = error ? fl | 1 : fl & ~uint64_t(1);
      m.set_reg(UC_X86_REG_RAX, r0);
      if (!error) m.set_reg(UC_X86_REG_RDX, r1);
      m.set_reg(UC_X86_REG_EFLAGS, fl);
      m.set_reg(UC_X86_REG_RCX, m.pc());
      m.set_reg(UC_X86_REG_R11, fl);
      break;
    }
    case Cpu::arm64: {
      uint64_t nzcv = m.reg(UC_ARM64_REG_NZCV);
      m.set_reg(UC_ARM64_REG_NZCV, error ? nzcv | kArm64Carry : nzcv & ~kArm64Carry);
      m.set_reg(UC_ARM64_REG_X0, r0);
      if (!error) m.set_reg(UC_ARM64_REG_X1, r1);
      break;
    }
    case Cpu::riscv64:
      m.set_reg(UC_RISCV_REG_A0, r0);
      if (!error) m.set_reg(UC_RISCV_REG_A1, r1);
      m.set_reg(UC_RISCV_REG_T0, error ? 1 : 0);
      break;
  }
}
void set_syscall_ok(Machine& m, uint64_t r0, uint64_t r1) { set_ret(m, r0, r1, false); }
void set_syscall_err(Machine& m, int err) { set_ret(m, uint64_t(err), 0, true); }

CpuLayout layout_for(Cpu c) {
  // VM_MAXUSER_ADDRESS of each arch's vmparam.h; the shared page is its top
  // page (SHAREDPAGE) and USRSTACK sits just below it.
  switch (c) {
    case Cpu::amd64: return {0x7ffffffff000, 0x7ffffffff000, 0, 0};
    // arm64 HWCAP_FP | HWCAP_ASIMD (arm64/include/elf.h): what the emulated
    // CPU has for sure; gort falls back without the optional ones.
    case Cpu::arm64: return {0xfffffffff000, 0xfffffffff000, 0x3, 0};
    // riscv64 Sv39: one bit per extension letter, I M A F D C.
    case Cpu::riscv64: {
      uint64_t hw = 0;
      for (char e : {'i', 'm', 'a', 'f', 'd', 'c'}) hw |= uint64_t(1) << (e - 'a');
      return {0x3ffffff000, 0x3ffffff000, hw, 0};
    }
  }
  return {};
}

std::vector<uint8_t> sigcode_for(Cpu c) {
  std::vector<uint8_t> v;
  switch (c) {
    case Cpu::amd64:
      // amd64/amd64/sigtramp.S: call *SIGF_HANDLER(%rsp); lea SIGF_UC(%rsp),%rdi;
      // pushq $0; mov $FB_SYS_sigreturn,%eax; syscall; 0: hlt; jmp 0b.
      v = {0xff,
           0x14,
           0x24,
           0x48,
           0x8d,
           0x7c,
           0x24,
           uint8_t(offsetof(sigframe_amd64, sf_uc)),
           0x6a,
           0x00,
           0xb8,
           FB_SYS_sigreturn & 0xff,
           FB_SYS_sigreturn >> 8,
           0,
           0,
           0x0f,
           0x05,
           0xf4,
           0xeb,
           0xfd};
      break;
    case Cpu::arm64:
      // arm64/arm64/locore.S sigcode: blr x8; add x0, sp, #SF_UC;
      // mov x8, #FB_SYS_sigreturn; svc 0; mov x8, #FB_SYS_exit; svc 0; b .
      put32(v, 0xd63f0100);
      put32(v, 0x910003e0 | uint32_t(offsetof(sigframe_arm64, sf_uc)) << 10);
      put32(v, 0xd2800008 | uint32_t(FB_SYS_sigreturn) << 5);
      put32(v, 0xd4000001);
      put32(v, 0xd2800008 | uint32_t(FB_SYS_exit) << 5);
      put32(v, 0xd4000001);
      put32(v, 0x14000000);
      break;
    case Cpu::riscv64:
      // riscv/riscv/locore.S sigcode (the handler returns here through ra):
      // addi a0, sp, SF_UC; li t0, FB_SYS_sigreturn; ecall; li t0, FB_SYS_exit;
      // ecall; j .
      put32(v, 0x00010513 | uint32_t(offsetof(sigframe_riscv64, sf_uc)) << 20);
      put32(v, 0x00000293 | uint32_t(FB_SYS_sigreturn) << 20);
      put32(v, 0x00000073);
      put32(v, 0x00000293 | uint32_t(FB_SYS_exit) << 20);
      put32(v, 0x00000073);
      put32(v, 0x0000006f);
      break;
  }
  return v;
}

void get_mcontext(Machine& m, mcontext_amd64& mc) {
  int64_t* g = &mc.mc_rdi;
  for (int i = 0; i < 15; i++) g[i] = int64_t(m.reg(kX86Gpr[i]));
  mc.mc_rsp = int64_t(m.reg(UC_X86_REG_RSP));
  mc.mc_rip = int64_t(m.pc());
  mc.mc_rflags = int64_t(m.reg(UC_X86_REG_EFLAGS));
  mc.mc_cs = 0x43;          // GSEL(GUCODE_SEL, SEL_UPL)
  mc.mc_ss = 0x3b;          // GSEL(GUDATA_SEL, SEL_UPL)
  mc.mc_flags = 0x1 | 0x2;  // _MC_HASSEGS | _MC_HASBASES
  mc.mc_len = sizeof(mcontext_amd64);
  mc.mc_fpformat = FB__MC_FPFMT_XMM;
  mc.mc_ownedfp = FB__MC_FPOWNED_PCB;
  auto* fx = reinterpret_cast<uint8_t*>(mc.mc_fpstate);
  uint64_t cw = m.reg(UC_X86_REG_FPCW), sw = m.reg(UC_X86_REG_FPSW);
  uint32_t mxcsr = uint32_t(m.reg(UC_X86_REG_MXCSR));
  std::memcpy(fx + kFxCw, &cw, 2);
  std::memcpy(fx + kFxSw, &sw, 2);
  std::memcpy(fx + kFxMxcsr, &mxcsr, 4);
  for (int i = 0; i < 8; i++) {
    uint8_t st[16] = {};
    uc_reg_read(m.uc(), UC_X86_REG_ST0 + i, st);
    std::memcpy(fx + kFxSt0 + 16 * i, st, 10);
  }
  for (int i = 0; i < 16; i++) uc_reg_read(m.uc(), UC_X86_REG_XMM0 + i, fx + kFxXmm0 + 16 * i);
  mc.mc_fsbase = int64_t(m.reg(UC_X86_REG_FS_BASE));
  mc.mc_gsbase = int64_t(m.reg(UC_X86_REG_GS_BASE));
}

bool set_mcontext(Machine& m, const mcontext_amd64& mc) {
  const int64_t* g = &mc.mc_rdi;
  for (int i = 0; i < 15; i++) m.set_reg(kX86Gpr[i], uint64_t(g[i]));
  m.set_reg(UC_X86_REG_RSP, uint64_t(mc.mc_rsp));
  uint64_t fl = m.reg(UC_X86_REG_EFLAGS);
  m.set_reg(UC_X86_REG_EFLAGS, (fl & ~kUserFlags) | (uint64_t(mc.mc_rflags) & kUserFlags));
  m.set_pc(uint64_t(mc.mc_rip));
  auto* fx = reinterpret_cast<const uint8_t*>(mc.mc_fpstate);
  if (mc.mc_ownedfp != FB__MC_FPOWNED_NONE) {
    uint16_t cw, sw;
    uint32_t mxcsr;
    std::memcpy(&cw, fx + kFxCw, 2);
    std::memcpy(&sw, fx + kFxSw, 2);
    std::memcpy(&mxcsr, fx + kFxMxcsr, 4);
    m.set_reg(UC_X86_REG_FPCW, cw);
    m.set_reg(UC_X86_REG_FPSW, sw);
    m.set_reg(UC_X86_REG_MXCSR, mxcsr);
    for (int i = 0; i < 8; i++) {
      uint8_t st[16] = {};
      std::memcpy(st, fx + kFxSt0 + 16 * i, 10);
      uc_reg_write(m.uc(), UC_X86_REG_ST0 + i, st);
    }
    for (int i = 0; i < 16; i++) uc_reg_write(m.uc(), UC_X86_REG_XMM0 + i, fx + kFxXmm0 + 16 * i);
  }
  if (mc.mc_flags & 0x2) {
    m.set_reg(UC_X86_REG_FS_BASE, uint64_t(mc.mc_fsbase));
    m.set_reg(UC_X86_REG_GS_BASE, uint64_t(mc.mc_gsbase));
  }
  return true;
}

void get_mcontext(Machine& m, mcontext_arm64& mc) {
  for (int i = 0; i < 30; i++) mc.mc_gpregs.gp_x[i] = m.reg(arm64_x(i));
  mc.mc_gpregs.gp_lr = m.reg(UC_ARM64_REG_X30);
  mc.mc_gpregs.gp_sp = m.sp();
  mc.mc_gpregs.gp_elr = m.pc();
  mc.mc_gpregs.gp_spsr = m.reg(UC_ARM64_REG_NZCV) & 0xf0000000;  // EL0t, DAIF clear
  for (int i = 0; i < 32; i++) uc_reg_read(m.uc(), UC_ARM64_REG_Q0 + i, mc.mc_fpregs.fp_q[i]);
  mc.mc_fpregs.fp_sr = uint32_t(m.reg(UC_ARM64_REG_FPSR));
  mc.mc_fpregs.fp_cr = uint32_t(m.reg(UC_ARM64_REG_FPCR));
  mc.mc_fpregs.fp_flags = 0x1;  // PCB_FP_STARTED
  mc.mc_flags = FB__MC_FP_VALID;
}

bool set_mcontext(Machine& m, const mcontext_arm64& mc) {
  // set_mcontext refuses a context that leaves EL0t or changes DAIF.
  if ((mc.mc_gpregs.gp_spsr & 0x1f) != 0 || (mc.mc_gpregs.gp_spsr & 0x3c0) != 0) return false;
  for (int i = 0; i < 30; i++) m.set_reg(arm64_x(i), mc.mc_gpregs.gp_x[i]);
  m.set_reg(UC_ARM64_REG_X30, mc.mc_gpregs.gp_lr);
  m.set_sp(mc.mc_gpregs.gp_sp);
  m.set_pc(mc.mc_gpregs.gp_elr);
  m.set_reg(UC_ARM64_REG_NZCV, mc.mc_gpregs.gp_spsr & 0xf0000000);
  if (mc.mc_flags & FB__MC_FP_VALID) {
    for (int i = 0; i < 32; i++) uc_reg_write(m.uc(), UC_ARM64_REG_Q0 + i, mc.mc_fpregs.fp_q[i]);
    m.set_reg(UC_ARM64_REG_FPSR, mc.mc_fpregs.fp_sr);
    m.set_reg(UC_ARM64_REG_FPCR, mc.mc_fpregs.fp_cr);
  }
  return true;
}

void get_mcontext(Machine& m, mcontext_riscv64& mc) {
  auto& g = mc.mc_gpregs;
  g.gp_ra = m.reg(rv_x(1));
  g.gp_sp = m.reg(rv_x(2));
  g.gp_gp = m.reg(rv_x(3));
  g.gp_tp = m.reg(rv_x(4));
  for (int i = 0; i < 7; i++) g.gp_t[i] = m.reg(rv_x(kRvT[i]));
  for (int i = 0; i < 12; i++) g.gp_s[i] = m.reg(rv_x(kRvS[i]));
  for (int i = 0; i < 8; i++) g.gp_a[i] = m.reg(rv_x(10 + i));
  g.gp_sepc = m.pc();
  g.gp_sstatus = 0;  // the user-visible bits the model keeps: none
  for (int i = 0; i < 32; i++) mc.mc_fpregs.fp_x[i][0] = m.reg(UC_RISCV_REG_F0 + i);
  mc.mc_fpregs.fp_fcsr = m.reg(UC_RISCV_REG_FCSR);
  mc.mc_fpregs.fp_flags = 0x1;  // PCB_FP_STARTED
  mc.mc_flags = FB__MC_FP_VALID;
}

bool set_mcontext(Machine& m, const mcontext_riscv64& mc) {
  // As the kernel: t, s, a, ra, sp, gp and sepc come back; tp does not.
  auto& g = mc.mc_gpregs;
  for (int i = 0; i < 7; i++) m.set_reg(rv_x(kRvT[i]), g.gp_t[i]);
  for (int i = 0; i < 12; i++) m.set_reg(rv_x(kRvS[i]), g.gp_s[i]);
  for (int i = 0; i < 8; i++) m.set_reg(rv_x(10 + i), g.gp_a[i]);
  m.set_reg(rv_x(1), g.gp_ra);
  m.set_reg(rv_x(2), g.gp_sp);
  m.set_reg(rv_x(3), g.gp_gp);
  m.set_pc(g.gp_sepc);
  if (mc.mc_flags & FB__MC_FP_VALID) {
    for (int i = 0; i < 32; i++) m.set_reg(UC_RISCV_REG_F0 + i, mc.mc_fpregs.fp_x[i][0]);
    m.set_reg(UC_RISCV_REG_FCSR, mc.mc_fpregs.fp_fcsr);
  }
  return true;
}

std::unique_ptr<OsModel> make_freebsd_model() { return std::make_unique<FreeBSD>(); }

}  // namespace sim::fbsd

namespace sim {
std::unique_ptr<OsModel> make_freebsd() { return fbsd::make_freebsd_model(); }
}  // namespace sim
