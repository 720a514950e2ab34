// The machine: Unicorn 2.0.1's behaviour it relies on (where pc is at a
// system call, a fault, a trap), thread switching with the thread pointer,
// blocking, waking, the virtual clock and seeded interleavings.
#include <catch2/catch.hpp>
#include <cstring>

#include "../sim.h"

using namespace sim;

namespace {
constexpr uint64_t kCode = 0x10000, kData = 0x20000, kRo = 0x30000;

// An OS model that records what the machine reports and ends the run.
struct Probe : OsModel {
  std::vector<std::pair<Fault, uint64_t>> faults;
  std::vector<uint64_t> fault_pcs;
  const char* name() const override { return "probe"; }
  void load(Machine&, const Program&) override {}
  void deliver(Machine&, Thread&, const PendingSig&) override {}
  void fault(Machine& m, Fault kind, uint64_t addr) override {
    faults.push_back({kind, addr});
    fault_pcs.push_back(m.pc());
    m.halt(1);
  }
};

struct Rig {
  Machine m;
  Probe os;
  Rig(Cpu c, const std::vector<uint8_t>& code, uint64_t seed = 1, uint64_t quantum = 10000)
      : m(c, 4096, seed, quantum) {
    m.os = &os;
    m.map(kCode, 0x4000, kRead | kExec);
    m.map(kData, 0x1000, kRead | kWrite);
    m.map(kRo, 0x1000, kRead);
    m.write(kCode, code.data(), code.size());
    m.set_pc(kCode);
    m.set_sp(kData + 0x800);
  }
};

std::vector<uint8_t> words(std::initializer_list<uint32_t> w) {
  std::vector<uint8_t> b(w.size() * 4);
  memcpy(b.data(), w.begin(), b.size());
  return b;
}
// A system call, then a store to an unmapped address.
const std::vector<uint8_t> kX86Sys = {0x0f, 0x05, 0x89, 0x04, 0x25, 0x00, 0x00, 0x05, 0x00};
const std::vector<uint8_t> kA64Sys = words({0xd4000001, 0xf9000020});  // svc #0; str x0, [x1]
const std::vector<uint8_t> kRvSys = words({0x00000073, 0x00a03023});   // ecall; sd a0, 0(zero)
}  // namespace

TEST_CASE("the system-call hook sees pc past the instruction, and a fault pc at it", "[machine]") {
  struct Case {
    Cpu cpu;
    std::vector<uint8_t> code;
    uint64_t after, fault_addr;
  } cases[] = {{Cpu::amd64, kX86Sys, kCode + 2, 0x50000},
               {Cpu::arm64, kA64Sys, kCode + 4, 0},
               {Cpu::riscv64, kRvSys, kCode + 4, 0}};
  for (auto& c : cases) {
    Rig r(c.cpu, c.code);
    uint64_t seen = 0;
    r.m.on_syscall = [&](Machine& m) { seen = m.pc(); };
    REQUIRE(r.m.run() == 1);
    CHECK(seen == c.after);
    REQUIRE(r.os.faults.size() == 1);
    CHECK(r.os.faults[0].first == OsModel::Fault::unmapped);
    CHECK(r.os.faults[0].second == c.fault_addr);
    CHECK(r.os.fault_pcs[0] == c.after);  // the faulting store follows the call
  }
}

TEST_CASE("a model that moves pc in the system-call hook is obeyed on every CPU", "[machine]") {
  // x86-64: Unicorn adds the instruction's 2 bytes after the hook; the
  // machine compensates. The target is a store to a read-only page.
  struct Case {
    Cpu cpu;
    std::vector<uint8_t> code;
    uint64_t target;
  } cases[] = {
      {Cpu::amd64, {0x0f, 0x05, 0x90, 0x90, 0x89, 0x04, 0x25, 0x00, 0x00, 0x03, 0x00}, kCode + 4},
      {Cpu::arm64, words({0xd4000001, 0xd503201f, 0xf9000020}), kCode + 8},
      {Cpu::riscv64, words({0x00000073, 0x00000013, 0x00a5b023}), kCode + 8}};
  for (auto& c : cases) {
    Rig r(c.cpu, c.code);
    r.m.set_reg(c.cpu == Cpu::arm64 ? int(UC_ARM64_REG_X1) : int(UC_RISCV_REG_A1), kRo);
    r.m.on_syscall = [&](Machine& m) { m.set_pc(c.target); };
    REQUIRE(r.m.run() == 1);
    REQUIRE(r.os.faults.size() == 1);
    CHECK(r.os.faults[0].first == OsModel::Fault::protection);
    CHECK(r.os.faults[0].second == kRo);
    CHECK(r.os.fault_pcs[0] == c.target);
  }
}

TEST_CASE("trap instructions report their own pc and kind", "[machine]") {
  struct Case {
    Cpu cpu;
    std::vector<uint8_t> code;
    OsModel::Fault kind;
  } cases[] = {
      {Cpu::amd64, {0x90, 0x0f, 0x0b}, OsModel::Fault::illegal},                    // ud2
      {Cpu::amd64, {0x90, 0xcc}, OsModel::Fault::breakpoint},                       // int3
      {Cpu::arm64, words({0xd503201f, 0x00004747}), OsModel::Fault::illegal},       // udf
      {Cpu::arm64, words({0xd503201f, 0xd4200000}), OsModel::Fault::breakpoint},    // brk #0
      {Cpu::riscv64, words({0x00000013, 0xc0001073}), OsModel::Fault::illegal},     // unimp
      {Cpu::riscv64, words({0x00000013, 0x00100073}), OsModel::Fault::breakpoint},  // ebreak
      {Cpu::riscv64, {0x13, 0, 0, 0, 0, 0}, OsModel::Fault::illegal},               // c.unimp
  };
  for (auto& c : cases) {
    Rig r(c.cpu, c.code);
    REQUIRE(r.m.run() == 1);
    REQUIRE(r.os.faults.size() == 1);
    CHECK(r.os.faults[0].first == c.kind);
    uint64_t at = kCode + (c.cpu == Cpu::amd64 ? 1 : 4);
    CHECK(r.os.faults[0].second == at);
    CHECK(r.os.fault_pcs[0] == at);
  }
}

TEST_CASE("uc_context_save/restore carry the thread pointer of each CPU", "[machine]") {
  struct Case {
    uc_arch arch;
    uc_mode mode;
    int reg;
  } cases[] = {{UC_ARCH_X86, UC_MODE_64, UC_X86_REG_FS_BASE},
               {UC_ARCH_ARM64, UC_MODE_ARM, UC_ARM64_REG_TPIDR_EL0},
               {UC_ARCH_RISCV, UC_MODE_RISCV64, UC_RISCV_REG_TP}};
  for (auto& c : cases) {
    uc_engine* uc;
    REQUIRE(uc_open(c.arch, c.mode, &uc) == UC_ERR_OK);
    uc_context* ctx;
    REQUIRE(uc_context_alloc(uc, &ctx) == UC_ERR_OK);
    uint64_t v = 0x123456789000, got = 0;
    uc_reg_write(uc, c.reg, &v);
    uc_context_save(uc, ctx);
    v = 0x42;
    uc_reg_write(uc, c.reg, &v);
    uc_context_restore(uc, ctx);
    uc_reg_read(uc, c.reg, &got);
    CHECK(got == 0x123456789000);
    uc_context_free(ctx);
    uc_close(uc);
  }
}

namespace {
// Every thread loops on a system call: `syscall; jmp .-4` and the like.
const std::vector<uint8_t> kX86Loop = {0x0f, 0x05, 0xeb, 0xfc};
}  // namespace

TEST_CASE("spawned threads keep their own thread pointer across switches", "[machine]") {
  Rig r(Cpu::amd64, kX86Loop, 7, 3);
  std::map<int, uint64_t> seen;
  int calls = 0;
  r.m.set_reg(UC_X86_REG_FS_BASE, 0x1000);
  r.m.on_syscall = [&](Machine& m) {
    Thread& t = m.current();
    if (t.tid == 1 && m.threads().size() == 1)
      for (int i = 2; i <= 4; i++)
        m.spawn([i](Machine& mm, Thread&) { mm.set_reg(UC_X86_REG_FS_BASE, 0x1000 * i); });
    uint64_t fs = m.reg(UC_X86_REG_FS_BASE);
    if (seen.count(t.tid)) CHECK(seen[t.tid] == fs);
    seen[t.tid] = fs;
    if (++calls == 400) m.halt(0);
  };
  REQUIRE(r.m.run() == 0);
  REQUIRE(seen.size() == 4);
  for (auto& [tid, fs] : seen) CHECK(fs == uint64_t(0x1000 * tid));
  CHECK(r.m.switches() > 10);
}

TEST_CASE("riscv64: each thread keeps its own fcsr across switches", "[machine]") {
  // ecall; j .-4
  Rig r(Cpu::riscv64, words({0x00000073, 0xffdff06f}), 7, 3);
  std::map<int, uint64_t> seen;
  int calls = 0;
  auto fcsr_of = [](int tid) { return uint64_t((tid % 5) << 5 | (tid * 3 & 0x1f)); };
  r.m.set_reg(UC_RISCV_REG_FCSR, fcsr_of(1));
  r.m.on_syscall = [&](Machine& m) {
    Thread& t = m.current();
    if (t.tid == 1 && m.threads().size() == 1)
      for (int i = 2; i <= 4; i++)
        m.spawn([&, i](Machine& mm, Thread&) { mm.set_reg(UC_RISCV_REG_FCSR, fcsr_of(i)); });
    seen[t.tid] = m.reg(UC_RISCV_REG_FCSR);
    CHECK(seen[t.tid] == fcsr_of(t.tid));
    if (++calls == 400) m.halt(0);
  };
  REQUIRE(r.m.run() == 0);
  REQUIRE(seen.size() == 4);
  CHECK(r.m.switches() > 10);
}

TEST_CASE("block, wake and the virtual clock", "[machine]") {
  Rig r(Cpu::amd64, kX86Loop);
  std::vector<std::string> log;
  uint64_t deadline = 0;
  r.m.on_syscall = [&](Machine& m) {
    Thread& t = m.current();
    if (t.tid == 1 && log.empty()) {
      m.spawn([](Machine&, Thread&) {});
      log.push_back("1 waits");
      m.block(0x5000, UINT64_MAX, [&](Thread& th) {
        log.push_back(th.wake_reason == Thread::Wake::woken ? "1 woken" : "1 ?");
      });
    } else if (t.tid == 2 && log.size() == 1) {
      log.push_back("2 wakes " + std::to_string(m.wake(0x5000, 5)));
      deadline = m.now_ns() + 5000000000ull;  // 5 s of guest time, no host time
      m.block(0, deadline, [&](Thread& th) {
        log.push_back(th.wake_reason == Thread::Wake::timeout ? "2 timed out" : "2 ?");
        CHECK(m.now_ns() >= deadline);
        m.halt(3);
      });
    } else if (t.tid == 1 && log.size() == 3) {
      log.push_back("1 waits again");
      m.block(0x6000, UINT64_MAX, [](Thread&) {});
    }
  };
  REQUIRE(r.m.run() == 3);
  CHECK(log == std::vector<std::string>{"1 waits", "2 wakes 1", "1 woken", "1 waits again",
                                        "2 timed out"});
  CHECK(r.m.now_ns() >= deadline);
}

TEST_CASE("every thread blocked with no deadline is a deadlock, reported", "[machine]") {
  Rig r(Cpu::amd64, kX86Loop);
  r.m.on_syscall = [&](Machine& m) {
    m.current().wait_what = "futex wait";
    m.block(0x7000, UINT64_MAX, [](Thread&) {});
  };
  try {
    r.m.run();
    FAIL("run returned");
  } catch (const Fatal& f) {
    CHECK(f.what.find("all guest threads are blocked") != std::string::npos);
    CHECK(f.what.find("thread 1: futex wait on 0x7000") != std::string::npos);
  }
}

namespace {
// The order in which two spinning threads reach their system calls.
std::string interleaving(uint64_t seed) {
  // 10 nops, then syscall, then back to the start.
  std::vector<uint8_t> code(10, 0x90);
  code.insert(code.end(), {0x0f, 0x05, 0xeb, 0xf2});
  Rig r(Cpu::amd64, code, seed, 20);
  std::string order;
  r.m.on_syscall = [&](Machine& m) {
    if (m.threads().size() == 1) m.spawn([](Machine&, Thread&) {});
    order += char('0' + m.current().tid);
    if (order.size() == 300) m.halt(0);
  };
  r.m.run();
  return order;
}
}  // namespace

TEST_CASE("same seed, same interleaving; another seed, another", "[machine]") {
  std::string a = interleaving(1), b = interleaving(1), c = interleaving(2);
  CHECK(a == b);
  CHECK(a != c);
  CHECK(a.find('2') != std::string::npos);
}

TEST_CASE("memory: maps, protections, reservations and discard", "[machine]") {
  Machine m(Cpu::amd64, 4096, 1, 100);
  m.set_mmap_area(0x100000, 0x200000);
  uint64_t a = m.map_anywhere(0, 0x3000, kRead | kWrite);
  CHECK(a == 0x200000 - 0x3000);  // top-down
  uint64_t b = m.map_anywhere(0, 0x1000, kProtNone);
  CHECK(b == a - 0x1000);
  CHECK(m.map_anywhere(0x150000, 0x1000, kRead) == 0x150000);  // a free hint is taken
  m.write_u64(a + 8, 42);
  CHECK(m.protect(a, 0x1000, kRead));
  CHECK(m.read_u64(a + 8) == 42);
  CHECK(m.accessible(a, 8, kRead));
  CHECK_FALSE(m.accessible(a, 8, kWrite));
  CHECK(m.accessible(a + 0x1000, 8, kWrite));
  CHECK_FALSE(m.accessible(b, 1, kRead));
  CHECK(m.is_mapped(b, 0x1000));
  m.discard(a, 0x1000);
  CHECK(m.read_u64(a + 8) == 0);
  CHECK(m.prot_of(a) == kRead);
  m.unmap(a + 0x1000, 0x1000);
  CHECK_FALSE(m.is_mapped(a, 0x3000));
  CHECK_FALSE(m.protect(a, 0x3000, kRead));
  auto maps = m.mappings();
  REQUIRE(maps.size() == 4);
  CHECK(maps[1].lo == b);
  CHECK(maps[1].prot == kProtNone);
}

TEST_CASE("x86-64: fxsave64 and fxrstor64 keep the XMM registers (CR4.OSFXSR set)", "[machine]") {
  // fxsave64 [rdi]; pxor xmm0, xmm0; fxrstor64 [rdi]; syscall
  Rig r(Cpu::amd64,
        {0x48, 0x0f, 0xae, 0x07, 0x66, 0x0f, 0xef, 0xc0, 0x48, 0x0f, 0xae, 0x0f, 0x0f, 0x05});
  r.m.set_reg(UC_X86_REG_RDI, kData);
  uint64_t x[2] = {0x1111222233334444, 0x5555666677778888}, y[2] = {};
  uc_reg_write(r.m.uc(), UC_X86_REG_XMM0, x);
  r.m.on_syscall = [](Machine& m) { m.halt(0); };
  REQUIRE(r.m.run() == 0);
  uc_reg_read(r.m.uc(), UC_X86_REG_XMM0, y);
  CHECK(y[0] == x[0]);
  CHECK(y[1] == x[1]);
}

TEST_CASE("riscv64: rdtime reads the virtual clock (Unicorn traps it)", "[machine]") {
  // 1000 nops, rdtime a0, ecall
  std::vector<uint32_t> w(1000, 0x00000013);
  w.push_back(0xc0102573);
  w.push_back(0x00000073);
  std::vector<uint8_t> code(w.size() * 4);
  memcpy(code.data(), w.data(), code.size());
  Rig r(Cpu::riscv64, code);
  uint64_t t = 0, now = 0;
  r.m.on_syscall = [&](Machine& m) {
    t = m.reg(UC_RISCV_REG_A0);
    now = m.now_ns();
    m.halt(0);
  };
  REQUIRE(r.m.run() == 0);
  CHECK(r.os.faults.empty());
  CHECK(t >= 10);  // 1000 instructions at 1 ns each, in 100 ns ticks
  CHECK(t <= now / 100);
}

TEST_CASE("PROT_NONE guard pages cost Unicorn no region and still fault", "[machine]") {
  // 600 one-page stacks, each above a guard page. arm64 is the tight CPU:
  // Unicorn 2.0.1 holds about 1000 regions there, and guards that were
  // regions of their own would make 1200.
  constexpr uint64_t kArena = 0x1000000, kPage = 0x1000, kStacks = 600;
  Rig r(Cpu::arm64, words({0xf9000020}));  // str x0, [x1]
  r.m.map(kArena, 2 * kStacks * kPage, kRead | kWrite);
  r.m.write_u64(kArena + 8, 7);
  for (uint64_t i = 0; i < kStacks; i++)
    REQUIRE(r.m.protect(kArena + 2 * i * kPage, kPage, kProtNone));
  uc_mem_region* rs;
  uint32_t n = 0;
  REQUIRE(uc_mem_regions(r.m.uc(), &rs, &n) == UC_ERR_OK);
  uc_free(rs);
  CHECK(n < kStacks + 10);
  CHECK(r.m.read_u64(kArena + 8) == 7);  // contents survive PROT_NONE, as mprotect keeps them
  uint64_t guard = kArena + 2 * 300 * kPage;
  r.m.set_reg(UC_ARM64_REG_X1, guard + 16);
  REQUIRE(r.m.run() == 1);
  REQUIRE(r.os.faults.size() == 1);
  CHECK(r.os.faults[0].first == OsModel::Fault::protection);
  CHECK(r.os.faults[0].second == guard + 16);
  REQUIRE(r.m.protect(kArena, kPage, kRead | kWrite));
  CHECK(r.m.read_u64(kArena + 8) == 7);
  CHECK(r.m.accessible(kArena + 8, 8, kWrite));
}

TEST_CASE("a jump to address 0 is a fetch fault there on every CPU", "[machine]") {
  // The run loop gives Unicorn 0 as its run-until address (machine.cpp
  // says why): reaching it must still be the fault a nil call is.
  struct Case {
    Cpu cpu;
    std::vector<uint8_t> code;
  } cases[] = {{Cpu::amd64, {0x31, 0xc0, 0xff, 0xe0}},            // xor eax, eax; jmp rax
               {Cpu::arm64, words({0xd2800000, 0xd61f0000})},     // mov x0, #0; br x0
               {Cpu::riscv64, words({0x00000513, 0x00050067})}};  // li a0, 0; jr a0
  for (auto& c : cases) {
    Rig r(c.cpu, c.code);
    REQUIRE(r.m.run() == 1);
    REQUIRE(r.os.faults.size() == 1);
    CHECK(r.os.faults[0].first == OsModel::Fault::unmapped);
    CHECK(r.os.faults[0].second == 0);
    CHECK(r.os.fault_pcs[0] == 0);
  }
}

TEST_CASE("a fault in the middle of a translation block reports its own pc", "[machine]") {
  // Two instructions, then a store to a read-only page or a load from an
  // unmapped one, all in the run's first block: Unicorn 2.0.1 alone says
  // the block's first pc. The instructions before the fault have run.
  constexpr uint64_t kNowhere = 0x50000;
  struct Case {
    Cpu cpu;
    std::vector<uint8_t> code;
    uint64_t at, addr;
    OsModel::Fault kind;
    int done_reg;  // set to 5 by the second instruction
  } cases[] = {
      // nop; mov eax, 5; mov [rcx], eax
      {Cpu::amd64,
       {0x90, 0xb8, 5, 0, 0, 0, 0x89, 0x01},
       kCode + 6,
       kRo,
       OsModel::Fault::protection,
       UC_X86_REG_RAX},
      // nop; mov eax, 5; mov edx, [rsi]
      {Cpu::amd64,
       {0x90, 0xb8, 5, 0, 0, 0, 0x8b, 0x16},
       kCode + 6,
       kNowhere,
       OsModel::Fault::unmapped,
       UC_X86_REG_RAX},
      // nop; movz x0, #5; str x0, [x1]
      {Cpu::arm64, words({0xd503201f, 0xd28000a0, 0xf9000020}), kCode + 8, kRo,
       OsModel::Fault::protection, UC_ARM64_REG_X0},
      // nop; movz x0, #5; ldr x3, [x2]
      {Cpu::arm64, words({0xd503201f, 0xd28000a0, 0xf9400043}), kCode + 8, kNowhere,
       OsModel::Fault::unmapped, UC_ARM64_REG_X0},
      // nop; li a0, 5; sd a0, 0(a1)
      {Cpu::riscv64, words({0x00000013, 0x00500513, 0x00a5b023}), kCode + 8, kRo,
       OsModel::Fault::protection, UC_RISCV_REG_A0},
      // nop; li a0, 5; ld a3, 0(a2)
      {Cpu::riscv64, words({0x00000013, 0x00500513, 0x00063683}), kCode + 8, kNowhere,
       OsModel::Fault::unmapped, UC_RISCV_REG_A0},
  };
  for (auto& c : cases) {
    Rig r(c.cpu, c.code);
    switch (c.cpu) {
      case Cpu::amd64:
        r.m.set_reg(UC_X86_REG_RCX, kRo);
        r.m.set_reg(UC_X86_REG_RSI, kNowhere);
        break;
      case Cpu::arm64:
        r.m.set_reg(UC_ARM64_REG_X1, kRo);
        r.m.set_reg(UC_ARM64_REG_X2, kNowhere);
        break;
      case Cpu::riscv64:
        r.m.set_reg(UC_RISCV_REG_A1, kRo);
        r.m.set_reg(UC_RISCV_REG_A2, kNowhere);
        break;
    }
    REQUIRE(r.m.run() == 1);
    REQUIRE(r.os.faults.size() == 1);
    CHECK(r.os.faults[0].first == c.kind);
    CHECK(r.os.faults[0].second == c.addr);
    CHECK(r.os.fault_pcs[0] == c.at);
    CHECK(r.m.reg(c.done_reg) == 5);
  }
}
