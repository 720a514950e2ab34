// os/linux/os_linux.cpp — the Linux port: raw system calls, no libc.
// GORT_SYS_H names sys_linux_<arch>.h; meson.build sets it.
#include GORT_SYS_H

#include "port.h"
#include "rawsyscall.h"
#include "vdso_linux.h"

namespace gort {

using namespace sys;

namespace {
// Auxiliary vector keys (Linux's elf.h).
enum : uintptr_t {
  AT_NULL = 0,
  AT_PAGESZ = 6,
  AT_HWCAP = 16,
  AT_SECURE = 23,
  AT_RANDOM = 25,
  AT_HWCAP2 = 26,
  AT_EXECFN = 31,
  AT_SYSINFO_EHDR = 33,
};
// Go's cloneFlags: a thread in this process sharing everything, with its own TLS.
constexpr unsigned long kCloneFlags = 0x100 /*VM*/ | 0x200 /*FS*/ | 0x400 /*FILES*/ |
                                      0x800 /*SIGHAND*/ | 0x40000 /*SYSVSEM*/ | 0x10000 /*THREAD*/ |
                                      0x80000 /*SETTLS*/;

struct StackT {  // Linux orders ss_flags before ss_size
  void* sp;
  int flags;
  size_t size;
};
}  // namespace

extern "C" long gort_clone(unsigned long flags, void* stack, void* tls, ThreadStart fn, void* arg);

void os_sysargs(int argc, char** argv, AuxInfo* aux) {
  char** p = argv + argc + 1;
  while (*p) p++;
  for (auto* a = reinterpret_cast<uintptr_t*>(p + 1); a[0] != AT_NULL; a += 2) {
    switch (a[0]) {
      case AT_PAGESZ: aux->pagesize = a[1]; break;
      case AT_HWCAP: aux->hwcap = a[1]; break;
      case AT_HWCAP2: aux->hwcap2 = a[1]; break;
      case AT_SECURE: aux->secure = a[1] != 0; break;
      case AT_RANDOM: aux->random16 = reinterpret_cast<const uint8_t*>(a[1]); break;
      case AT_EXECFN: aux->execfn = reinterpret_cast<const char*>(a[1]); break;
      case AT_SYSINFO_EHDR: vdso_init(a[1]); break;
    }
  }
}

void os_init(const AuxInfo& aux, int32_t* ncpu, uintptr_t* pagesize) {
  // Go's getproccount: count the bits of the affinity mask.
  uint64_t mask[16] = {};
  long r = syscall<SYS_sched_getaffinity>(0, sizeof mask, mask);
  int32_t n = 0;
  for (long i = 0; r > 0 && i < r / 8; i++) n += __builtin_popcountll(mask[i]);
  *ncpu = n > 0 ? n : 1;
  *pagesize = aux.pagesize ? aux.pagesize : 4096;
}

long os_write(int fd, const void* p, size_t n) { return syscall<SYS_write>(fd, p, n); }
long os_read(int fd, void* p, size_t n) { return syscall<SYS_read>(fd, p, n); }
int os_open(const char* path, bool write) {
  return int(
      syscall<SYS_openat>(Consts::kAT_FDCWD, path, write ? Consts::kO_RDWR : Consts::kO_RDONLY, 0));
}
bool os_fd_valid(int fd) { return syscall<SYS_fcntl>(fd, Consts::kF_GETFD) >= 0; }
int os_pipe(int fds[2]) { return int(syscall<SYS_pipe2>(fds, Consts::kO_CLOEXEC)); }
int os_close(int fd) { return int(syscall<SYS_close>(fd)); }

void os_exit(int code) {
  for (;;) syscall<SYS_exit_group>(code);
}
void os_exitthread(uint32_t* wait) { exit_thread(wait); }

void* os_mmap(void* hint, size_t n, int prot) {
  long flags = Consts::kMAP_PRIVATE | Consts::kMAP_ANONYMOUS |
               (prot == kProtNone ? Consts::kMAP_NORESERVE : 0);
  long r = syscall<SYS_mmap>(hint, n, prot, flags, -1, 0);
  return (r < 0 && r > -4096) ? nullptr : reinterpret_cast<void*>(r);
}
bool os_sysmap(void* p, size_t n) {
  long flags = Consts::kMAP_PRIVATE | Consts::kMAP_ANONYMOUS | Consts::kMAP_FIXED;
  return syscall<SYS_mmap>(p, n, kProtRead | kProtWrite, flags, -1, 0) == long(p);
}
bool os_guard(void* p, size_t n) { return syscall<SYS_mprotect>(p, n, kProtNone) == 0; }
void os_munmap(void* p, size_t n) { syscall<SYS_munmap>(p, n); }
void os_madvise_free(void* p, size_t n) { syscall<SYS_madvise>(p, n, Consts::kMADV_DONTNEED); }

int os_newthread(void* stack, size_t size, void* tp, ThreadStart fn, void* arg) {
  long r = gort_clone(kCloneFlags, static_cast<char*>(stack) + size, tp, fn, arg);
  return r < 0 ? int(r) : 0;
}

void os_settls(void* tp) {
  if (arch_settp(tp)) return;
#if defined(GORT_LINUX_HAS_ARCH_PRCTL)
  syscall<SYS_arch_prctl>(kARCH_SET_FS, tp);
#endif
}

void os_futexsleep(uint32_t* addr, uint32_t val, int64_t ns) {
  Timespec ts{ns / 1000000000, ns % 1000000000};
  syscall<SYS_futex>(addr, Consts::kFUTEX_WAIT_PRIVATE, val, ns < 0 ? nullptr : &ts, 0, 0);
}
void os_futexwakeup(uint32_t* addr, uint32_t cnt) {
  long r = syscall<SYS_futex>(addr, Consts::kFUTEX_WAKE_PRIVATE, cnt, 0, 0, 0);
  if (r < 0) fatal("futexwakeup failed");
}

namespace {
// Through the vDSO when the kernel maps one (no system call), else the call.
Timespec vdso_clock_read(long clk) {
  if (VdsoClockGettime f = vdso_clock_gettime()) {
    Timespec ts{};
    if (f(clk, &ts) == 0) return ts;
  }
  return clock_read<SYS_clock_gettime>(clk);
}
}  // namespace

int64_t os_nanotime() {
  Timespec ts = vdso_clock_read(Consts::kCLOCK_MONOTONIC);
  return ts.sec * 1000000000 + ts.nsec;
}
int64_t os_cputime() { return clock_ns<SYS_clock_gettime>(Consts::kCLOCK_PROCESS_CPUTIME_ID); }
void os_walltime(int64_t* sec, int32_t* nsec) {
  Timespec ts = vdso_clock_read(Consts::kCLOCK_REALTIME);
  *sec = ts.sec;
  *nsec = int32_t(ts.nsec);
}

size_t os_getrandom(void* buf, size_t n) {
  return getrandom_full<SYS_getrandom>(buf, n, Consts::kEINTR, Consts::kEAGAIN);
}

int os_setsig(int sig, SigHandler h) {
  KSigaction sa{};
  sa.handler = reinterpret_cast<void*>(h);
  sa.flags = Consts::kSA_SIGINFO | Consts::kSA_ONSTACK | Consts::kSA_RESTART;
  sa.mask = ~uint64_t(0);
  if (auto r = sigrestorer()) {
    sa.flags |= Consts::kSA_RESTORER;
    sa.restorer = r;
  }
  return int(syscall<SYS_rt_sigaction>(sig, &sa, nullptr, sizeof sa.mask));
}

int os_sigaltstack(void* base, size_t size) {
  StackT st{base, 0, size};
  return int(syscall<SYS_sigaltstack>(&st, nullptr));
}

int os_sigunblock() {
  uint64_t none = 0;  // the kernel's sigset_t: 64 bits
  return int(syscall<SYS_rt_sigprocmask>(Consts::kSIG_SETMASK, &none, nullptr, sizeof none));
}

// siginfo_t: si_signo, si_errno, si_code (ints), padding, then si_addr.
void* os_sigaddr(const void* info) {
  return *reinterpret_cast<void* const*>(static_cast<const char*>(info) + 16);
}

// si_code follows si_signo and si_errno.
int os_sigcode(const void* info) {
  return *reinterpret_cast<const int*>(static_cast<const char*>(info) + 8);
}

void os_sigctx_sp_pc(void* uctx, uintptr_t** sp, uintptr_t** pc) {
  uctx_sp_pc<kUctxSP, kUctxPC>(uctx, sp, pc);
}

void os_sigctx_frame(const void* uctx, uintptr_t* fp, uintptr_t* pc, uintptr_t* lr) {
  uctx_frame<kUctxFP, kUctxPC, kUctxLR>(uctx, fp, pc, lr);
}

uintptr_t os_thread_self() { return uintptr_t(syscall<SYS_gettid>()); }
int os_signal_thread(uintptr_t tid, int sig) {
  return int(syscall<SYS_tgkill>(syscall<SYS_getpid>(), tid, sig));
}

int os_raise(int sig) {
  return int(syscall<SYS_tgkill>(syscall<SYS_getpid>(), syscall<SYS_gettid>(), sig));
}

}  // namespace gort
