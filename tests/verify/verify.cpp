// tests/verify/verify.cpp — static verification of gort binaries for the ports
// that cannot run here (FreeBSD ELF, Darwin Mach-O). A hosted tool, built for
// the build machine.
//
//   gort-verify --os freebsd|darwin --arch amd64|arm64|riscv64 --entry SYMBOL
//               [--syscalls FILE] [--libsystem TBD] BINARY
//
// Prints one "ok:" or "FAIL:" line per check, then a summary; exits 1 if any
// check failed, 2 on bad usage or an unreadable file.
#include <elf.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "disasm.h"
#include "macho.h"

namespace {

int checks = 0, failures = 0;
void ok(const std::string& m) {
  checks++;
  std::printf("ok: %s\n", m.c_str());
}
void fail(const std::string& m) {
  checks++;
  failures++;
  std::printf("FAIL: %s\n", m.c_str());
}
void check(bool c, const std::string& m) { c ? ok(m) : fail(m); }

template <typename T>
bool read_at(const std::vector<uint8_t>& f, uint64_t off, T* out) {
  if (off > f.size() || f.size() - off < sizeof(T)) return false;
  std::memcpy(out, f.data() + off, sizeof(T));
  return true;
}

std::string cstr_at(const std::vector<uint8_t>& f, uint64_t off) {
  std::string s;
  while (off < f.size() && f[off]) s += char(f[off++]);
  return s;
}

// "<number> <name>" lines; '#' starts a comment.
std::map<long, std::string> load_syscalls(const std::string& path) {
  std::map<long, std::string> m;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.find(' ');
    m[std::stol(line.substr(0, sp))] = line.substr(sp + 1);
  }
  return m;
}

// The symbols listed in a .tbd text stub's "symbols: [ ... ]" lists.
std::set<std::string> load_tbd(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::set<std::string> syms;
  size_t pos = 0;
  while ((pos = text.find("symbols:", pos)) != std::string::npos) {
    size_t open = text.find('[', pos), close = text.find(']', open);
    std::string list = text.substr(open + 1, close - open - 1);
    std::string cur;
    for (char c : list + ",") {
      if (c == ',') {
        if (!cur.empty()) syms.insert(cur);
        cur.clear();
      } else if (c != ' ' && c != '\n' && c != '\'' && c != '"') {
        cur += c;
      }
    }
    pos = close;
  }
  return syms;
}

void check_sites(const std::vector<SyscallSite>& sites, const std::map<long, std::string>& table,
                 const std::string& os) {
  check(!sites.empty(), "found " + std::to_string(sites.size()) + " syscall instruction(s)");
  std::map<long, int> used;
  bool all = true;
  for (const auto& s : sites) {
    char where[32];
    std::snprintf(where, sizeof where, "0x%llx", (unsigned long long)s.addr);
    if (s.number < 0) {
      fail(std::string("syscall at ") + where +
           " is not preceded by a load of an immediate number");
      all = false;
    } else if (!table.count(s.number)) {
      fail("syscall number " + std::to_string(s.number) + " at " + where + " is not a " + os +
           " syscall");
      all = false;
    } else {
      used[s.number]++;
    }
  }
  std::string names;
  for (auto& [n, c] : used) names += " " + table.at(n) + "(" + std::to_string(n) + ")";
  if (all) ok("every syscall site loads a valid " + os + " number:" + names);
}

int verify_elf(const std::vector<uint8_t>& f, const std::string& arch, const std::string& entry,
               const std::string& syscalls_path) {
  Elf64_Ehdr eh;
  if (!read_at(f, 0, &eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
      eh.e_ident[EI_CLASS] != ELFCLASS64) {
    fail("not a 64-bit ELF file");
    return 1;
  }
  ok("64-bit ELF");
  std::map<std::string, int> machine = {
      {"amd64", EM_X86_64}, {"arm64", EM_AARCH64}, {"riscv64", EM_RISCV}};
  check(eh.e_machine == machine[arch], "e_machine is " + arch);
  check(eh.e_type == ET_EXEC, "a static executable (ET_EXEC)");
  check(eh.e_ident[EI_OSABI] == ELFOSABI_FREEBSD, "EI_OSABI is FreeBSD (9)");

  bool interp = false;
  for (int i = 0; i < eh.e_phnum; i++) {
    Elf64_Phdr ph;
    read_at(f, eh.e_phoff + uint64_t(i) * eh.e_phentsize, &ph);
    if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC) interp = true;
  }
  check(!interp, "no program interpreter or dynamic section (static, no libc)");

  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  for (int i = 0; i < eh.e_shnum; i++)
    read_at(f, eh.e_shoff + uint64_t(i) * eh.e_shentsize, &sh[i]);

  bool brand = false;
  for (const auto& s : sh) {
    if (s.sh_type != SHT_NOTE) continue;
    for (uint64_t off = s.sh_offset; off + sizeof(Elf64_Nhdr) <= s.sh_offset + s.sh_size;) {
      Elf64_Nhdr nh;
      read_at(f, off, &nh);
      std::string name = cstr_at(f, off + sizeof nh);
      uint32_t desc = 0;
      read_at(f, off + sizeof nh + ((nh.n_namesz + 3) & ~3u), &desc);
      if (name == "FreeBSD" && nh.n_type == 1 && nh.n_descsz == 4) {
        brand = true;
        ok("FreeBSD ABI note (NT_FREEBSD_ABI_TAG), version " + std::to_string(desc));
      }
      off += sizeof nh + ((nh.n_namesz + 3) & ~3u) + ((nh.n_descsz + 3) & ~3u);
    }
  }
  if (!brand) fail("no FreeBSD ABI note: the kernel would not recognise the binary");

  bool entry_found = false, undefined = false;
  for (const auto& s : sh) {
    if (s.sh_type != SHT_SYMTAB) continue;
    const auto& strtab = sh[s.sh_link];
    for (uint64_t off = s.sh_offset; off + sizeof(Elf64_Sym) <= s.sh_offset + s.sh_size;
         off += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      read_at(f, off, &sym);
      std::string name = cstr_at(f, strtab.sh_offset + sym.st_name);
      if (name == entry) entry_found = sym.st_value == eh.e_entry;
      if (sym.st_shndx == SHN_UNDEF && !name.empty() && ELF64_ST_BIND(sym.st_info) == STB_GLOBAL) {
        fail("undefined symbol " + name + " (FreeBSD provides no library to a static binary)");
        undefined = true;
      }
    }
  }
  check(entry_found, "the entry point is gort's " + entry);
  if (!undefined) ok("no undefined symbols");

  std::vector<SyscallSite> sites;
  for (const auto& s : sh) {
    if (s.sh_type != SHT_PROGBITS || !(s.sh_flags & SHF_EXECINSTR)) continue;
    auto found = find_syscalls(arch, f.data() + s.sh_offset, s.sh_size, s.sh_addr);
    sites.insert(sites.end(), found.begin(), found.end());
  }
  check_sites(sites, load_syscalls(syscalls_path), "freebsd");
  return 0;
}

int verify_macho(const std::vector<uint8_t>& f, const std::string& arch, const std::string& entry,
                 const std::string& tbd_path) {
  MachHeader64 mh;
  if (!read_at(f, 0, &mh) || mh.magic != kMH_MAGIC_64) {
    fail("not a 64-bit Mach-O file");
    return 1;
  }
  ok("64-bit Mach-O");
  uint32_t want_cpu = arch == "amd64" ? kCPU_TYPE_X86_64 : kCPU_TYPE_ARM64;
  check(mh.cputype == want_cpu, "cputype is " + arch);
  check(mh.filetype == kMH_EXECUTE, "an executable (MH_EXECUTE)");

  uint64_t entryoff = 0, text_vmaddr = 0, text_fileoff = 0;
  bool has_main = false, has_sig = false, has_text = false;
  std::vector<std::string> dylibs;
  SymtabCommand st{};
  Section64 text_sect{};
  uint64_t off = sizeof mh;
  for (uint32_t i = 0; i < mh.ncmds; i++) {
    LoadCommand lc;
    if (!read_at(f, off, &lc) || lc.cmdsize < sizeof lc) break;
    if (lc.cmd == kLC_MAIN) {
      EntryPointCommand ep;
      read_at(f, off, &ep);
      has_main = true;
      entryoff = ep.entryoff;
    } else if (lc.cmd == kLC_LOAD_DYLIB) {
      DylibCommand dc;
      read_at(f, off, &dc);
      dylibs.push_back(cstr_at(f, off + dc.name_offset));
    } else if (lc.cmd == kLC_CODE_SIGNATURE) {
      has_sig = true;
    } else if (lc.cmd == kLC_SYMTAB) {
      read_at(f, off, &st);
    } else if (lc.cmd == kLC_SEGMENT_64) {
      SegmentCommand64 seg;
      read_at(f, off, &seg);
      if (std::strncmp(seg.segname, "__TEXT", 16) == 0) {
        text_vmaddr = seg.vmaddr;
        text_fileoff = seg.fileoff;
        for (uint32_t k = 0; k < seg.nsects; k++) {
          Section64 sec;
          read_at(f, off + sizeof seg + k * sizeof sec, &sec);
          if (std::strncmp(sec.sectname, "__text", 16) == 0) {
            text_sect = sec;
            has_text = true;
          }
        }
      }
    }
    off += lc.cmdsize;
  }
  check(has_main, "LC_MAIN names the entry point (dyld calls it after initialisers)");
  check(dylibs.size() == 1 && dylibs[0] == "/usr/lib/libSystem.B.dylib",
        "the only LC_LOAD_DYLIB is /usr/lib/libSystem.B.dylib");
  if (arch == "arm64")
    check(has_sig, "LC_CODE_SIGNATURE present (arm64 macOS runs only signed code)");
  else
    ok(std::string("LC_CODE_SIGNATURE ") + (has_sig ? "present" : "absent (optional on x86_64)"));

  auto syms = load_tbd(tbd_path);
  bool entry_ok = false, undefined_ok = true;
  for (uint32_t i = 0; i < st.nsyms; i++) {
    Nlist64 n;
    read_at(f, st.symoff + uint64_t(i) * sizeof n, &n);
    std::string name = cstr_at(f, st.stroff + n.n_strx);
    if (name == "_" + entry && (n.n_type & kN_TYPE) == kN_SECT)
      entry_ok = n.n_value == text_vmaddr + entryoff - text_fileoff;
    if ((n.n_type & kN_TYPE) == kN_UNDF && (n.n_type & kN_EXT) && !syms.count(name)) {
      fail("undefined symbol " + name + " is not in libSystem.tbd");
      undefined_ok = false;
    }
  }
  check(entry_ok, "LC_MAIN's entry offset is gort's " + entry);
  if (undefined_ok) ok("every undefined symbol is one libSystem.tbd lists");

  if (has_text) {
    auto sites = find_syscalls(arch, f.data() + text_sect.offset, text_sect.size, text_sect.addr);
    check(sites.empty(),
          "no raw syscall instructions (Darwin's syscall ABI is private to libSystem)");
  } else {
    fail("no __TEXT,__text section");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string os, arch, entry, syscalls, tbd, path;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--os")
      os = next();
    else if (a == "--arch")
      arch = next();
    else if (a == "--entry")
      entry = next();
    else if (a == "--syscalls")
      syscalls = next();
    else if (a == "--libsystem")
      tbd = next();
    else
      path = a;
  }
  if (path.empty() || entry.empty() || (os != "freebsd" && os != "darwin") ||
      (arch != "amd64" && arch != "arm64" && arch != "riscv64") ||
      (os == "freebsd" && syscalls.empty()) || (os == "darwin" && tbd.empty())) {
    std::fprintf(stderr,
                 "usage: gort-verify --os freebsd|darwin --arch ARCH --entry SYM "
                 "[--syscalls FILE] [--libsystem TBD] BINARY\n");
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "gort-verify: cannot open %s\n", path.c_str());
    return 2;
  }
  std::vector<uint8_t> f((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::printf("verify %s (%s/%s)\n", path.c_str(), os.c_str(), arch.c_str());
  if (os == "freebsd")
    verify_elf(f, arch, entry, syscalls);
  else
    verify_macho(f, arch, entry, tbd);
  std::printf("verify: %d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
