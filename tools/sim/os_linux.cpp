// gort-sim's Linux model: loading a static ELF as execve does, and the
// system calls gort's Linux ports make (os_linux.h lists the sources).
#include "os_linux.h"

#include <cstring>

namespace sim::linux_model {

const char* errno_name(int e) {
  switch (e) {
    case kEPERM: return "EPERM";
    case kENOENT: return "ENOENT";
    case kESRCH: return "ESRCH";
    case kEINTR: return "EINTR";
    case kEIO: return "EIO";
    case kEBADF: return "EBADF";
    case kEAGAIN: return "EAGAIN";
    case kENOMEM: return "ENOMEM";
    case kEACCES: return "EACCES";
    case kEFAULT: return "EFAULT";
    case kEEXIST: return "EEXIST";
    case kEINVAL: return "EINVAL";
    case kEMFILE: return "EMFILE";
    case kENOTTY: return "ENOTTY";
    case kESPIPE: return "ESPIPE";
    case kEPIPE: return "EPIPE";
    case kENOSYS: return "ENOSYS";
    case kETIMEDOUT: return "ETIMEDOUT";
  }
  return "E?";
}

namespace {
// The syscall ABI (syscall(2)): number and argument registers.
int nr_reg(Cpu c) {
  return c == Cpu::amd64   ? int(UC_X86_REG_RAX)
         : c == Cpu::arm64 ? int(UC_ARM64_REG_X8)
                           : int(UC_RISCV_REG_A7);
}
int arg_reg(Cpu c, int i) {
  static const int x86[] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
                            UC_X86_REG_R10, UC_X86_REG_R8,  UC_X86_REG_R9};
  static const int a64[] = {UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X2,
                            UC_ARM64_REG_X3, UC_ARM64_REG_X4, UC_ARM64_REG_X5};
  static const int rv[] = {UC_RISCV_REG_A0, UC_RISCV_REG_A1, UC_RISCV_REG_A2,
                           UC_RISCV_REG_A3, UC_RISCV_REG_A4, UC_RISCV_REG_A5};
  return c == Cpu::amd64 ? x86[i] : c == Cpu::arm64 ? a64[i] : rv[i];
}
}  // namespace

uint64_t arg(Machine& m, int i) { return m.reg(arg_reg(m.cpu(), i)); }
static int result_reg(Cpu c) { return c == Cpu::amd64 ? UC_X86_REG_RAX : arg_reg(c, 0); }
void set_result(Machine& m, int64_t v) { m.set_reg(result_reg(m.cpu()), uint64_t(v)); }
static int64_t result(Machine& m) { return int64_t(m.reg(result_reg(m.cpu()))); }

namespace {

// linux/futex.h
constexpr int kFUTEX_WAIT = 0, kFUTEX_WAKE = 1, kFUTEX_WAIT_BITSET = 9, kFUTEX_WAKE_BITSET = 10,
              kFUTEX_PRIVATE_FLAG = 128, kFUTEX_CLOCK_REALTIME = 256;
// linux/sched.h
constexpr uint64_t kCLONE_VM = 0x100, kCLONE_SIGHAND = 0x800, kCLONE_THREAD = 0x10000,
                   kCLONE_SETTLS = 0x80000, kCLONE_PARENT_SETTID = 0x100000,
                   kCLONE_CHILD_CLEARTID = 0x200000, kCLONE_CHILD_SETTID = 0x1000000;
// asm-generic/mman-common.h
constexpr uint64_t kPROT_READ = 1, kPROT_WRITE = 2, kPROT_EXEC = 4, kMAP_SHARED = 1,
                   kMAP_PRIVATE = 2, kMAP_FIXED = 0x10, kMAP_ANONYMOUS = 0x20,
                   kMAP_FIXED_NOREPLACE = 0x100000;
constexpr int kMADV_DONTNEED = 4, kMADV_FREE = 8;
// linux/time.h
constexpr int kCLOCK_REALTIME = 0, kCLOCK_PROCESS_CPUTIME_ID = 2, kCLOCK_THREAD_CPUTIME_ID = 3,
              kCLOCK_REALTIME_COARSE = 5, kTIMER_ABSTIME = 1;
constexpr uint64_t kPage = 4096;
constexpr uint64_t kInfinity = ~uint64_t(0);
constexpr uint64_t kStackSize = 8 << 20;

unsigned prot_from(uint64_t p) {
  return ((p & kPROT_READ) ? unsigned(kRead) : 0u) | ((p & kPROT_WRITE) ? unsigned(kWrite) : 0u) |
         ((p & kPROT_EXEC) ? unsigned(kExec) : 0u);
}

struct Timespec {
  int64_t sec, nsec;
};

// What a handler needs, and how the trace shows the call.
struct Call {
  Process& p;
  Machine& m;
  uint64_t a[6];
};
using Handler = int64_t (*)(Call&);

int64_t ts_read(Machine& m, uint64_t addr, uint64_t* ns) {
  Timespec ts;
  if (!copy_in(m, addr, &ts, sizeof ts)) return -kEFAULT;
  if (ts.nsec < 0 || ts.nsec >= 1000000000 || ts.sec < 0) return -kEINVAL;
  *ns = uint64_t(ts.sec) * 1000000000ull + uint64_t(ts.nsec);
  return 0;
}

uint64_t clock_of(Machine& m, int clk) {
  if (clk == kCLOCK_REALTIME || clk == kCLOCK_REALTIME_COARSE) return m.wall_ns();
  return m.now_ns();
}

// Sleeps until the virtual clock reaches deadline. A handled signal ends it
// with kEINTR, never restarted (hrtimer_nanosleep's ERESTART_RESTARTBLOCK,
// ERESTARTNOHAND when absolute), and a relative sleep stores the time left
// at rem (if not 0).
void sleep_until(Machine& m, uint64_t deadline, uint64_t rem, std::string what) {
  m.current().wait_what = what;
  m.block(0, deadline, [&m, deadline, rem, what](Thread& t) {
    if (t.wake_reason != Thread::Wake::signal) return set_result(m, 0);
    if (!interrupted(m, t, rem ? Restart::restartblock : Restart::nohand))
      return sleep_until(m, deadline, rem, what);
    uint64_t left = deadline > m.now_ns() ? deadline - m.now_ns() : 0;
    Timespec ts{int64_t(left / 1000000000), int64_t(left % 1000000000)};
    if (rem) copy_out(m, rem, &ts, sizeof ts);
  });
}

// Waits on a futex word. futex_wait's wait is ERESTARTSYS without a timeout
// (restarted under SA_RESTART: the word is checked again) and
// ERESTART_RESTARTBLOCK with one (EINTR when a handler runs).
void futex_block(Machine& m, uint64_t uaddr, uint64_t deadline) {
  m.current().wait_what = "futex wait";
  m.block(uaddr, deadline, [&m, uaddr, deadline](Thread& t) {
    if (t.wake_reason == Thread::Wake::signal &&
        !interrupted(m, t, deadline == UINT64_MAX ? Restart::sys : Restart::restartblock))
      return futex_block(m, uaddr, deadline);
    if (t.wake_reason != Thread::Wake::signal)
      set_result(m, t.wake_reason == Thread::Wake::woken ? 0 : -kETIMEDOUT);
  });
}

int64_t sys_futex(Call& c) {
  uint64_t uaddr = c.a[0];
  int op = int(c.a[1]) & ~(kFUTEX_PRIVATE_FLAG | kFUTEX_CLOCK_REALTIME);
  uint32_t val = uint32_t(c.a[2]);
  if (uaddr % 4) return -kEINVAL;
  if (op == kFUTEX_WAIT || op == kFUTEX_WAIT_BITSET) {
    uint32_t cur;
    if (!copy_in(c.m, uaddr, &cur, 4)) return -kEFAULT;
    if (op == kFUTEX_WAIT_BITSET && uint32_t(c.a[5]) == 0) return -kEINVAL;
    uint64_t deadline = UINT64_MAX;
    if (c.a[3]) {
      uint64_t ns;
      if (int64_t e = ts_read(c.m, c.a[3], &ns)) return e;
      if (op == kFUTEX_WAIT) {
        deadline = c.m.now_ns() + ns;  // relative, on CLOCK_MONOTONIC
      } else {
        bool rt = c.a[1] & kFUTEX_CLOCK_REALTIME;
        uint64_t now = rt ? c.m.wall_ns() : c.m.now_ns();
        deadline = c.m.now_ns() + (ns > now ? ns - now : 0);
      }
    }
    if (cur != val) return -kEAGAIN;
    futex_block(c.m, uaddr, deadline);
    return kBlocked;
  }
  if (op == kFUTEX_WAKE || op == kFUTEX_WAKE_BITSET) {
    if (op == kFUTEX_WAKE_BITSET && uint32_t(c.a[5]) == 0) return -kEINVAL;
    int n = int(std::min<uint64_t>(val, INT32_MAX));
    return c.m.wake(uaddr, n);
  }
  return -kENOSYS;
}

int64_t sys_clone(Call& c) {
  uint64_t flags = c.a[0], newsp = c.a[1], ptid = c.a[2];
  // x86-64 passes (flags, sp, ptid, ctid, tls); arm64 and riscv64
  // (CONFIG_CLONE_BACKWARDS) pass (flags, sp, ptid, tls, ctid).
  uint64_t ctid = c.m.cpu() == Cpu::amd64 ? c.a[3] : c.a[4];
  uint64_t tls = c.m.cpu() == Cpu::amd64 ? c.a[4] : c.a[3];
  uint64_t need = kCLONE_VM | kCLONE_SIGHAND | kCLONE_THREAD;
  if ((flags & need) != need)
    fatal(
        "linux: clone without kCLONE_VM|kCLONE_SIGHAND|kCLONE_THREAD (a new process) is not "
        "simulated (flags " +
        std::to_string(flags) + ")");
  if (flags & 0xff) return -kEINVAL;  // an exit signal makes no sense for a thread
  Thread& child = c.m.spawn([&](Machine& m, Thread& t) {
    if (newsp) m.set_sp(newsp);
    set_result(m, 0);
    if (flags & kCLONE_SETTLS) {
      m.set_reg(m.cpu() == Cpu::amd64   ? int(UC_X86_REG_FS_BASE)
                : m.cpu() == Cpu::arm64 ? int(UC_ARM64_REG_TPIDR_EL0)
                                        : int(UC_RISCV_REG_TP),
                tls);
    }
    if (flags & kCLONE_CHILD_CLEARTID) t.clear_tid = ctid;
  });
  if (flags & kCLONE_PARENT_SETTID) copy_out(c.m, ptid, &child.tid, 4);
  if (flags & kCLONE_CHILD_SETTID) copy_out(c.m, ctid, &child.tid, 4);
  return child.tid;
}

int64_t sys_exit(Call& c) {
  Thread& t = c.m.current();
  int live = 0;
  for (auto& th : c.m.threads()) live += th->state != ThreadState::exited;
  if (live == 1) c.m.exit_process(int(c.a[0]));
  if (t.clear_tid) {
    uint32_t zero = 0;
    if (copy_out(c.m, t.clear_tid, &zero, 4)) c.m.wake(t.clear_tid, 1);
  }
  c.m.exit_thread();
  return kBlocked;
}

int64_t sys_mmap(Call& c) {
  uint64_t addr = c.a[0], len = c.a[1], prot = c.a[2], flags = c.a[3], off = c.a[5];
  int fd = int(c.a[4]);
  if (len == 0 || (prot & ~(kPROT_READ | kPROT_WRITE | kPROT_EXEC))) return -kEINVAL;
  if (!(flags & (kMAP_SHARED | kMAP_PRIVATE)) || off % kPage) return -kEINVAL;
  len = (len + kPage - 1) & ~(kPage - 1);
  if (len == 0) return -kENOMEM;
  std::shared_ptr<File> file;
  if (!(flags & kMAP_ANONYMOUS)) {
    auto it = c.p.fds.find(fd);
    if (it == c.p.fds.end()) return -kEBADF;
    file = it->second.file;
    if (file->kind != File::host) return -kEACCES;
    if (flags & kMAP_SHARED) fatal("linux: shared file mappings are not simulated");
  }
  uint64_t at;
  if (flags & (kMAP_FIXED | kMAP_FIXED_NOREPLACE)) {
    if (addr % kPage) return -kEINVAL;
    if ((flags & kMAP_FIXED_NOREPLACE) && !(flags & kMAP_FIXED)) {
      for (uint64_t a = addr; a < addr + len; a += kPage)
        if (c.m.is_mapped(a, 1)) return -kEEXIST;
    }
    c.m.map(addr, len, prot_from(prot));
    at = addr;
  } else {
    at = c.m.map_anywhere(addr & ~(kPage - 1), len, prot_from(prot));
    if (at == 0) return -kENOMEM;
  }
  if (file) {
    std::vector<uint8_t> buf(len);
    ssize_t n = pread(file->hostfd, buf.data(), len, off);
    if (n > 0) c.m.write(at, buf.data(), uint64_t(n));
  }
  return int64_t(at);
}

int64_t sys_munmap(Call& c) {
  if (c.a[0] % kPage || c.a[1] == 0) return -kEINVAL;
  c.m.unmap(c.a[0], c.a[1]);
  return 0;
}
int64_t sys_mprotect(Call& c) {
  if (c.a[0] % kPage || (c.a[2] & ~(kPROT_READ | kPROT_WRITE | kPROT_EXEC))) return -kEINVAL;
  if (c.a[1] == 0) return 0;
  return c.m.protect(c.a[0], c.a[1], prot_from(c.a[2])) ? 0 : -kENOMEM;
}
int64_t sys_madvise(Call& c) {
  if (c.a[0] % kPage) return -kEINVAL;
  uint64_t len = (c.a[1] + kPage - 1) & ~(kPage - 1);
  if (len == 0) return 0;
  if (!c.m.is_mapped(c.a[0], len)) return -kENOMEM;
  if (int(c.a[2]) == kMADV_DONTNEED || int(c.a[2]) == kMADV_FREE) c.m.discard(c.a[0], len);
  return 0;
}
int64_t sys_brk(Call& c) {
  uint64_t want = c.a[0];
  if (want > c.p.brk_cur) {
    uint64_t lo = (c.p.brk_cur + kPage - 1) & ~(kPage - 1), hi = (want + kPage - 1) & ~(kPage - 1);
    for (uint64_t a = lo; a < hi; a += kPage)
      if (c.m.is_mapped(a, 1)) return int64_t(c.p.brk_cur);
    if (hi > lo) c.m.map(lo, hi - lo, kRead | kWrite);
    c.p.brk_cur = want;
  } else if (want >= c.p.brk_lo) {
    c.p.brk_cur = want;
  }
  return int64_t(c.p.brk_cur);
}

int64_t sys_clock_gettime(Call& c) {
  int clk = int(c.a[0]);
  uint64_t ns;
  if (clk == kCLOCK_PROCESS_CPUTIME_ID) {
    ns = 0;
    for (auto& t : c.m.threads()) ns += c.m.cpu_ns(*t);
  } else if (clk == kCLOCK_THREAD_CPUTIME_ID) {
    ns = c.m.cpu_ns(c.m.current());
  } else if (clk >= 0 && clk <= 7 && clk != 2 && clk != 3) {
    ns = clock_of(c.m, clk);
  } else {
    return -kEINVAL;
  }
  Timespec ts{int64_t(ns / 1000000000), int64_t(ns % 1000000000)};
  return copy_out(c.m, c.a[1], &ts, sizeof ts) ? 0 : -kEFAULT;
}
int64_t sys_clock_getres(Call& c) {
  Timespec ts{0, 1};
  if (c.a[1] && !copy_out(c.m, c.a[1], &ts, sizeof ts)) return -kEFAULT;
  return 0;
}
int64_t sys_nanosleep(Call& c) {
  uint64_t ns;
  if (int64_t e = ts_read(c.m, c.a[0], &ns)) return e;
  sleep_until(c.m, c.m.now_ns() + ns, c.a[1], "nanosleep");
  return kBlocked;
}
int64_t sys_clock_nanosleep(Call& c) {
  int clk = int(c.a[0]);
  uint64_t ns;
  if (clk != 0 && clk != 1 && clk != 7) return -kEINVAL;
  if (int64_t e = ts_read(c.m, c.a[2], &ns)) return e;
  uint64_t deadline = c.m.now_ns() + ns, rem = c.a[3];
  if (c.a[1] & kTIMER_ABSTIME) {
    uint64_t now = clock_of(c.m, clk);
    deadline = c.m.now_ns() + (ns > now ? ns - now : 0);
    rem = 0;
  }
  sleep_until(c.m, deadline, rem, "clock_nanosleep");
  return kBlocked;
}
int64_t sys_sched_yield(Call& c) {
  c.m.yield_now();
  return 0;
}
int64_t sys_getrandom(Call& c) {
  uint64_t n = std::min<uint64_t>(c.a[1], 33554431);  // the kernel's per-call cap
  std::vector<uint8_t> b(n);
  c.m.random_bytes(b.data(), n);
  return copy_out(c.m, c.a[0], b.data(), n) ? int64_t(n) : -kEFAULT;
}
int64_t sys_sched_getaffinity(Call& c) {
  if (c.a[0] != 0 && int(c.a[0]) != c.p.pid && !c.m.thread(int(c.a[0]))) return -kESRCH;
  uint64_t len = c.a[1];
  if (len < 8 || len % 8) return -kEINVAL;
  uint64_t mask = c.m.ncpu >= 64 ? ~0ull : (1ull << c.m.ncpu) - 1;
  if (c.m.ncpu > 64) fatal("linux: --ncpu above 64 is not simulated");
  std::vector<uint8_t> b(len, 0);
  memcpy(b.data(), &mask, 8);
  return copy_out(c.m, c.a[2], b.data(), 8) ? 8 : -kEFAULT;  // the kernel's cpumask size
}
int64_t sys_uname(Call& c) {
  char u[6][65] = {};
  const char* machine = c.m.cpu() == Cpu::amd64   ? "x86_64"
                        : c.m.cpu() == Cpu::arm64 ? "aarch64"
                                                  : "riscv64";
  strcpy(u[0], "Linux");
  strcpy(u[1], "gort-sim");
  strcpy(u[2], "6.1.0-gort-sim");
  strcpy(u[3], "#1 SMP PREEMPT_DYNAMIC");
  strcpy(u[4], machine);
  strcpy(u[5], "(none)");
  return copy_out(c.m, c.a[0], u, sizeof u) ? 0 : -kEFAULT;
}
int64_t rlimit(Call& c, int res, uint64_t newp, uint64_t oldp) {
  if (res < 0 || res >= 16) return -kEINVAL;
  auto it = c.p.rlimits.find(res);
  std::pair<uint64_t, uint64_t> cur =
      it != c.p.rlimits.end() ? it->second : std::pair{kInfinity, kInfinity};
  if (oldp && !copy_out(c.m, oldp, &cur, 16)) return -kEFAULT;
  if (newp) {
    std::pair<uint64_t, uint64_t> nv;
    if (!copy_in(c.m, newp, &nv, 16)) return -kEFAULT;
    if (nv.first > nv.second) return -kEINVAL;
    if (nv.second > cur.second) return -kEPERM;
    c.p.rlimits[res] = nv;
  }
  return 0;
}
int64_t sys_prlimit64(Call& c) {
  if (c.a[0] != 0 && int(c.a[0]) != c.p.pid) return -kESRCH;
  return rlimit(c, int(c.a[1]), c.a[2], c.a[3]);
}
int64_t sys_getrlimit(Call& c) { return rlimit(c, int(c.a[0]), 0, c.a[1]); }
int64_t sys_getpid(Call& c) { return c.p.pid; }
int64_t sys_gettid(Call& c) { return c.m.current().tid; }
int64_t sys_getuid(Call&) { return 1000; }
int64_t sys_set_tid_address(Call& c) {
  c.m.current().clear_tid = c.a[0];
  return c.m.current().tid;
}
int64_t sys_arch_prctl(Call& c) {
  switch (int(c.a[0])) {
    case 0x1002: c.m.set_reg(UC_X86_REG_FS_BASE, c.a[1]); return 0;  // ARCH_SET_FS
    case 0x1001: c.m.set_reg(UC_X86_REG_GS_BASE, c.a[1]); return 0;  // ARCH_SET_GS
    case 0x1003: {                                                   // ARCH_GET_FS
      uint64_t v = c.m.reg(UC_X86_REG_FS_BASE);
      return copy_out(c.m, c.a[1], &v, 8) ? 0 : -kEFAULT;
    }
  }
  return -kEINVAL;
}
int64_t sys_kill(Call& c) {
  int pid = int(c.a[0]), sig = int(c.a[1]);
  if (sig < 0 || sig > 64) return -kEINVAL;
  if (pid != c.p.pid && pid != 0 && pid != -1) return -kESRCH;
  if (sig) post_process_signal(c.p, c.m, {sig, kSI_USER, 0, c.m.current().tid});
  return 0;
}
int64_t tkill(Call& c, int tid, int sig) {
  if (sig < 0 || sig > 64 || tid <= 0) return -kEINVAL;
  Thread* t = c.m.thread(tid);
  if (!t) return -kESRCH;
  if (sig) c.m.post_signal(*t, {sig, kSI_TKILL, 0, c.m.current().tid});
  return 0;
}
int64_t sys_tgkill(Call& c) {
  if (int(c.a[0]) != c.p.pid) return int(c.a[0]) <= 0 ? -kEINVAL : -kESRCH;
  return tkill(c, int(c.a[1]), int(c.a[2]));
}
int64_t sys_tkill(Call& c) { return tkill(c, int(c.a[0]), int(c.a[1])); }
int64_t sys_ioctl(Call& c) {
  if (!c.p.fds.count(int(c.a[0]))) return -kEBADF;
  return -kENOTTY;  // no terminals here
}
int64_t sys_read_(Call& c) { return sys_read(c.p, c.m, int(c.a[0]), c.a[1], c.a[2]); }
int64_t sys_write_(Call& c) { return sys_write(c.p, c.m, int(c.a[0]), c.a[1], c.a[2]); }
int64_t sys_openat_(Call& c) { return sys_openat(c.p, c.m, int(c.a[0]), c.a[1], int(c.a[2])); }
int64_t sys_open_(Call& c) { return sys_openat(c.p, c.m, -100, c.a[0], int(c.a[1])); }
int64_t sys_close_(Call& c) { return sys_close(c.p, int(c.a[0])); }
int64_t sys_pipe2_(Call& c) { return sys_pipe2(c.p, c.m, c.a[0], int(c.a[1])); }
int64_t sys_fcntl_(Call& c) { return sys_fcntl(c.p, int(c.a[0]), int(c.a[1]), c.a[2]); }
int64_t sys_lseek_(Call& c) { return sys_lseek(c.p, int(c.a[0]), int64_t(c.a[1]), int(c.a[2])); }
int64_t sys_writev(Call& c) {
  int64_t total = 0;
  for (uint64_t i = 0; i < c.a[2]; i++) {
    uint64_t iov[2];
    if (!copy_in(c.m, c.a[1] + i * 16, iov, 16)) return -kEFAULT;
    int64_t r = sys_write(c.p, c.m, int(c.a[0]), iov[0], iov[1]);
    if (r == kBlocked) fatal("linux: writev to a full pipe is not simulated");
    if (r < 0) return total ? total : r;
    total += r;
  }
  return total;
}
int64_t sys_rt_sigreturn(Call& c) {
  sigreturn(c.p, c.m);
  return kBlocked;  // the registers are the frame's: no result to set
}
int64_t sys_rt_sigaction(Call& c) {
  return rt_sigaction(c.p, c.m, int(c.a[0]), c.a[1], c.a[2], c.a[3]);
}
int64_t sys_rt_sigprocmask(Call& c) {
  return rt_sigprocmask(c.m, int(c.a[0]), c.a[1], c.a[2], c.a[3]);
}
int64_t sys_sigaltstack(Call& c) { return sigaltstack(c.m, c.a[0], c.a[1]); }

// Argument kinds for the trace: d decimal, x hex, s string, b buffer of the
// next argument's length (written: shown before; read: after the call).
struct Entry {
  const char* name;
  int x86, generic;
  const char* args;
  Handler fn;
};
const Entry kCalls[] = {
    {"read", 0, 63, "dxd", sys_read_},
    {"write", 1, 64, "dbd", sys_write_},
    {"open", 2, -1, "sxo", sys_open_},
    {"close", 3, 57, "d", sys_close_},
    {"lseek", 8, 62, "ddd", sys_lseek_},
    {"mmap", 9, 222, "xxxxdx", sys_mmap},
    {"mprotect", 10, 226, "xxx", sys_mprotect},
    {"munmap", 11, 215, "xx", sys_munmap},
    {"brk", 12, 214, "x", sys_brk},
    {"rt_sigaction", 13, 134, "dxxd", sys_rt_sigaction},
    {"rt_sigprocmask", 14, 135, "dxxd", sys_rt_sigprocmask},
    {"rt_sigreturn", 15, 139, "", sys_rt_sigreturn},
    {"ioctl", 16, 29, "dxx", sys_ioctl},
    {"writev", 20, 66, "dxd", sys_writev},
    {"sched_yield", 24, 124, "", sys_sched_yield},
    {"madvise", 28, 233, "xxd", sys_madvise},
    {"nanosleep", 35, 101, "xx", sys_nanosleep},
    {"getpid", 39, 172, "", sys_getpid},
    {"clone", 56, 220, "xxxxx", sys_clone},
    {"exit", 60, 93, "d", sys_exit},
    {"kill", 62, 129, "dd", sys_kill},
    {"uname", 63, 160, "x", sys_uname},
    {"fcntl", 72, 25, "ddx", sys_fcntl_},
    {"getrlimit", 97, 163, "dx", sys_getrlimit},
    {"getuid", 102, 174, "", sys_getuid},
    {"geteuid", 107, 175, "", sys_getuid},
    {"sigaltstack", 131, 132, "xx", sys_sigaltstack},
    {"arch_prctl", 158, -1, "xx", sys_arch_prctl},
    {"gettid", 186, 178, "", sys_gettid},
    {"tkill", 200, 130, "dd", sys_tkill},
    {"futex", 202, 98, "xddxxd", sys_futex},
    {"sched_getaffinity", 204, 123, "ddx", sys_sched_getaffinity},
    {"set_tid_address", 218, 96, "x", sys_set_tid_address},
    {"clock_gettime", 228, 113, "dx", sys_clock_gettime},
    {"clock_getres", 229, 114, "dx", sys_clock_getres},
    {"clock_nanosleep", 230, 115, "ddxx", sys_clock_nanosleep},
    {"exit_group", 231, 94, "d", nullptr},
    {"tgkill", 234, 131, "ddd", sys_tgkill},
    {"openat", 257, 56, "dsxo", sys_openat_},
    {"pipe2", 293, 59, "xx", sys_pipe2_},
    {"prlimit64", 302, 261, "ddxx", sys_prlimit64},
    {"getrandom", 318, 278, "xdx", sys_getrandom},
};

std::string quote(const std::string& s, size_t max = 32) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < max; i++) {
    unsigned char ch = s[i];
    if (ch == '\n')
      out += "\\n";
    else if (ch == '\t')
      out += "\\t";
    else if (ch == '"' || ch == '\\')
      out += std::string("\\") + char(ch);
    else if (ch < 32 || ch >= 127) {
      char b[8];
      snprintf(b, sizeof b, "\\x%02x", ch);
      out += b;
    } else
      out += char(ch);
  }
  out += "\"";
  if (s.size() > max) out += "...";
  return out;
}

std::string format_args(Machine& m, const Entry& e, const uint64_t* a) {
  std::string s = std::string(e.name) + "(";
  for (int i = 0; e.args[i]; i++) {
    if (i) s += ", ";
    char b[32];
    switch (e.args[i]) {
      case 'd':
        snprintf(b, sizeof b, "%lld", (long long)int64_t(a[i]));
        s += b;
        break;
      case 'o':
        snprintf(b, sizeof b, "0%llo", (unsigned long long)a[i]);
        s += b;
        break;
      case 's': s += quote(m.read_cstr(a[i], 256), 256); break;
      case 'b': {
        std::string buf(std::min<uint64_t>(a[i + 1], 32), '\0');
        m.read(a[i], buf.data(), buf.size());
        s += quote(buf);
        if (a[i + 1] > 32 && buf.size() == 32) s.pop_back(), s.pop_back(), s.pop_back(), s += "...";
        break;
      }
      default:
        snprintf(b, sizeof b, "0x%llx", (unsigned long long)a[i]);
        s += b;
        break;
    }
  }
  return s + ")";
}

std::string format_result(int64_t r) {
  if (r < 0 && r > -4096) return "-1 " + std::string(errno_name(int(-r)));
  char b[32];
  snprintf(b, sizeof b, r > 4096 || r < -4096 ? "0x%llx" : "%lld", (long long)r);
  return b;
}

// A call that waits is traced when it ends, when its result is known; as
// strace shows it, a restarted one ends "= ? ERESTARTSYS" and runs again.
void trace_when_done(Machine& m, Thread& t, const std::string& call) {
  if (!t.on_resume) return;
  auto resume = std::move(t.on_resume);
  t.on_resume = [&m, call, resume](Thread& th) {
    uint64_t pc = m.pc();
    resume(th);
    if (th.state == ThreadState::blocked) return trace_when_done(m, th, call);  // waits on
    if (m.pc() != pc)
      m.trace(call + " = ? ERESTARTSYS (To be restarted if SA_RESTART is set)");
    else
      m.trace(call + " = " + format_result(result(m)));
  };
}

class Linux final : public OsModel {
 public:
  const char* name() const override { return "linux"; }
  void load(Machine& m, const Program& prog) override;
  void deliver(Machine& m, Thread& t, const PendingSig& s) override {
    linux_model::deliver(p_, m, t, s);
  }
  void fault(Machine& m, Fault kind, uint64_t addr) override {
    linux_model::fault(p_, m, kind, addr);
  }

 private:
  void syscall(Machine& m);
  Process p_;
  std::map<int, const Entry*> by_nr_;
};

void Linux::load(Machine& m, const Program& prog) {
  p_.m = &m;
  p_.prog = prog;
  for (auto& e : kCalls) {
    int nr = m.cpu() == Cpu::amd64 ? e.x86 : e.generic;
    if (nr >= 0) by_nr_[nr] = &e;
  }
  auto file = read_file(prog.path);
  p_.image = load_elf(m, file);
  p_.brk_lo = p_.brk_cur = p_.image.hi;
  // The address-space layout of a 47-bit (x86-64, riscv64 sv48) or 48-bit
  // (arm64) user half: the stack at the top, mappings top-down below it.
  uint64_t top = m.cpu() == Cpu::arm64 ? 0xfffffffff000 : 0x7ffffffff000;
  uint64_t stack_lo = top - kStackSize;
  m.map(stack_lo, kStackSize, kRead | kWrite | (p_.image.exec_stack ? unsigned(kExec) : 0u));
  m.set_mmap_area(0x10000, stack_lo - (1ull << 30));
  p_.rlimits[3] = {kStackSize, kInfinity};  // RLIMIT_STACK
  p_.rlimits[4] = {0, kInfinity};           // RLIMIT_CORE
  p_.rlimits[7] = {1024, 4096};             // RLIMIT_NOFILE
  init_files(p_);
  // No vDSO (gort must cope: it falls back to system calls); the signal
  // return trampoline the kernel's vDSO would hold lives in a page of its
  // own: `mov $15, %eax; syscall` / `mov x8, #139; svc #0` / `li a7, 139; ecall`.
  p_.sigtramp = m.map_anywhere(0, kPage, kRead | kExec);
  static const uint8_t x86[] = {0xb8, 0x0f, 0, 0, 0, 0x0f, 0x05};
  static const uint32_t a64[] = {0xd2801168, 0xd4000001};
  static const uint32_t rv[] = {0x08b00893, 0x00000073};
  if (m.cpu() == Cpu::amd64) m.write(p_.sigtramp, x86, sizeof x86);
  if (m.cpu() == Cpu::arm64) m.write(p_.sigtramp, a64, sizeof a64);
  if (m.cpu() == Cpu::riscv64) m.write(p_.sigtramp, rv, sizeof rv);

  // The auxiliary vector (linux/auxvec.h, asm/auxvec.h), as execve gives it.
  InitialStack st;
  st.argv = prog.argv;
  st.envp = prog.envp;
  uint64_t hwcap = 0, hwcap2 = 0;
  if (m.cpu() == Cpu::amd64) hwcap = 0x178bfbff;  // cpuid(1).edx of a generic x86-64
  if (m.cpu() == Cpu::arm64) hwcap = 0xff;        // fp asimd evtstrm aes pmull sha1 sha2 crc32
  if (m.cpu() == Cpu::riscv64)
    for (char ch : std::string("imafdc")) hwcap |= 1ull << (ch - 'a');
  st.auxv = {{3, p_.image.phdr},
             {4, p_.image.phent},
             {5, p_.image.phnum},
             {6, kPage},
             {7, 0},
             {8, 0},
             {9, p_.image.entry},
             {11, 1000},
             {12, 1000},
             {13, 1000},
             {14, 1000},
             {16, hwcap},
             {17, 100},
             {23, 0},
             {26, hwcap2}};
  std::vector<uint8_t> rnd(16);
  m.random_bytes(rnd.data(), 16);
  st.blobs.push_back({25, rnd});                      // AT_RANDOM
  st.blobs.push_back({31, cstr_blob(prog.argv[0])});  // AT_EXECFN
  if (m.cpu() != Cpu::riscv64)
    st.blobs.push_back(
        {15, cstr_blob(m.cpu() == Cpu::amd64 ? "x86_64" : "aarch64")});  // AT_PLATFORM
  StackLayout l = build_stack(m, top, st);
  m.set_sp(l.sp);
  m.set_pc(p_.image.entry);
  m.on_syscall = [this](Machine& mm) { syscall(mm); };
}

void Linux::syscall(Machine& m) {
  uint64_t nr = m.reg(nr_reg(m.cpu()));
  auto it = by_nr_.find(int(nr));
  if (it == by_nr_.end()) fatal("linux: unknown system call " + std::to_string(nr));
  const Entry& e = *it->second;
  Call c{p_, m, {}};
  for (int i = 0; i < 6; i++) c.a[i] = arg(m, i);
  if (!e.fn) {  // exit_group
    if (m.trace_syscalls) m.trace(format_args(m, e, c.a) + " = ?");
    m.exit_process(int(c.a[0]));
  }
  std::string call = m.trace_syscalls ? format_args(m, e, c.a) : "";
  int64_t r = e.fn(c);
  if (r != kBlocked) {
    set_result(m, r);
    if (m.trace_syscalls) m.trace(call + " = " + format_result(r));
    return;
  }
  Thread& t = m.current();
  if (e.fn == sys_rt_sigreturn || e.fn == sys_exit) {
    if (m.trace_syscalls) m.trace(call + " = ?");
    return;
  }
  if (m.trace_syscalls) trace_when_done(m, t, call);
}

}  // namespace

}  // namespace sim::linux_model

namespace sim {
std::unique_ptr<OsModel> make_linux() { return std::make_unique<linux_model::Linux>(); }
}  // namespace sim
