// The FreeBSD model: its structures against the offsets FreeBSD's headers
// give, exec (brand check, initial stack, auxv, entry registers), the
// system-call convention of each CPU, umtx, and the signal frame each CPU's
// sendsig builds and sys_sigreturn reads back.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <map>

#include "../os_freebsd.h"
#include "resume.h"

using namespace sim;
using namespace sim::fbsd;

namespace {

constexpr uint64_t kBase = 0x200000;

// A static FreeBSD ELF: one PT_LOAD of the whole file at kBase (so its
// program headers are mapped) and a PT_NOTE with the FreeBSD ABI tag.
std::vector<uint8_t> tiny_elf(Cpu c, bool branded) {
  std::vector<uint8_t> f(0x200, 0);
  auto put = [&](size_t off, auto v) { std::memcpy(f.data() + off, &v, sizeof v); };
  std::memcpy(f.data(),
              "\x7f"
              "ELF",
              4);
  f[4] = 2, f[5] = 1, f[6] = 1;
  put(16, uint16_t(2));  // ET_EXEC
  put(18, uint16_t(c == Cpu::amd64 ? 62 : c == Cpu::arm64 ? 183 : 243));
  put(20, uint32_t(1));
  put(24, uint64_t(kBase + 0x100));  // entry
  put(32, uint64_t(64));             // phoff
  put(52, uint16_t(64));
  put(54, uint16_t(56));
  put(56, uint16_t(2));
  // PT_LOAD R+X of the whole file.
  put(64, uint32_t(1));
  put(68, uint32_t(5));
  put(64 + 16, uint64_t(kBase));
  put(64 + 24, uint64_t(kBase));
  put(64 + 32, uint64_t(f.size()));
  put(64 + 40, uint64_t(f.size()));
  put(64 + 48, uint64_t(0x1000));
  // PT_NOTE at 0x180: namesz 8, descsz 4, type 1, "FreeBSD\0", version.
  put(120, uint32_t(4));
  put(124, uint32_t(4));
  put(120 + 8, uint64_t(0x180));
  put(120 + 16, uint64_t(kBase + 0x180));
  put(120 + 32, uint64_t(24));
  put(120 + 40, uint64_t(24));
  put(0x180, uint32_t(8));
  put(0x184, uint32_t(4));
  put(0x188, uint32_t(1));
  std::memcpy(f.data() + 0x18c, branded ? "FreeBSD" : "NetBSD\0", 8);
  put(0x194, uint32_t(1401000));
  return f;
}

std::string write_temp(const std::vector<uint8_t>& bytes) {
  char path[] = "/tmp/gortsim-fbsd-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size()));
  close(fd);
  return path;
}

// A machine with the tiny binary loaded by the FreeBSD model.
struct Rig {
  Machine m;
  std::unique_ptr<OsModel> os = make_freebsd();
  Rig(Cpu c, uint64_t seed = 7) : m(c, 4096, seed, 1000) {
    m.os = os.get();
    std::string path = write_temp(tiny_elf(c, true));
    os->load(m, Program{path, {"prog", "arg1"}, {"K=V"}});
    unlink(path.c_str());
  }
  // Issues system call nr with args as the CPU's convention has it.
  uint64_t call(int nr, std::initializer_list<uint64_t> args, bool* failed = nullptr) {
    const int* ids;
    static const int x86[6] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
                               UC_X86_REG_R10, UC_X86_REG_R8,  UC_X86_REG_R9};
    static const int a64[6] = {UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2,
                               UC_ARM64_REG_X3, UC_ARM64_REG_X4, UC_ARM64_REG_X5};
    static const int rv[6] = {UC_RISCV_REG_A0, UC_RISCV_REG_A1, UC_RISCV_REG_A2,
                              UC_RISCV_REG_A3, UC_RISCV_REG_A4, UC_RISCV_REG_A5};
    Cpu c = m.cpu();
    ids = c == Cpu::amd64 ? x86 : c == Cpu::arm64 ? a64 : rv;
    int i = 0;
    for (uint64_t a : args) m.set_reg(ids[i++], a);
    m.set_reg(c == Cpu::amd64   ? int(UC_X86_REG_RAX)
              : c == Cpu::arm64 ? int(UC_ARM64_REG_X8)
                                : int(UC_RISCV_REG_T0),
              uint64_t(nr));
    m.on_syscall(m);
    return result(failed);
  }
  // The result registers of the call that just returned.
  uint64_t result(bool* failed = nullptr) {
    Cpu c = m.cpu();
    bool err = c == Cpu::amd64   ? (m.reg(UC_X86_REG_EFLAGS) & 1) != 0
               : c == Cpu::arm64 ? (m.reg(UC_ARM64_REG_NZCV) & (1u << 29)) != 0
                                 : m.reg(UC_RISCV_REG_T0) != 0;
    if (failed) *failed = err;
    return m.reg(c == Cpu::amd64   ? int(UC_X86_REG_RAX)
                 : c == Cpu::arm64 ? int(UC_ARM64_REG_X0)
                                   : int(UC_RISCV_REG_A0));
  }
  void resume() { resume_current(m); }  // resume.h
  // A read-write data area for a test's system-call arguments.
  uint64_t data_area() {
    uint64_t data = 0x7000000000 >> (m.cpu() == Cpu::riscv64 ? 8 : 0);
    m.map(data, 0x10000, kRead | kWrite);
    return data;
  }
};

constexpr Cpu kCpus[] = {Cpu::amd64, Cpu::arm64, Cpu::riscv64};

}  // namespace

TEST_CASE("FreeBSD structures have the layouts of FreeBSD's headers", "[freebsd]") {
  // sys/sys/signal.h, sys/sys/_sigset.h, sys/sys/thr.h, sys/sys/umtx.h
  CHECK(sizeof(fbsd::sigset_t) == 16);
  CHECK(sizeof(sigaction_t) == 32);
  CHECK(offsetof(sigaction_t, sa_mask) == 12);
  CHECK(sizeof(fbsd::stack_t) == 24);
  CHECK(sizeof(fbsd::siginfo_t) == 80);
  CHECK(offsetof(fbsd::siginfo_t, si_addr) == 24);
  CHECK(sizeof(thr_param_t) == 104);
  CHECK(offsetof(thr_param_t, tls_base) == 32);
  CHECK(sizeof(umtx_time_t) == 24);
  // The machine contexts (arm64's sizes are asserted by the kernel too).
  CHECK(sizeof(mcontext_amd64) == 800);
  CHECK(offsetof(mcontext_amd64, mc_rip) == 160);
  CHECK(offsetof(mcontext_amd64, mc_rsp) == 184);
  CHECK(offsetof(mcontext_amd64, mc_fsbase) == 736);
  CHECK(sizeof(mcontext_arm64) == 880);
  CHECK(sizeof(ucontext_t<mcontext_arm64>) == 960);
  CHECK(offsetof(mcontext_arm64, mc_gpregs.gp_elr) == 256);
  CHECK(sizeof(mcontext_riscv64) == 864);
  CHECK(offsetof(ucontext_t<mcontext_riscv64>, uc_mcontext.mc_gpregs.gp_sepc) == 16 + 31 * 8);
  // The frames: the sigcode reaches sf_uc at these offsets.
  CHECK(offsetof(sigframe_amd64, sf_uc) == 16);
  CHECK(offsetof(sigframe_amd64, sf_si) == 896);
  CHECK(offsetof(sigframe_arm64, sf_uc) == 80);
  CHECK(offsetof(sigframe_riscv64, sf_uc) == 80);
}

TEST_CASE("each sigcode enters sigreturn with the address of sf_uc", "[freebsd]") {
  auto x86 = sigcode_for(Cpu::amd64);
  // call *(%rsp); lea 16(%rsp),%rdi; ...; mov $417,%eax; syscall
  CHECK(x86[7] == 16);
  CHECK((x86[11] | x86[12] << 8) == FB_SYS_sigreturn);
  auto word = [](const std::vector<uint8_t>& v, int i) {
    uint32_t w;
    std::memcpy(&w, v.data() + 4 * i, 4);
    return w;
  };
  auto a64 = sigcode_for(Cpu::arm64);
  CHECK(word(a64, 0) == 0xd63f0100);                          // blr x8
  CHECK(((word(a64, 1) >> 10) & 0xfff) == 80);                // add x0, sp, #80
  CHECK(((word(a64, 2) >> 5) & 0xffff) == FB_SYS_sigreturn);  // mov x8, #417
  auto rv = sigcode_for(Cpu::riscv64);
  CHECK((word(rv, 0) >> 20) == 80);                // addi a0, sp, 80
  CHECK((word(rv, 1) >> 20) == FB_SYS_sigreturn);  // li t0, 417
}

TEST_CASE("exec: the FreeBSD brand is required", "[freebsd]") {
  Machine m(Cpu::amd64, 4096, 1, 1000);
  auto os = make_freebsd();
  std::string path = write_temp(tiny_elf(Cpu::amd64, false));
  bool threw = false;
  try {
    os->load(m, Program{path, {"x"}, {}});
  } catch (const Fatal& f) {
    threw = f.what.find("no FreeBSD brand") != std::string::npos;
  }
  unlink(path.c_str());
  CHECK(threw);
}

TEST_CASE("exec: the initial stack, auxv and entry registers", "[freebsd]") {
  for (Cpu c : kCpus) {
    INFO(cpu_name(c));
    Rig r(c);
    Machine& m = r.m;
    uint64_t argc_at = c == Cpu::amd64   ? m.reg(UC_X86_REG_RDI)
                       : c == Cpu::arm64 ? m.reg(UC_ARM64_REG_X0)
                                         : m.reg(UC_RISCV_REG_A0);
    CHECK(m.pc() == kBase + 0x100);
    // amd64: %rsp = ((stack - 8) & ~15) + 8, as if a call had pushed.
    CHECK(m.sp() % 16 == (c == Cpu::amd64 ? 8u : 0u));
    REQUIRE(m.read_u64(argc_at) == 2);
    CHECK(m.read_cstr(m.read_u64(argc_at + 8)) == "prog");
    CHECK(m.read_cstr(m.read_u64(argc_at + 16)) == "arg1");
    CHECK(m.read_u64(argc_at + 24) == 0);
    CHECK(m.read_cstr(m.read_u64(argc_at + 32)) == "K=V");
    CHECK(m.read_u64(argc_at + 40) == 0);
    std::map<uint64_t, uint64_t> aux;
    for (uint64_t a = argc_at + 48; m.read_u64(a) != FB_AT_NULL; a += 16)
      aux[m.read_u64(a)] = m.read_u64(a + 8);
    CHECK(aux[FB_AT_PAGESZ] == 4096);
    CHECK(aux[FB_AT_NCPUS] == uint64_t(m.ncpu));
    CHECK(aux[FB_AT_PHDR] == kBase + 64);
    CHECK(aux[FB_AT_PHNUM] == 2);
    CHECK(aux[FB_AT_ENTRY] == kBase + 0x100);
    CHECK(aux[FB_AT_OSRELDATE] == kOsRelDate);
    CHECK(aux[FB_AT_CANARYLEN] == 64);
    CHECK(m.read_cstr(aux[FB_AT_EXECPATH]) == "prog");
    CHECK(aux[FB_AT_ARGC] == 2);
    CHECK(aux[FB_AT_ARGV] == argc_at + 8);
    CHECK(aux[FB_AT_ENVV] == argc_at + 32);
    CHECK(aux[FB_AT_PAGESIZESLEN] == 24);
    CHECK(m.read_u64(aux[FB_AT_PAGESIZES]) == 4096);
    // The canary comes from the seed: the same seed gives the same bytes.
    Rig again(c);
    std::map<uint64_t, uint64_t> aux2;
    uint8_t c1[64], c2[64];
    m.read(aux[FB_AT_CANARY], c1, 64);
    uint64_t a2 = c == Cpu::amd64   ? again.m.reg(UC_X86_REG_RDI)
                  : c == Cpu::arm64 ? again.m.reg(UC_ARM64_REG_X0)
                                    : again.m.reg(UC_RISCV_REG_A0);
    for (uint64_t a = a2 + 48; again.m.read_u64(a) != FB_AT_NULL; a += 16)
      aux2[again.m.read_u64(a)] = again.m.read_u64(a + 8);
    again.m.read(aux2[FB_AT_CANARY], c2, 64);
    CHECK(std::memcmp(c1, c2, 64) == 0);
  }
}

TEST_CASE("system calls return as each CPU's cpu_set_syscall_retval does", "[freebsd]") {
  for (Cpu c : kCpus) {
    INFO(cpu_name(c));
    Rig r(c);
    bool failed = false;
    CHECK(r.call(FB_SYS_close, {99}, &failed) == uint64_t(FB_EBADF));
    CHECK(failed);
    CHECK(r.call(FB_SYS_issetugid, {}, &failed) == 0);
    CHECK_FALSE(failed);
    // thr_self stores the kernel's thread id (above PID_MAX) at its argument.
    uint64_t buf = 0x7000000000 >> (c == Cpu::riscv64 ? 8 : 0);
    r.m.map(buf, 4096, kRead | kWrite);
    CHECK(r.call(FB_SYS_thr_self, {buf}, &failed) == 0);
    CHECK(r.m.read_u64(buf) == uint64_t(kFirstTid));
    // An unknown number stops the run, naming it.
    bool threw = false;
    try {
      r.call(999, {});
    } catch (const Fatal& f) {
      threw = f.what.find("unknown system call 999") != std::string::npos;
    }
    CHECK(threw);
  }
}

TEST_CASE("_umtx_op: a changed value does not sleep, and wakes return 0", "[freebsd]") {
  Rig r(Cpu::amd64);
  uint64_t w = 0x7000000000;
  r.m.map(w, 4096, kRead | kWrite);
  r.m.write_u32(w, 5);
  bool failed = false;
  CHECK(r.call(FB_SYS__umtx_op, {w, uint64_t(FB_UMTX_OP_WAIT_UINT_PRIVATE), 4, 0, 0}, &failed) ==
        0);
  CHECK_FALSE(failed);
  CHECK(r.m.current().state == ThreadState::runnable);
  CHECK(r.call(FB_SYS__umtx_op, {w, uint64_t(FB_UMTX_OP_WAKE_PRIVATE), 1, 0, 0}, &failed) == 0);
  // Equal value: the thread blocks on the word.
  r.call(FB_SYS__umtx_op, {w, uint64_t(FB_UMTX_OP_WAIT_UINT_PRIVATE), 5, 0, 0});
  CHECK(r.m.current().state == ThreadState::blocked);
  CHECK(r.m.current().wait_addr == w);
}

TEST_CASE("a signal frame is FreeBSD's, and sigreturn restores from it", "[freebsd]") {
  for (Cpu c : kCpus) {
    INFO(cpu_name(c));
    Rig r(c);
    Machine& m = r.m;
    uint64_t data = r.data_area();
    // sigaction(SIGUSR1, {handler, SA_SIGINFO, mask {SIGUSR2}}, NULL)
    sigaction_t sa{kBase + 0x140, FB_SA_SIGINFO, {{1u << (FB_SIGUSR2 - 1), 0, 0, 0}}};
    m.write(data, &sa, sizeof sa);
    bool failed = true;
    r.call(FB_SYS_sigaction, {uint64_t(FB_SIGUSR1), data, 0}, &failed);
    REQUIRE_FALSE(failed);
    // The interrupted state: a known pc, sp, register and mask.
    uint64_t pc = kBase + 0x104, sp = data + 0x8000;
    int reg = c == Cpu::amd64   ? int(UC_X86_REG_RBX)
              : c == Cpu::arm64 ? int(UC_ARM64_REG_X19)
                                : int(UC_RISCV_REG_S1);
    m.set_pc(pc);
    m.set_sp(sp);
    m.set_reg(reg, 0x1234);
    m.current().sigmask = 1u << (FB_SIGINT - 1);
    r.os->deliver(m, m.current(), PendingSig{FB_SIGUSR1, FB_SI_LWP, 0, 1});

    uint64_t frame = m.sp(), uc, si;
    if (c == Cpu::amd64) {
      CHECK(m.pc() == layout_for(c).shared_page);         // the sigcode calls the handler
      CHECK(m.read_u64(frame) == kBase + 0x140);          // through sf_ahu
      CHECK(frame <= sp - 128 - sizeof(sigframe_amd64));  // below the red zone
      uc = m.reg(UC_X86_REG_RDX), si = m.reg(UC_X86_REG_RSI);
      CHECK(m.reg(UC_X86_REG_RDI) == uint64_t(FB_SIGUSR1));
      CHECK(uc == frame + 16);
      CHECK(si == frame + 896);
      auto* mc = new mcontext_amd64;
      m.read(uc + 16, mc, sizeof *mc);
      CHECK(uint64_t(mc->mc_rip) == pc);
      CHECK(uint64_t(mc->mc_rsp) == sp);
      CHECK(mc->mc_rbx == 0x1234);
      CHECK(mc->mc_len == 800);
      delete mc;
    } else if (c == Cpu::arm64) {
      CHECK(m.pc() == layout_for(c).shared_page);  // blr x8 from the sigcode
      CHECK(m.reg(UC_ARM64_REG_X8) == kBase + 0x140);
      uc = m.reg(UC_ARM64_REG_X2), si = m.reg(UC_ARM64_REG_X1);
      CHECK(si == frame);
      CHECK(uc == frame + 80);
      auto* mc = new mcontext_arm64;
      m.read(uc + 16, mc, sizeof *mc);
      CHECK(mc->mc_gpregs.gp_elr == pc);
      CHECK(mc->mc_gpregs.gp_sp == sp);
      CHECK(mc->mc_gpregs.gp_x[19] == 0x1234);
      CHECK(m.read_u32(mc->mc_ptr) == FB_ARM64_CTX_END);
      delete mc;
    } else {
      CHECK(m.pc() == kBase + 0x140);  // straight to the handler, ra = sigcode
      CHECK(m.reg(UC_RISCV_REG_RA) == layout_for(c).shared_page);
      uc = m.reg(UC_RISCV_REG_A2), si = m.reg(UC_RISCV_REG_A1);
      CHECK(si == frame);
      CHECK(uc == frame + 80);
      auto* mc = new mcontext_riscv64;
      m.read(uc + 16, mc, sizeof *mc);
      CHECK(mc->mc_gpregs.gp_sepc == pc);
      CHECK(mc->mc_gpregs.gp_sp == sp);
      CHECK(mc->mc_gpregs.gp_s[1] == 0x1234);
      delete mc;
    }
    CHECK(frame % 16 == 0);
    fbsd::siginfo_t info;
    m.read(si, &info, sizeof info);
    CHECK(info.si_signo == FB_SIGUSR1);
    CHECK(info.si_code == FB_SI_LWP);
    CHECK(info.si_pid == kPid);
    fbsd::sigset_t saved;
    m.read(uc, &saved, sizeof saved);
    CHECK(saved.bits[0] == 1u << (FB_SIGINT - 1));
    // In the handler: the signal itself and sa_mask are blocked too.
    CHECK(m.current().sigmask ==
          ((1u << (FB_SIGINT - 1)) | (1u << (FB_SIGUSR1 - 1)) | (1u << (FB_SIGUSR2 - 1))));

    // The handler edits the context (as gort's preemption does with pc);
    // sigreturn resumes there with the saved mask.
    uint64_t pc_slot = c == Cpu::amd64   ? uc + 16 + offsetof(mcontext_amd64, mc_rip)
                       : c == Cpu::arm64 ? uc + 16 + offsetof(mcontext_arm64, mc_gpregs.gp_elr)
                                         : uc + 16 + offsetof(mcontext_riscv64, mc_gpregs.gp_sepc);
    m.write_u64(pc_slot, kBase + 0x180);
    m.set_reg(reg, 0);
    r.call(FB_SYS_sigreturn, {uc});
    CHECK(m.pc() == kBase + 0x180);
    CHECK(m.sp() == sp);
    CHECK(m.reg(reg) == 0x1234);
    CHECK(m.current().sigmask == 1u << (FB_SIGINT - 1));
  }
}

TEST_CASE("a fault with no handler kills; with one, si_addr and si_code are set", "[freebsd]") {
  Rig r(Cpu::arm64);
  Machine& m = r.m;
  uint64_t data = 0x7000000000;
  m.map(data, 0x10000, kRead | kWrite);
  sigaction_t sa{kBase + 0x140, FB_SA_SIGINFO | FB_SA_ONSTACK, {{0, 0, 0, 0}}};
  m.write(data, &sa, sizeof sa);
  r.call(FB_SYS_sigaction, {uint64_t(FB_SIGSEGV), data, 0});
  // An alternate stack: the frame goes there.
  fbsd::stack_t st{data + 0x1000, 0x4000, 0};
  m.write(data + 0x100, &st, sizeof st);
  bool failed = true;
  r.call(FB_SYS_sigaltstack, {data + 0x100, 0}, &failed);
  REQUIRE_FALSE(failed);
  m.set_sp(data + 0x9000);
  m.set_pc(kBase + 0x104);
  r.os->fault(m, OsModel::Fault::protection, 0xdead000);
  uint64_t fp = m.sp();
  CHECK(fp >= data + 0x1000);
  CHECK(fp < data + 0x5000);
  fbsd::siginfo_t info;
  m.read(fp, &info, sizeof info);
  CHECK(info.si_signo == FB_SIGSEGV);
  CHECK(info.si_code == FB_SEGV_ACCERR);
  CHECK(info.si_addr == 0xdead000);
  fbsd::stack_t saved;
  m.read(fp + 80 + offsetof(ucontext_t<mcontext_arm64>, uc_stack), &saved, sizeof saved);
  CHECK(saved.ss_sp == data + 0x1000);
  CHECK(saved.ss_flags == 0);  // enabled, and the interrupted code was not on it
}

TEST_CASE("amd64 traps: #DE is SIGFPE/FPE_INTDIV at the division, int3 is past itself",
          "[freebsd]") {
  Rig r(Cpu::amd64);
  Machine& m = r.m;
  uint64_t data = 0x7000000000;
  m.map(data, 0x10000, kRead | kWrite);
  sigaction_t sa{kBase + 0x140, FB_SA_SIGINFO, {{0, 0, 0, 0}}};
  m.write(data, &sa, sizeof sa);
  r.call(FB_SYS_sigaction, {uint64_t(FB_SIGFPE), data, 0});
  r.call(FB_SYS_sigaction, {uint64_t(FB_SIGTRAP), data, 0});
  struct Case {
    OsModel::Fault kind;
    int sig, code;
    uint64_t pc_seen, trapno;
  } cases[] = {{OsModel::Fault::divide, FB_SIGFPE, FB_FPE_INTDIV, kBase + 0x104, 18},
               {OsModel::Fault::breakpoint, FB_SIGTRAP, FB_TRAP_BRKPT, kBase + 0x105, 3}};
  for (auto& c : cases) {
    m.current().sigmask = 0;
    m.set_sp(data + 0x8000);
    m.set_pc(kBase + 0x104);
    r.os->fault(m, c.kind, 0);
    uint64_t si = m.reg(UC_X86_REG_RSI), uc = m.reg(UC_X86_REG_RDX);
    fbsd::siginfo_t info;
    m.read(si, &info, sizeof info);
    CHECK(info.si_signo == c.sig);
    CHECK(info.si_code == c.code);
    CHECK(info.si_addr == c.pc_seen);  // trap.c: addr = frame->tf_rip
    CHECK(uint64_t(info.reason.fault.trapno) == c.trapno);
    CHECK(m.read_u64(uc + 16 + offsetof(mcontext_amd64, mc_rip)) == c.pc_seen);
  }
}

TEST_CASE("riscv64: rdtime reads the virtual clock at 10 MHz", "[freebsd]") {
  Rig r(Cpu::riscv64);
  Machine& m = r.m;
  uint32_t code[1] = {0xc0102973};  // rdtime s2
  m.write(kBase + 0x100, code, sizeof code);
  m.set_pc(kBase + 0x100);
  m.set_reg(UC_RISCV_REG_S2, 12345);
  r.os->fault(m, OsModel::Fault::illegal, kBase + 0x100);
  CHECK(m.pc() == kBase + 0x104);
  CHECK(m.reg(UC_RISCV_REG_S2) == m.now_ns() / 100);
}

TEST_CASE(
    "a signal breaks a sleep: read restarts under SA_RESTART, else EINTR; umtx and nanosleep "
    "never restart; an ignored signal does not end a sleep",
    "[freebsd]") {
  for (Cpu c : kCpus) {
    INFO(cpu_name(c));
    Rig r(c);
    Machine& m = r.m;
    Thread& t = m.current();
    uint64_t data = r.data_area();
    bool failed = true;
    r.call(FB_SYS_pipe2, {data, 0}, &failed);
    REQUIRE_FALSE(failed);
    uint64_t rfd = m.read_u32(data);
    // SIGUSR1 with SA_RESTART, SIGUSR2 without; SIGURG stays SIG_DFL (ignored).
    sigaction_t sa{kBase + 0x140, FB_SA_RESTART, {{0, 0, 0, 0}}};
    m.write(data + 0x100, &sa, sizeof sa);
    r.call(FB_SYS_sigaction, {uint64_t(FB_SIGUSR1), data + 0x100, 0});
    sa.sa_flags = 0;
    m.write(data + 0x100, &sa, sizeof sa);
    r.call(FB_SYS_sigaction, {uint64_t(FB_SIGUSR2), data + 0x100, 0});
    // The machine calls the model with pc past the trap instruction.
    uint64_t insn = kBase + 0x104, after = insn + (c == Cpu::amd64 ? 2 : 4);
    auto read_blocks = [&] {
      m.set_pc(after);
      r.call(FB_SYS_read, {rfd, data + 0x200, 1});
      REQUIRE(t.state == ThreadState::blocked);
    };
    auto signal = [&](int sig) { m.post_signal(t, PendingSig{sig, FB_SI_LWP, 0, t.tid}); };

    // ERESTART: pc back on the trap with the arguments as they were, so
    // the frame the handler gets resumes into the call.
    read_blocks();
    signal(FB_SIGUSR1);
    r.resume();
    CHECK(m.pc() == insn);
    CHECK(m.reg(c == Cpu::amd64   ? int(UC_X86_REG_RDI)
                : c == Cpu::arm64 ? int(UC_ARM64_REG_X0)
                                  : int(UC_RISCV_REG_A0)) == rfd);
    t.pending.clear();

    // EINTR without SA_RESTART: the call returns past the trap.
    read_blocks();
    signal(FB_SIGUSR2);
    r.resume();
    CHECK(r.result(&failed) == uint64_t(FB_EINTR));
    CHECK(failed);
    CHECK(m.pc() == after);
    t.pending.clear();

    // An ignored signal is dropped and the read sleeps on.
    read_blocks();
    signal(FB_SIGURG);
    r.resume();
    CHECK(t.state == ThreadState::blocked);
    CHECK(t.pending.empty());
    m.unblock(t, Thread::Wake::woken);
    r.resume();
    CHECK(m.pc() == insn);  // woken by a writer: the read runs again

    // _umtx_op and nanosleep: EINTR even under SA_RESTART.
    m.write_u32(data + 0x300, 5);
    m.set_pc(after);
    r.call(FB_SYS__umtx_op, {data + 0x300, uint64_t(FB_UMTX_OP_WAIT_UINT_PRIVATE), 5, 0, 0});
    REQUIRE(t.state == ThreadState::blocked);
    signal(FB_SIGUSR1);
    r.resume();
    CHECK(r.result(&failed) == uint64_t(FB_EINTR));
    CHECK(failed);
    t.pending.clear();
    timespec_t ts{1, 0};
    m.write(data + 0x400, &ts, sizeof ts);
    m.set_pc(after);
    r.call(FB_SYS_nanosleep, {data + 0x400, data + 0x410});
    REQUIRE(t.state == ThreadState::blocked);
    signal(FB_SIGUSR1);
    r.resume();
    CHECK(r.result(&failed) == uint64_t(FB_EINTR));
    CHECK(failed);
    timespec_t left;
    m.read(data + 0x410, &left, sizeof left);
    CHECK(left.tv_sec * 1000000000 + left.tv_nsec == 1000000000);  // no virtual time passed
  }
}

TEST_CASE("a system call's buffer must be accessible: EFAULT from a guard or read-only page",
          "[freebsd]") {
  for (Cpu c : kCpus) {
    INFO(cpu_name(c));
    Rig r(c);
    Machine& m = r.m;
    uint64_t data = r.data_area();
    m.protect(data + 0x8000, 0x1000, kProtNone);
    m.protect(data + 0x9000, 0x1000, kRead);
    bool failed = true;
    r.call(FB_SYS_pipe2, {data, 0}, &failed);
    REQUIRE_FALSE(failed);
    uint64_t rfd = m.read_u32(data), wfd = m.read_u32(data + 4);
    // write(2) copies in from the buffer: a guard page is EFAULT (the
    // machine's own read would see its bytes).
    CHECK(r.call(FB_SYS_write, {wfd, data + 0x8000, 1}, &failed) == uint64_t(FB_EFAULT));
    CHECK(failed);
    CHECK(r.call(FB_SYS_write, {wfd, data + 0x100, 1}, &failed) == 1);
    CHECK_FALSE(failed);
    // read(2) copies out: a read-only page is EFAULT.
    CHECK(r.call(FB_SYS_read, {rfd, data + 0x9000, 1}, &failed) == uint64_t(FB_EFAULT));
    CHECK(failed);
  }
}
