// runtime/proc.cpp — the boot: from the port's rt0 to the user's main.
//
// The stages run in the order of Go's bootstrap (docs/ARCHITECTURE.md). Each is
// timed; with GORTDEBUG=inittrace=1 each prints
//   init <stage> @<start> ns, <duration> ns clock
// to stderr, start measured from rt0. Stages before "debugenv" are buffered
// until GORTDEBUG has been read.
#include "gort/gort.h"
#include "malloc.h"
#include "mgc.h"
#include "runtime.h"
#include "runtime2.h"

// The user's main, named through the assembler so C++'s rule against naming
// main does not apply; the label prefix is "_" on Mach-O, "" on ELF.
#define GORT_STR2(x) #x
#define GORT_STR(x) GORT_STR2(x)
extern "C" int gort_user_main(int, char**, char**) __asm__(GORT_STR(__USER_LABEL_PREFIX__) "main");

namespace gort {

Boot boot;
M m0;

namespace {

struct StageRec {
  const char* name;
  int64_t start, dur;
};
StageRec pending[16];
int npending = 0;
bool trace_known = false;

void emit(const StageRec& s) {
  eprint("init ", s.name, " @", s.start, " ns, ", s.dur, " ns clock\n");
}

template <typename F>
void stage(const char* name, F work) {
  int64_t t0 = os_nanotime();
  work();
  StageRec r{name, t0 - boot.start_ns, os_nanotime() - t0};
  if (!trace_known) {
    if (npending < int(sizeof pending / sizeof pending[0])) pending[npending++] = r;
  } else if (boot.debug.inittrace) {
    emit(r);
  }
}

void debug_warn(void*, Str item, const char* why) {
  Printer p(2);
  print_arg(p, "gort: GORTDEBUG: ignoring \"");
  p.bytes(item.p, item.n);
  print_arg(p, "\": ");
  print_arg(p, why);
  print_arg(p, "\n");
}

// Go's checkfds: a program started with fd 0, 1 or 2 closed would otherwise
// later write its output into whatever file it opens next.
void checkfds() {
  for (int fd = 0; fd <= 2; fd++) {
    if (os_fd_valid(fd)) continue;
    int r = os_open("/dev/null", true);
    if (r != fd) fatal("cannot open standard fds");
  }
}

using InitFn = void (*)(int, char**, char**);

#if !defined(GORT_OS_LOADER_RUNS_INITS)
extern "C" InitFn __preinit_array_start[] __attribute__((weak, visibility("hidden")));
extern "C" InitFn __preinit_array_end[] __attribute__((weak, visibility("hidden")));
extern "C" InitFn __init_array_start[] __attribute__((weak, visibility("hidden")));
extern "C" InitFn __init_array_end[] __attribute__((weak, visibility("hidden")));

void run_array(InitFn* a, InitFn* e) {
  for (; a != e; a++) (*a)(boot.argc, boot.argv, boot.envp);
}
#endif

void runtime_main(void*);

// m0's g0 stack. The OS main thread's stack may be tiny (`ulimit -s 8`), so
// the boot and m0's scheduler run on a stack of their own, as every other
// M's g0 does. The page size is not known yet: the guard below it is 64 KiB,
// whole pages on every OS (kM0Stack, kM0Guard: runtime.h).
// In .bss: no mapping to make at every start, and untouched pages cost
// nothing; only the guard needs a system call.
alignas(kM0Guard) char m0_stack_mem[kM0Guard + kM0Stack];
}  // namespace
uintptr_t m0_stack_region() { return uintptr_t(m0_stack_mem); }
namespace {
int boot_argc;
char** boot_argv;
[[noreturn]] void rt0_go1(void*);
}  // namespace

// Called by rt0_<os>_<arch> on the initial thread's stack; never returns.
extern "C" [[noreturn]] void rt0_go(int argc, char** argv) {
  boot.start_ns = os_nanotime();
  boot_argc = argc;
  boot_argv = argv;
  char* mem = m0_stack_mem;
  if (!os_guard(mem, kM0Guard)) {
    eprint("fatal error: cannot allocate m0's stack\n");  // no TLS yet for fatal's traceback
    os_exit(2);
  }
  m0.g0.stack_lo = uintptr_t(mem) + kM0Guard;
  m0.g0.stack_hi = m0.g0.stack_lo + kM0Stack;
  void* from;
  gort_swapctx(&from, arch_makectx(reinterpret_cast<void*>(m0.g0.stack_hi), rt0_go1, nullptr));
  __builtin_unreachable();
}

namespace {
void rt0_go1(void*) {
  int argc = boot_argc;
  char** argv = boot_argv;

  stage("tls", [] {
    // A TlsBlock without static TLS first, so that fatal can run while m0's
    // real TLS area is made: its TlsBlock and its copy of the program's
    // thread_local data.
    static TlsBlock boot_tls;
    boot_tls = {&boot_tls, &m0.g0, &m0, nullptr};
    os_settls(tls_tp(&boot_tls));
    tlsinit();
    // Without thread_local data the area is the TlsBlock alone: no mapping.
    alignas(64) static char small_area[128];
    void* area = small_area;
    if (tls_area_size() > sizeof small_area &&
        !(area = os_mmap(nullptr, tls_area_size(), kProtRead | kProtWrite)))
      fatal("cannot allocate m0's thread-local storage");
    m0.tls = tls_area_init(area, &m0, &m0.g0);
    m0.tlsmem = area;
    os_settls(tls_tp(m0.tls));
    if (gettls() != m0.tls) fatal("thread-local storage does not work");
  });
  stage("sysargs", [&] {
    boot.argc = argc;
    boot.argv = argv;
    boot.envp = argv + argc + 1;
    os_sysargs(argc, argv, &boot.aux);
  });
  stage("osinit", [] { os_init(boot.aux, &boot.ncpu, &boot.physpagesize); });
  stage("stackinit", [] { initsig(); });  // guard-page faults become overflow reports
  stage("mallocinit", [] { mallocinit(); });
  stage("gcinit", [] {
    gcinit();
#if defined(GORT_OS_LOADER_TLS)
    loader_tls_block(&m0.loader_tls_lo, &m0.loader_tls_hi);
#endif
  });
  stage("cpuflags", [] { arch_cpuinit(boot.aux, &boot.cpu); });
  stage("random", [] {
    uint8_t seed[16];
    const uint8_t* s = boot.aux.random16;
    if (!s) {
      if (os_getrandom(seed, sizeof seed) != sizeof seed) fatal("cannot read random seed");
      s = seed;
    }
    randinit(s);
  });
  stage("m0", [] {
    m0.g0.m = &m0;  // g0's stack: mapped in rt0_go
    m0.id = 0;
    m0.tid = os_thread_self();
    allm_add(&m0);
  });
  stage("args", [] {
    for (int i = 0; i < boot.argc; i++)
      if (!boot.argv[i]) fatal("argv shorter than argc");
  });
  stage("env", [] {
    int n = 0;
    while (boot.envp[n]) n++;
    boot.nenv = n;
  });
  stage("secure", [] {
    checkfds();
    // A set-uid/set-gid program must not let its caller switch on traces.
    if (boot.aux.secure) boot.debug = DebugVars{};
  });
  stage("debugenv", [] {
    if (boot.aux.secure) return;
    if (const char* v = getenv("GORTDEBUG"))
      parse_debugvars(Str(v), &boot.debug, debug_warn, nullptr);
    // A larger page than the OS's, to run the allocator and the stacks as
    // on a 16 or 64 KiB kernel: only the stacks and Ms made from here on
    // use it (m0's guard is 64 KiB already), and the heap's madvise calls.
    if (uint64_t ps = uint64_t(boot.debug.pagesize)) {
      if ((ps & (ps - 1)) || ps < boot.physpagesize)
        debug_warn(nullptr, Str("pagesize"), "not a power of two at least the OS's page size");
      else
        boot.physpagesize = ps;
    }
  });
  trace_known = true;
  if (boot.debug.inittrace)
    for (int i = 0; i < npending; i++) emit(pending[i]);

  stage("procresize", [] {
    int32_t n = boot.ncpu;
    int64_t v;
    if (const char* e = getenv("GOMAXPROCS"); e && parse_int(Str(e), &v) && v > 0)
      n = int32_t(v > kMaxProcs ? kMaxProcs : v);
    procresize(n > kMaxProcs ? kMaxProcs : n);
  });
  stage("newproc", [] { newproc_main(runtime_main, nullptr); });
  mstart0();
}

// The main goroutine (Go's runtime.main): static initialisers, then main.
void runtime_main(void*) {
  if (boot.debug.schedtrace) stage("sysmon", [] { sysmon_start(); });
  stage("gcenable", [] { gcenable(); });
#if !defined(GORT_OS_LOADER_RUNS_INITS)
  stage("inits", [] {
    run_array(__preinit_array_start, __preinit_array_end);
    run_array(__init_array_start, __init_array_end);
  });
#endif
  if (boot.debug.inittrace) eprint("init main @", os_nanotime() - boot.start_ns, " ns\n");
  int status = gort_user_main(boot.argc, boot.argv, boot.envp);
  run_exit_hooks();
  os_exit(status & 0xff);
}
}  // namespace

int nargs() { return boot.argc; }
const char* arg(int i) { return i >= 0 && i < boot.argc ? boot.argv[i] : nullptr; }
int ncpu() { return boot.ncpu; }
int64_t nanotime() { return os_nanotime(); }
uintptr_t pagesize() { return boot.physpagesize; }

const char* getenv(const char* k) {
  Str key(k);
  for (char** e = boot.envp; e && *e; e++) {
    Str kv(*e);
    if (kv.n > key.n && kv.p[key.n] == '=' && Str(kv.p, key.n) == key) return kv.p + key.n + 1;
  }
  return nullptr;
}

}  // namespace gort
