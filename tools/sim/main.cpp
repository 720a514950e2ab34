// gort-sim: runs a gort binary for Linux, FreeBSD or Darwin on an emulated
// CPU with a deterministic OS model (docs/sim/).
//
//   gort-sim [--seed N] [--quantum K] [--ncpu N] [--trace=syscalls] [--slide N] BINARY ARGS...
//
// The exit status and output are the guest's; a guest killed by a signal
// kills the simulator with the same signal. 125: the simulator itself
// failed (an unknown system call, a malformed binary, a deadlock).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "sim.h"

extern char** environ;

namespace {
[[noreturn]] void usage(const char* why) {
  fprintf(stderr,
          "gort-sim: %s\nusage: gort-sim [--seed N] [--quantum K] [--ncpu N] [--trace=syscalls] "
          "[--stats] BINARY ARGS...\n",
          why);
  exit(sim::kFatalStatus);
}

uint64_t number(const char* opt, const char* s) {
  char* end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (errno || *end || !*s) usage((std::string("bad number for ") + opt + ": " + s).c_str());
  return v;
}
}  // namespace

int main(int argc, char** argv) {
  uint64_t seed = 1, quantum = 10000, ncpu = 4, slide = 0;
  bool trace = false, stats = false;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      size_t n = strlen(name);
      if (a.size() > n && a.compare(0, n, name) == 0 && a[n] == '=') return argv[i] + n + 1;
      if (a == name) {
        if (i + 1 >= argc) usage((std::string(name) + " needs a value").c_str());
        return argv[++i];
      }
      return nullptr;
    };
    if (const char* v = value("--seed"))
      seed = number("--seed", v);
    else if (const char* v = value("--quantum"))
      quantum = number("--quantum", v);
    else if (const char* v = value("--ncpu"))
      ncpu = number("--ncpu", v);
    else if (const char* v = value("--slide"))  // Darwin: load the image this far up
      slide = number("--slide", v);
    else if (const char* v = value("--trace")) {
      if (strcmp(v, "syscalls") != 0) usage("--trace takes syscalls");
      trace = true;
    } else if (a == "--stats")
      stats = true;
    else if (a == "--") {
      i++;
      break;
    } else
      usage(("unknown option " + a).c_str());
  }
  if (i >= argc) usage("no binary");
  if (quantum == 0 || ncpu == 0 || ncpu > 64)
    usage("--quantum and --ncpu must be 1 or more (--ncpu at most 64)");
  sim::Program prog;
  prog.path = argv[i];
  prog.slide = slide;
  for (int k = i; k < argc; k++) prog.argv.push_back(argv[k]);
  for (char** e = environ; *e; e++) prog.envp.push_back(*e);
  try {
    auto kind = sim::identify(sim::read_file(prog.path));
    std::unique_ptr<sim::OsModel> os;
    if (kind.os == "linux")
      os = sim::make_linux();
    else if (kind.os == "freebsd")
      os = sim::make_freebsd();
    else if (kind.os == "darwin")
      os = sim::make_darwin();
    else
      sim::fatal("this gort-sim has no " + kind.os + " model");
    uint64_t page = kind.os == "darwin" && kind.cpu == sim::Cpu::arm64 ? 16384 : 4096;
    sim::Machine m(kind.cpu, page, seed, quantum);
    m.ncpu = int(ncpu);
    m.trace_syscalls = trace;
    m.os = os.get();
    os->load(m, prog);
    m.stats = stats;
    return m.run();
  } catch (const sim::Fatal& f) {
    fflush(stdout);
    fprintf(stderr, "gort-sim: %s\n", f.what.c_str());
    return sim::kFatalStatus;
  }
}
