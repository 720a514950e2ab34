// os/freebsd/os_freebsd.cpp — the FreeBSD port: raw system calls, no libc.
// GORT_SYS_H names sys_freebsd_<arch>.h; meson.build sets it.
#include GORT_SYS_H

#include "port.h"
#include "rawsyscall.h"

namespace gort {

using namespace sys;

namespace {
// Auxiliary vector keys (FreeBSD's sys/elf_common.h).
enum : uintptr_t { AT_NULL = 0, AT_PAGESZ = 6, AT_EXECPATH = 15, AT_HWCAP = 25, AT_HWCAP2 = 26 };
constexpr long kEINTR = 4, kEAGAIN = 35;
constexpr long kMAP_PRIVATE = 0x02, kMAP_FIXED = 0x10, kMAP_ANON = 0x1000, kMADV_FREE = 5;
constexpr long kUMTX_OP_WAIT_UINT_PRIVATE = 15, kUMTX_OP_WAKE_PRIVATE = 16;
constexpr long kCLOCK_REALTIME = 0, kCLOCK_MONOTONIC = 4, kCLOCK_PROCESS_CPUTIME_ID = 15;
constexpr long kSIG_SETMASK = 3;
constexpr long kAT_FDCWD = -100, kO_RDONLY = 0, kO_RDWR = 2, kF_GETFD = 1;
constexpr int kSA_ONSTACK = 0x1, kSA_RESTART = 0x2, kSA_SIGINFO = 0x40;
constexpr long kCPU_LEVEL_WHICH = 3, kCPU_WHICH_PID = 2;

struct UmtxTime {
  Timespec timeout;
  uint32_t flags;  // 0: relative timeout
  uint32_t clockid;
};
struct StackT {
  void* sp;
  size_t size;
  int flags;
};
struct KSigaction {
  void* handler;
  int flags;
  uint32_t mask[4];
};
struct ThrParam {
  ThreadStart start_func;
  void* arg;
  char* stack_base;
  size_t stack_size;
  char* tls_base;
  size_t tls_size;
  long* child_tid;
  long* parent_tid;
  int flags;
  void* rtp;
  void* spare[3];
};
}  // namespace

void os_sysargs(int argc, char** argv, AuxInfo* aux) {
  char** p = argv + argc + 1;
  while (*p) p++;
  for (auto* a = reinterpret_cast<uintptr_t*>(p + 1); a[0] != AT_NULL; a += 2) {
    switch (a[0]) {
      case AT_PAGESZ: aux->pagesize = a[1]; break;
      case AT_HWCAP: aux->hwcap = a[1]; break;
      case AT_HWCAP2: aux->hwcap2 = a[1]; break;
      case AT_EXECPATH: aux->execfn = reinterpret_cast<const char*>(a[1]); break;
    }
  }
  // FreeBSD has no AT_RANDOM (the random stage falls back to getrandom) and no
  // AT_SECURE: ask the kernel.
  aux->secure = syscall<SYS_issetugid>() == 1;
}

void os_init(const AuxInfo& aux, int32_t* ncpu, uintptr_t* pagesize) {
  uint64_t mask[16] = {};  // 1024 CPUs: no smaller than the kernel's cpuset
  long r = syscall<SYS_cpuset_getaffinity>(kCPU_LEVEL_WHICH, kCPU_WHICH_PID, -1, sizeof mask, mask);
  int32_t n = 0;
  for (size_t i = 0; r == 0 && i < sizeof mask / 8; i++) n += __builtin_popcountll(mask[i]);
  *ncpu = n > 0 ? n : 1;
  *pagesize = aux.pagesize ? aux.pagesize : 4096;
}

long os_write(int fd, const void* p, size_t n) { return syscall<SYS_write>(fd, p, n); }
long os_read(int fd, void* p, size_t n) { return syscall<SYS_read>(fd, p, n); }
int os_open(const char* path, bool write) {
  return int(syscall<SYS_openat>(kAT_FDCWD, path, write ? kO_RDWR : kO_RDONLY, 0));
}
bool os_fd_valid(int fd) { return syscall<SYS_fcntl>(fd, kF_GETFD) >= 0; }
int os_pipe(int fds[2]) { return int(syscall<SYS_pipe2>(fds, 0x100000 /* O_CLOEXEC */)); }
int os_close(int fd) { return int(syscall<SYS_close>(fd)); }

void os_exit(int code) {
  for (;;) syscall<SYS_exit>(code);
}
void os_exitthread(uint32_t* wait) { exit_thread(wait); }

void* os_mmap(void* hint, size_t n, int prot) {
  long r = syscall<SYS_mmap>(hint, n, prot, kMAP_PRIVATE | kMAP_ANON, -1, 0);
  return r < 0 ? nullptr : reinterpret_cast<void*>(r);
}
bool os_sysmap(void* p, size_t n) {
  long flags = kMAP_PRIVATE | kMAP_ANON | kMAP_FIXED;
  return syscall<SYS_mmap>(p, n, kProtRead | kProtWrite, flags, -1, 0) == long(p);
}
bool os_guard(void* p, size_t n) { return syscall<SYS_mprotect>(p, n, kProtNone) == 0; }
void os_munmap(void* p, size_t n) { syscall<SYS_munmap>(p, n); }
void os_madvise_free(void* p, size_t n) { syscall<SYS_madvise>(p, n, kMADV_FREE); }

int os_newthread(void* stack, size_t size, void* thread_pointer, ThreadStart fn, void* arg) {
  ThrParam tp{};
  tp.start_func = fn;
  tp.arg = arg;
  tp.stack_base = static_cast<char*>(stack);
  tp.stack_size = size;
  // The kernel sets the thread pointer to tls_base + kThrNewTpBias.
  tp.tls_base = static_cast<char*>(thread_pointer) - kThrNewTpBias;
  tp.tls_size = sizeof(TlsBlock);
  return int(syscall<SYS_thr_new>(&tp, sizeof tp));
}

void os_settls(void* tp) {
  if (arch_settp(tp)) return;
#if defined(GORT_FREEBSD_SET_FSBASE)
  void* base = tp;
  syscall<SYS_sysarch>(kAMD64_SET_FSBASE, &base);
#endif
}

void os_futexsleep(uint32_t* addr, uint32_t val, int64_t ns) {
  UmtxTime ut{{ns / 1000000000, ns % 1000000000}, 0, uint32_t(kCLOCK_MONOTONIC)};
  if (ns < 0)
    syscall<SYS__umtx_op>(addr, kUMTX_OP_WAIT_UINT_PRIVATE, val, nullptr, nullptr);
  else
    syscall<SYS__umtx_op>(addr, kUMTX_OP_WAIT_UINT_PRIVATE, val, sizeof ut, &ut);
}
void os_futexwakeup(uint32_t* addr, uint32_t cnt) {
  if (syscall<SYS__umtx_op>(addr, kUMTX_OP_WAKE_PRIVATE, cnt, nullptr, nullptr) < 0)
    fatal("futexwakeup failed");
}

int64_t os_nanotime() { return clock_ns<SYS_clock_gettime>(kCLOCK_MONOTONIC); }
int64_t os_cputime() { return clock_ns<SYS_clock_gettime>(kCLOCK_PROCESS_CPUTIME_ID); }
void os_walltime(int64_t* sec, int32_t* nsec) {
  Timespec ts = clock_read<SYS_clock_gettime>(kCLOCK_REALTIME);
  *sec = ts.sec;
  *nsec = int32_t(ts.nsec);
}

size_t os_getrandom(void* buf, size_t n) {
  return getrandom_full<SYS_getrandom>(buf, n, kEINTR, kEAGAIN);
}

int os_setsig(int sig, SigHandler h) {
  KSigaction sa{};
  sa.handler = reinterpret_cast<void*>(h);
  sa.flags = kSA_SIGINFO | kSA_ONSTACK | kSA_RESTART;
  for (auto& w : sa.mask) w = ~0u;
  return int(syscall<SYS_sigaction>(sig, &sa, nullptr));
}

int os_sigaltstack(void* base, size_t size) {
  StackT st{base, size, 0};
  return int(syscall<SYS_sigaltstack>(&st, nullptr));
}

int os_sigunblock() {
  uint32_t none[4] = {};  // sigset_t: 128 bits; the calling thread's mask
  return int(syscall<SYS_sigprocmask>(kSIG_SETMASK, none, nullptr));
}

// siginfo_t: si_signo, si_errno, si_code, si_pid, si_uid, si_status, si_addr.
void* os_sigaddr(const void* info) {
  return *reinterpret_cast<void* const*>(static_cast<const char*>(info) + 24);
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

uintptr_t os_thread_self() {
  long id = 0;
  syscall<SYS_thr_self>(&id);
  return uintptr_t(id);
}
int os_signal_thread(uintptr_t tid, int sig) { return int(syscall<SYS_thr_kill>(tid, sig)); }

int os_raise(int sig) {
  long id = 0;
  syscall<SYS_thr_self>(&id);
  return int(syscall<SYS_thr_kill>(id, sig));
}

}  // namespace gort
