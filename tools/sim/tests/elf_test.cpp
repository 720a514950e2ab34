// The ELF loader and the initial stack: binary identification (FreeBSD
// brand note or EI_OSABI, Linux, Mach-O), refusals, segment protections,
// and the System V initial stack, on synthetic images and on the build's
// own hello (its path in GORT_SIM_HELLO, set by meson).
#include "../elf.h"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>

using namespace sim;

namespace {
// A minimal static ELF64: one PT_LOAD (r-x) with the headers, one PT_LOAD
// (rw-) with 0x10 bytes of data and 0x2000 of bss, optionally a PT_NOTE.
std::vector<uint8_t> make_elf(uint8_t osabi, bool note, uint16_t machine = elf::EM_X86_64) {
  std::vector<uint8_t> f(0x2000, 0);
  elf::Ehdr eh{};
  memcpy(eh.ident,
         "\x7f"
         "ELF",
         4);
  eh.ident[4] = 2;
  eh.ident[5] = 1;
  eh.ident[6] = 1;
  eh.ident[7] = osabi;
  eh.type = 2;
  eh.machine = machine;
  eh.version = 1;
  eh.entry = 0x400100;
  eh.phoff = 64;
  eh.ehsize = 64;
  eh.phentsize = sizeof(elf::Phdr);
  eh.phnum = note ? 3 : 2;
  memcpy(f.data(), &eh, sizeof eh);
  elf::Phdr ph[3] = {};
  ph[0] = {elf::PT_LOAD, elf::PF_R | elf::PF_X, 0, 0x400000, 0x400000, 0x1000, 0x1000, 0x1000};
  ph[1] = {elf::PT_LOAD, elf::PF_R | elf::PF_W, 0x1000, 0x401000, 0x401000, 0x10, 0x2010, 0x1000};
  ph[2] = {elf::PT_NOTE, elf::PF_R, 0x800, 0x400800, 0x400800, 24, 24, 4};
  memcpy(f.data() + 64, ph, sizeof(elf::Phdr) * eh.phnum);
  // The FreeBSD ABI tag: namesz 8, descsz 4, type 1, "FreeBSD\0", version.
  uint32_t hdr[3] = {8, 4, elf::NT_FREEBSD_ABI_TAG}, version = 1400097;
  memcpy(f.data() + 0x800, hdr, 12);
  memcpy(f.data() + 0x80c, "FreeBSD", 8);
  memcpy(f.data() + 0x814, &version, 4);
  memset(f.data() + 0x1000, 0xab, 0x10);
  return f;
}
}  // namespace

TEST_CASE("identify: FreeBSD by brand note or EI_OSABI, else Linux; Mach-O by cputype", "[elf]") {
  CHECK(identify(make_elf(elf::ELFOSABI_NONE, false)).os == "linux");
  CHECK(identify(make_elf(elf::ELFOSABI_LINUX, false)).os == "linux");
  CHECK(identify(make_elf(elf::ELFOSABI_NONE, true)).os == "freebsd");
  CHECK(identify(make_elf(elf::ELFOSABI_FREEBSD, false)).os == "freebsd");
  CHECK(identify(make_elf(0, false, elf::EM_AARCH64)).cpu == Cpu::arm64);
  CHECK(identify(make_elf(0, false, elf::EM_RISCV)).cpu == Cpu::riscv64);
  std::vector<uint8_t> macho = {0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01};
  CHECK(identify(macho).os == "darwin");
  CHECK(identify(macho).cpu == Cpu::arm64);
  CHECK(parse_elf(make_elf(0, true)).freebsd_version == 1400097);
}

TEST_CASE("identify refuses what it cannot run, by name", "[elf]") {
  auto big = make_elf(0, false);
  big[5] = 2;  // EI_DATA: big-endian
  CHECK_THROWS_WITH(identify(big), Catch::Contains("only little-endian"));
  auto e32 = make_elf(0, false);
  e32[4] = 1;
  CHECK_THROWS_WITH(identify(e32), Catch::Contains("not a 64-bit ELF"));
  CHECK_THROWS_WITH(identify(make_elf(0, false, 40)), Catch::Contains("unsupported machine 40"));
  CHECK_THROWS_WITH(identify(make_elf(97, false)), Catch::Contains("EI_OSABI 97"));
  CHECK_THROWS_WITH(identify({'#', '!'}), Catch::Contains("not an ELF"));
}

TEST_CASE("load_elf maps segments with their protections and zeroes bss", "[elf]") {
  Machine m(Cpu::amd64, 4096, 1, 100);
  auto im = load_elf(m, make_elf(0, false));
  CHECK(im.entry == 0x400100);
  CHECK(im.phdr == 0x400040);
  CHECK(im.phnum == 2);
  CHECK(m.prot_of(0x400000) == (kRead | kExec));
  CHECK(m.prot_of(0x401000) == (kRead | kWrite));
  CHECK(m.prot_of(0x403000) == (kRead | kWrite));
  CHECK(im.hi == 0x404000);
  CHECK(m.read_u64(0x401000) == 0xabababababababab);
  CHECK(m.read_u64(0x401010) == 0);
  CHECK(m.read_u64(0x403008) == 0);
}

TEST_CASE("build_stack: argc, argv, envp, auxv and blobs, 16-byte aligned", "[elf]") {
  Machine m(Cpu::arm64, 4096, 1, 100);
  m.map(0x7000000, 0x10000, kRead | kWrite);
  InitialStack s;
  s.argv = {"prog", "two words"};
  s.envp = {"A=1"};
  s.auxv = {{6, 4096}};
  s.blobs = {{25, std::vector<uint8_t>(16, 7)}};
  auto l = build_stack(m, 0x7010000, s);
  CHECK(l.sp % 16 == 0);
  CHECK(m.read_u64(l.sp) == 2);
  CHECK(m.read_cstr(m.read_u64(l.argv + 8)) == "two words");
  CHECK(m.read_u64(l.argv + 16) == 0);
  CHECK(l.envp == l.argv + 24);
  CHECK(m.read_cstr(m.read_u64(l.envp)) == "A=1");
  CHECK(m.read_u64(l.auxv) == 6);
  CHECK(m.read_u64(l.auxv + 8) == 4096);
  CHECK(m.read_u64(l.auxv + 16) == 25);
  uint8_t rnd[16];
  m.read(m.read_u64(l.auxv + 24), rnd, 16);
  CHECK(rnd[15] == 7);
  CHECK(m.read_u64(l.auxv + 32) == 0);  // AT_NULL
}

TEST_CASE("the build's own hello loads as Linux, entry executable", "[elf]") {
  const char* path = getenv("GORT_SIM_HELLO");
  if (!path) {
    WARN("GORT_SIM_HELLO not set: skipped");
    return;
  }
  auto file = read_file(path);
  auto kind = identify(file);
  CHECK(kind.os == "linux");
  Machine m(kind.cpu, 4096, 1, 100);
  auto im = load_elf(m, file);
  CHECK((m.prot_of(im.entry) & kExec) != 0);
  CHECK(m.is_mapped(im.phdr, uint64_t(im.phnum) * im.phent));
  uint32_t first = m.read_u32(im.phdr);
  CHECK((first == elf::PT_PHDR || first == elf::PT_LOAD));
}
