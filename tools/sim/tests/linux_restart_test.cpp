// The Linux model's waits broken by a signal, by the kernel's rules
// (arch/*/kernel/signal.c on the ERESTART code of include/linux/errno.h):
// a pipe read (ERESTARTSYS) and an untimed futex wait (ERESTARTSYS) restart
// under SA_RESTART and are EINTR otherwise; a timed futex wait and nanosleep
// (ERESTART_RESTARTBLOCK) are EINTR whenever a handler runs; a signal the
// process ignores never ends a wait.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "../elf.h"
#include "../os_linux.h"
#include "resume.h"

using namespace sim;
using namespace sim::linux_model;

namespace {

constexpr uint64_t kBase = 0x400000, kData = 0x10000000;

// A static Linux ELF64: one r-x PT_LOAD of its first page at kBase.
std::vector<uint8_t> tiny_elf(Cpu c) {
  std::vector<uint8_t> f(0x1000, 0);
  elf::Ehdr eh{};
  memcpy(eh.ident,
         "\x7f"
         "ELF",
         4);
  eh.ident[4] = 2, eh.ident[5] = 1, eh.ident[6] = 1;
  eh.type = 2;
  eh.machine = c == Cpu::amd64 ? 62 : c == Cpu::arm64 ? 183 : 243;
  eh.version = 1;
  eh.entry = kBase + 0x100;
  eh.phoff = 64;
  eh.ehsize = 64;
  eh.phentsize = sizeof(elf::Phdr);
  eh.phnum = 1;
  memcpy(f.data(), &eh, sizeof eh);
  elf::Phdr ph{elf::PT_LOAD, elf::PF_R | elf::PF_X, 0, kBase, kBase, 0x1000, 0x1000, 0x1000};
  memcpy(f.data() + 64, &ph, sizeof ph);
  return f;
}

struct Rig {
  Machine m;
  std::unique_ptr<OsModel> os = make_linux();
  explicit Rig(Cpu c) : m(c, 4096, 7, 1000) {
    m.os = os.get();
    char path[] = "/tmp/gortsim-linux-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    auto bytes = tiny_elf(c);
    REQUIRE(write(fd, bytes.data(), bytes.size()) == ssize_t(bytes.size()));
    close(fd);
    os->load(m, Program{path, {"prog"}, {}});
    unlink(path);
    m.map(kData, 0x10000, kRead | kWrite);
  }
  int reg_arg(int i) {
    static const int x86[6] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
                               UC_X86_REG_R10, UC_X86_REG_R8,  UC_X86_REG_R9};
    return m.cpu() == Cpu::amd64   ? x86[i]
           : m.cpu() == Cpu::arm64 ? int(UC_ARM64_REG_X0) + i
                                   : int(UC_RISCV_REG_A0) + i;
  }
  // System call (x86-64 number, generic number) with pc past its trap
  // instruction, as the machine calls the model.
  int64_t call(int x86, int generic, std::initializer_list<uint64_t> args) {
    int i = 0;
    for (uint64_t a : args) m.set_reg(reg_arg(i++), a);
    Cpu c = m.cpu();
    m.set_reg(c == Cpu::amd64   ? int(UC_X86_REG_RAX)
              : c == Cpu::arm64 ? int(UC_ARM64_REG_X8)
                                : int(UC_RISCV_REG_A7),
              uint64_t(c == Cpu::amd64 ? x86 : generic));
    m.set_pc(after());
    m.on_syscall(m);
    return result();
  }
  int64_t result() {
    return int64_t(m.reg(m.cpu() == Cpu::amd64 ? int(UC_X86_REG_RAX) : reg_arg(0)));
  }
  uint64_t insn() const { return kBase + 0x104; }
  uint64_t after() { return insn() + (m.cpu() == Cpu::amd64 ? 2 : 4); }
  void resume() { resume_current(m); }  // resume.h
  void signal(int sig) {
    Thread& t = m.current();
    m.post_signal(t, PendingSig{sig, kSI_TKILL, 0, t.tid});
  }
};

}  // namespace

TEST_CASE(
    "Linux: SA_RESTART restarts ERESTARTSYS waits, other waits are EINTR, ignored signals "
    "do not wake",
    "[linux]") {
  for (Cpu c : {Cpu::amd64, Cpu::arm64, Cpu::riscv64}) {
    INFO(cpu_name(c));
    Rig r(c);
    Machine& m = r.m;
    Thread& t = m.current();
    // rt_sigaction keeps the guest's flags as given: SIGUSR1 restarts,
    // SIGUSR2 does not, SIGURG is SIG_DFL (ignored).
    m.sigactions[kSIGUSR1] = SigAction{kBase + 0x140, kSA_RESTART, 0, 0};
    m.sigactions[kSIGUSR2] = SigAction{kBase + 0x140, 0, 0, 0};
    REQUIRE(r.call(293, 59, {kData, 0}) == 0);  // pipe2
    uint64_t rfd = m.read_u32(kData);
    auto read_blocks = [&] {
      t.pending.clear();  // the last case's signal, which a delivery would have taken
      r.call(0, 63, {rfd, kData + 0x100, 1});
      REQUIRE(t.state == ThreadState::blocked);
    };

    read_blocks();
    r.signal(kSIGUSR1);
    r.resume();
    CHECK(m.pc() == r.insn());  // ERESTARTSYS + SA_RESTART: the call runs again
    CHECK(m.reg(r.reg_arg(0)) == rfd);

    read_blocks();
    r.signal(kSIGUSR2);
    r.resume();
    CHECK(r.result() == -kEINTR);
    CHECK(m.pc() == r.after());

    read_blocks();
    r.signal(kSIGURG);
    r.resume();
    CHECK(t.state == ThreadState::blocked);  // dropped: the read waits on
    CHECK(t.pending.empty());
    m.unblock(t, Thread::Wake::woken);
    r.resume();
    CHECK(t.state == ThreadState::blocked);  // woken with the pipe still empty
    r.signal(kSIGUSR2);
    r.resume();
    CHECK(r.result() == -kEINTR);

    // futex: untimed is ERESTARTSYS, timed ERESTART_RESTARTBLOCK.
    m.write_u32(kData + 0x200, 5);
    t.pending.clear();
    r.call(202, 98, {kData + 0x200, 128 /* FUTEX_WAIT_PRIVATE */, 5, 0, 0, 0});
    REQUIRE(t.state == ThreadState::blocked);
    r.signal(kSIGUSR1);
    r.resume();
    CHECK(m.pc() == r.insn());
    int64_t ts[2] = {1, 0};
    m.write(kData + 0x300, ts, sizeof ts);
    t.pending.clear();
    r.call(202, 98, {kData + 0x200, 128, 5, kData + 0x300, 0, 0});
    REQUIRE(t.state == ThreadState::blocked);
    r.signal(kSIGUSR1);
    r.resume();
    CHECK(r.result() == -kEINTR);
    CHECK(m.pc() == r.after());

    // nanosleep: EINTR under SA_RESTART too, the time left at rem.
    t.pending.clear();
    r.call(35, 101, {kData + 0x300, kData + 0x310});
    REQUIRE(t.state == ThreadState::blocked);
    r.signal(kSIGUSR1);
    r.resume();
    CHECK(r.result() == -kEINTR);
    int64_t left[2];
    m.read(kData + 0x310, left, sizeof left);
    CHECK(left[0] * 1000000000 + left[1] == 1000000000);  // no virtual time passed
  }
}
