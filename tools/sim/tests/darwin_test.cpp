// gort-sim's Darwin model: the Mach-O parser on images built here byte by
// byte (every dyld_info opcode lld emits, chained fixups, malformed
// streams), the layouts of os_darwin_abi.h against the headers' offsets,
// and the model's SA_RESTART. GORT_SIM_DARWIN_BINS (a folder holding
// darwin-amd64/ and darwin-arm64/ builds) adds checks on the real
// binaries: every import is a function the model has.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "../macho.h"
#include "../os_darwin.h"
#include "../os_darwin_abi.h"

using namespace sim;

namespace {

// A little-endian byte buffer with the Mach-O records the tests need.
struct Buf {
  std::vector<uint8_t> b;
  void u32(uint32_t v) { put(&v, 4); }
  void u64(uint64_t v) { put(&v, 8); }
  void name16(const char* s) {
    char n[16] = {};
    memcpy(n, s, std::min<size_t>(strlen(s), 16));
    put(n, 16);
  }
  void put(const void* p, size_t n) {
    auto* c = static_cast<const uint8_t*>(p);
    b.insert(b.end(), c, c + n);
  }
  void at(size_t off, uint64_t v) { memcpy(&b[off], &v, 8); }
};

struct Seg {
  const char* name;
  uint64_t vmaddr, vmsize, fileoff, filesize;
  uint32_t prot;
};

// An x86_64 executable: __PAGEZERO, __TEXT (file 0..0x1000), __DATA
// (file 0x1000..0x2000 at 0x100001000), __LINKEDIT (file 0x2000..)
// holding the given fixup streams; LC_MAIN at entryoff 0x800.
std::vector<uint8_t> image(const std::vector<uint8_t>& rebase, const std::vector<uint8_t>& bind,
                           const std::vector<uint8_t>& lazy, uint32_t chain_cmd = 0,
                           const std::vector<uint8_t>& chain = {}) {
  std::vector<Seg> segs = {{"__PAGEZERO", 0, 0x100000000, 0, 0, 0},
                           {"__TEXT", 0x100000000, 0x1000, 0, 0x1000, 5},
                           {"__DATA", 0x100001000, 0x1000, 0x1000, 0x1000, 3},
                           {"__LINKEDIT", 0x100002000, 0x1000, 0x2000, 0x1000, 1}};
  Buf c;  // load commands
  for (auto& s : segs) {
    c.u32(macho::kLcSegment64), c.u32(72), c.name16(s.name);
    c.u64(s.vmaddr), c.u64(s.vmsize), c.u64(s.fileoff), c.u64(s.filesize);
    c.u32(s.prot), c.u32(s.prot), c.u32(0), c.u32(0);
  }
  uint32_t ncmds = 7;
  uint64_t le = 0x2000;
  if (chain_cmd) {
    c.u32(macho::kLcChainedFixups), c.u32(16), c.u32(uint32_t(le)), c.u32(uint32_t(chain.size()));
  } else {
    c.u32(macho::kLcDyldInfoOnly), c.u32(48);
    uint32_t off = uint32_t(le);
    c.u32(off), c.u32(uint32_t(rebase.size()));
    c.u32(off + 0x100), c.u32(uint32_t(bind.size()));
    c.u32(0), c.u32(0);
    c.u32(off + 0x200), c.u32(uint32_t(lazy.size()));
    c.u32(0), c.u32(0);
  }
  c.u32(macho::kLcMain), c.u32(24), c.u64(0x800), c.u64(0);
  const char lib[] = "/usr/lib/libSystem.B.dylib";
  c.u32(macho::kLcLoadDylib), c.u32(24 + 32), c.u32(24), c.u32(0), c.u32(0), c.u32(0);
  c.put(lib, sizeof lib), c.put("\0\0\0\0\0", 32 - sizeof lib);
  Buf f;
  f.u32(macho::kMagic64), f.u32(macho::kCpuX86_64), f.u32(3), f.u32(macho::kMhExecute);
  f.u32(ncmds), f.u32(uint32_t(c.b.size())), f.u32(0x200085), f.u32(0);
  f.put(c.b.data(), c.b.size());
  f.b.resize(0x3000);
  f.at(0x1000, 0x100000800);  // __DATA's first word: a pointer into __TEXT
  f.at(0x1010, 0x100001008);
  if (chain_cmd) {
    memcpy(&f.b[le], chain.data(), chain.size());
  } else {
    memcpy(&f.b[le], rebase.data(), rebase.size());
    memcpy(&f.b[le + 0x100], bind.data(), bind.size());
    memcpy(&f.b[le + 0x200], lazy.data(), lazy.size());
  }
  return f.b;
}

std::vector<uint8_t> bytes(std::initializer_list<int> l) {
  std::vector<uint8_t> v;
  for (int x : l) v.push_back(uint8_t(x));
  return v;
}
void str(std::vector<uint8_t>& v, const char* s) { v.insert(v.end(), s, s + strlen(s) + 1); }

}  // namespace

TEST_CASE("Mach-O: segments, LC_MAIN and __PAGEZERO") {
  auto im = macho::parse(image(bytes({0x00}), bytes({0x00}), {}));
  REQUIRE(im.cpu == Cpu::amd64);
  REQUIRE(im.segments.size() == 4);
  REQUIRE(im.entry == 0x100000800);
  REQUIRE(im.header == 0x100000000);
  REQUIRE(im.lo == 0x100000000);  // __PAGEZERO is reserved, not mapped
  REQUIRE(im.hi == 0x100003000);
  REQUIRE(im.dylibs == std::vector<std::string>{"/usr/lib/libSystem.B.dylib"});
}

TEST_CASE("Mach-O: every rebase opcode lld emits") {
  // SET_TYPE_IMM(pointer); SET_SEGMENT_AND_OFFSET_ULEB(2, 0); DO_REBASE_IMM_TIMES(1)
  // ADD_ADDR_IMM_SCALED(1): +8; DO_REBASE_ULEB_TIMES(1); DO_REBASE_ADD_ADDR_ULEB(8)
  // DO_REBASE_ULEB_TIMES_SKIPPING_ULEB(2, 8); ADD_ADDR_ULEB(16); DONE
  auto r = bytes({0x11, 0x22, 0x00, 0x51, 0x41, 0x60, 0x01, 0x70, 0x08, 0x80, 0x02, 0x08, 0x30,
                  0x10, 0x51, 0x00});
  auto im = macho::parse(image(r, bytes({0x00}), {}));
  std::vector<uint64_t> got;
  for (auto& x : im.rebases) got.push_back(x.addr - 0x100001000);
  // 0; +8 skip -> 0x10; 0x18 then +8+8 -> 0x28; 0x28, 0x38 (skip 8); +16 -> 0x58
  REQUIRE(got == std::vector<uint64_t>{0x0, 0x10, 0x18, 0x28, 0x38, 0x58});
  REQUIRE(im.rebases[0].target == 0x100000800);  // the pointer's unslid value
  REQUIRE(im.rebases[1].target == 0x100001008);
}

TEST_CASE("Mach-O: bind and lazy-bind streams") {
  // bind: ORDINAL_IMM(1); SYMBOL(_a); TYPE(pointer); SEGMENT_AND_OFFSET(2, 0x20);
  // ADDEND_SLEB(-8); DO_BIND; DO_BIND_ADD_ADDR_IMM_SCALED(1); DO_BIND_ULEB_TIMES_SKIPPING(2,0)
  // SPECIAL_IMM(-2, flat); SYMBOL(_b, weak import); DO_BIND_ADD_ADDR_ULEB(0); DONE
  auto b = bytes({0x11, 0x40});
  str(b, "_a");
  for (int x : {0x51, 0x72, 0x20, 0x60, 0x78, 0x90, 0xb1, 0xc0, 0x02, 0x00, 0x3e, 0x41})
    b.push_back(uint8_t(x));
  str(b, "_b");
  for (int x : {0xa0, 0x00, 0x00}) b.push_back(uint8_t(x));
  // lazy: two entries, each ending in DONE (a separator in this stream)
  auto l = bytes({0x72, 0x00, 0x11, 0x40});
  str(l, "_write");
  for (int x : {0x90, 0x00, 0x72, 0x08, 0x11, 0x40}) l.push_back(uint8_t(x));
  str(l, "_exit");
  for (int x : {0x90, 0x00}) l.push_back(uint8_t(x));
  auto im = macho::parse(image(bytes({0x00}), b, l));
  REQUIRE(im.binds.size() == 7);
  REQUIRE(im.binds[0].symbol == "_a");
  REQUIRE(im.binds[0].addr == 0x100001020);
  REQUIRE(im.binds[0].addend == -8);
  REQUIRE(im.binds[1].addr == 0x100001028);
  REQUIRE(im.binds[2].addr == 0x100001038);  // +8 scaled +8
  REQUIRE(im.binds[3].addr == 0x100001040);
  REQUIRE(im.binds[4].symbol == "_b");
  REQUIRE(im.binds[4].ordinal == -2);
  REQUIRE(im.binds[4].weak_import);
  REQUIRE(im.binds[5].symbol == "_write");
  REQUIRE(im.binds[5].lazy);
  REQUIRE(im.binds[5].addr == 0x100001000);
  REQUIRE(im.binds[6].symbol == "_exit");
  REQUIRE(im.binds[6].addr == 0x100001008);
}

TEST_CASE("Mach-O: malformed streams are fatal") {
  auto bad = [](std::vector<uint8_t> r, std::vector<uint8_t> b) {
    try {
      macho::parse(image(r, b, {}));
    } catch (const Fatal& f) {
      return f.what;
    }
    return std::string();
  };
  REQUIRE(bad(bytes({0xe0, 0x00}), bytes({0x00})).find("unknown rebase opcode") !=
          std::string::npos);
  REQUIRE(bad(bytes({0x51, 0x00}), bytes({0x00})).find("before REBASE_OPCODE_SET_SEGMENT") !=
          std::string::npos);
  REQUIRE(bad(bytes({0x22, 0x80, 0x80, 0x04, 0x51, 0x00}), bytes({0x00})).find("outside segment") !=
          std::string::npos);
  REQUIRE(bad(bytes({0x22, 0x80}), bytes({0x00})).find("ULEB128 past the end") !=
          std::string::npos);
  REQUIRE(bad(bytes({0x00}), bytes({0x11, 0x90, 0x00})).find("before SET_SEGMENT") !=
          std::string::npos);
  REQUIRE(bad(bytes({0x00}), bytes({0xd0, 0x00})).find("THREADED") != std::string::npos);
  REQUIRE(bad(bytes({0x00}), bytes({0x72, 0x00, 0x11})).find("without BIND_OPCODE_DONE") !=
          std::string::npos);
}

TEST_CASE("Mach-O: LC_DYLD_CHAINED_FIXUPS, DYLD_CHAINED_PTR_64") {
  // header (28) | starts_in_image at 32: seg_count 4, offsets {0,0,20,0} |
  // starts_in_segment at 52: size, page_size 0x1000, format 2, segment_offset 0x1000,
  // max_valid 0, page_count 1, page_start 0 | imports at 80 | symbols at 88
  Buf c;
  c.u32(0), c.u32(32), c.u32(80), c.u32(88), c.u32(2), c.u32(1), c.u32(0), c.u32(0);
  c.u32(4), c.u32(0), c.u32(0), c.u32(20), c.u32(0);
  c.u32(24), c.u32(0x1000 | (2u << 16)), c.u64(0x1000), c.u32(0), c.u32(1 | (0u << 16));
  c.b.resize(80);
  c.u32(1 | (1u << 9)), c.u32(1 | (7u << 9));  // lib 1, names at 1 and 7
  c.put("\0_open\0_read\0", 13);
  auto f = image({}, {}, {}, 1, c.b);
  // The chain in __DATA: a rebase at 0 (target 0x100000800, next 2 -> +8),
  // a bind of import 1 with addend 3 at 8 (next 0: end).
  uint64_t r = 0x100000800ull | (2ull << 51), bd = (1ull << 63) | (3ull << 24) | 1;
  memcpy(&f[0x1000], &r, 8);
  memcpy(&f[0x1008], &bd, 8);
  auto im = macho::parse(f);
  REQUIRE(im.chained);
  REQUIRE(im.rebases.size() == 1);
  REQUIRE(im.rebases[0].addr == 0x100001000);
  REQUIRE(im.rebases[0].target == 0x100000800);
  REQUIRE(im.binds.size() == 1);
  REQUIRE(im.binds[0].symbol == "_read");
  REQUIRE(im.binds[0].addend == 3);
  REQUIRE(im.binds[0].addr == 0x100001008);
}

TEST_CASE("Darwin layouts: the signal frame as xnu's sendsig writes it") {
  using namespace sim::darwin;
  // x86_64: uctx, then siginfo, then mcontext, downwards from sp - 128.
  REQUIRE(sizeof(Ucontext) == 56);
  REQUIRE(sizeof(Siginfo) == 104);
  REQUIRE(sizeof(X86Mcontext64) == 712);
  REQUIRE(offsetof(X86Mcontext64, ss) + offsetof(X86ThreadState64, rip) == 16 + 16 * 8);
  REQUIRE(offsetof(X86Mcontext64, ss) + offsetof(X86ThreadState64, rsp) == 16 + 7 * 8);
  // arm64: struct user_sigframe64 { sinfo; uctx; mctx } from the new sp.
  REQUIRE(offsetof(ArmSigframe64, uctx) == 104);
  REQUIRE(offsetof(ArmSigframe64, mctx) == 160);
  REQUIRE(offsetof(ArmMcontext64, ss) + offsetof(ArmThreadState64, pc) == 16 + 32 * 8);
  REQUIRE(offsetof(ArmMcontext64, ss) + offsetof(ArmThreadState64, sp) == 16 + 31 * 8);
  REQUIRE(offsetof(ArmMcontext64, ns) == 288);
  REQUIRE(offsetof(Ucontext, mcontext) == 48);
  REQUIRE(offsetof(Siginfo, addr) == 24);
}

TEST_CASE("Darwin binaries: every import is a function the model has") {
  const char* dir = getenv("GORT_SIM_DARWIN_BINS");
  if (!dir) return;  // only when pointed at a build of the darwin ports
  // The model's libSystem (os_darwin_calls.cpp, _pthread.cpp, _signal.cpp).
  const std::vector<std::string> have = {"___error",
                                         "___ulock_wait",
                                         "___ulock_wake",
                                         "__tlv_atexit",
                                         "__tlv_bootstrap",
                                         "_arc4random_buf",
                                         "_clock_gettime",
                                         "_close",
                                         "_exit",
                                         "_fcntl",
                                         "_getpagesize",
                                         "_issetugid",
                                         "_madvise",
                                         "_mmap",
                                         "_mprotect",
                                         "_munmap",
                                         "_open",
                                         "_pipe",
                                         "_pthread_attr_init",
                                         "_pthread_attr_setdetachstate",
                                         "_pthread_attr_setstack",
                                         "_pthread_create",
                                         "_pthread_exit",
                                         "_pthread_getspecific",
                                         "_pthread_key_create",
                                         "_pthread_kill",
                                         "_pthread_self",
                                         "_pthread_setspecific",
                                         "_pthread_sigmask",
                                         "_read",
                                         "_sigaction",
                                         "_sigaltstack",
                                         "_sysctlbyname",
                                         "_write",
                                         "dyld_stub_binder"};
  for (const char* port : {"darwin-amd64", "darwin-arm64"}) {
    std::string p = std::string(dir) + "/" + port + "/examples/hello/hello";
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in.good());
    std::vector<uint8_t> f((std::istreambuf_iterator<char>(in)), {});
    auto im = macho::parse(f);
    REQUIRE(im.entry > im.lo);
    REQUIRE(im.segment_named("__TEXT"));
    REQUIRE(!im.binds.empty());
    for (auto& b : im.binds) {
      INFO(port << " imports " << b.symbol);
      REQUIRE(std::find(have.begin(), have.end(), b.symbol) != have.end());
    }
  }
}

namespace {

// The Darwin model on a machine, with the byte-built x86_64 image loaded:
// the tests call libSystem as the guest would, or run guest threads whose
// pc is at one of the model's entries, among them test entries of their own.
struct DarwinRig {
  Machine m{Cpu::amd64, 4096, 7, 1000};
  darwin::Darwin d;
  uint64_t data = 0;
  DarwinRig() {
    m.os = &d;
    char path[] = "/tmp/gortsim-darwin-XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    auto f = image(bytes({0x00}), bytes({0x00}), {});
    REQUIRE(write(fd, f.data(), f.size()) == ssize_t(f.size()));
    close(fd);
    d.load(m, Program{path, {"prog"}, {}});
    unlink(path);
    data = m.map_anywhere(0, 0x10000, kRead | kWrite);
    REQUIRE(data);
  }
  // Sets up a call of fn(args) returning to back, as a call instruction would.
  void call(const std::string& fn, std::vector<uint64_t> args, uint64_t back) {
    static const int regs[] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX, UC_X86_REG_RCX};
    for (size_t i = 0; i < args.size(); i++) m.set_reg(regs[i], args[i]);
    m.set_sp(m.sp() - 8);
    m.write_u64(m.sp(), back);
    m.set_pc(d.stub(fn));
  }
  // A call served at once, as the breakpoint at the entry makes the machine do.
  uint64_t now(const std::string& fn, std::vector<uint64_t> args) {
    call(fn, args, 0x100000800);
    d.fault(m, OsModel::Fault::breakpoint, 0);
    REQUIRE(m.pc() == 0x100000800);
    return m.reg(UC_X86_REG_RAX);
  }
};

}  // namespace

// xnu (bsd/kern/kern_sig.c, the syscall return path): a call a handled
// signal interrupts returns ERESTART inside the kernel, which re-executes it
// after the handler when the handler's sigaction has SA_RESTART, and fails
// it with EINTR otherwise. Here: main blocks reading an empty pipe; another
// thread sends it SIGUSR1, then writes a byte.
TEST_CASE("Darwin: a read a handled signal interrupts restarts with SA_RESTART, else EINTR") {
  using namespace sim::darwin;
  for (bool restart : {true, false}) {
    INFO((restart ? "SA_RESTART" : "no SA_RESTART"));
    DarwinRig r;
    Machine& m = r.m;
    REQUIRE(r.now("_pipe", {r.data}) == 0);
    uint32_t rfd = m.read_u32(r.data), wfd = m.read_u32(r.data + 4);
    int handled = 0;
    int64_t result = 0;
    uint32_t err = 0;
    uint64_t handler = r.d.add_stub("test handler", nullptr, [&](Darwin& d) {
      handled++;
      d.ret(0);  // to the model's _sigtramp, which calls sigreturn
    });
    r.d.add_stub("test after read", nullptr, [&](Darwin& d) {
      result = int64_t(m.reg(UC_X86_REG_RAX));
      err = m.read_u32(d.cur().errno_addr);
      m.halt(0);
    });
    r.d.add_stub("test exit", nullptr, [&](Darwin&) { m.exit_thread(); });
    r.d.add_stub("test kicker", nullptr, [&](Darwin& d) {
      Thread& reader = *m.thread(1);
      if (reader.state != ThreadState::blocked) return m.yield_now();  // here again later
      m.post_signal(reader, PendingSig{kSIGUSR1, 0, 0, m.current().tid});
      m.write(r.data + 0x100, "x", 1);
      r.call("_write", {wfd, r.data + 0x100, 1}, d.stub("test exit"));
    });
    Sigaction sa{handler, 0, int32_t(kSA_SIGINFO | (restart ? kSA_RESTART : 0))};
    m.write(r.data + 0x40, &sa, sizeof sa);
    REQUIRE(r.now("_sigaction", {uint64_t(kSIGUSR1), r.data + 0x40, 0}) == 0);

    r.call("_read", {rfd, r.data + 0x200, 1}, r.d.stub("test after read"));
    m.spawn([&](Machine& mm, Thread&) {
      mm.set_sp(r.data + 0x8000);
      mm.set_pc(r.d.stub("test kicker"));
    });
    REQUIRE(m.run() == 0);
    CHECK(handled == 1);
    if (restart) {
      CHECK(result == 1);
      CHECK(m.read_u32(r.data + 0x200) % 256 == 'x');
    } else {
      CHECK(result == -1);
      CHECK(err == uint32_t(kEINTR));
    }
  }
}
