// os/darwin/os_darwin.cpp — the Darwin port. As Go does, it calls libSystem:
// Darwin's system call numbers and conventions are not a stable interface.
// Every function used here is listed in libSystem.tbd, which is what the
// program links against.
#include "port.h"

extern "C" {
using pthread_t = void*;
struct pthread_attr_t {
  long sig;
  char opaque[56];
};
struct DarwinTimespec {
  long sec, nsec;
};
struct DarwinSigaction {
  void* handler;
  uint32_t mask;
  int flags;
};
struct DarwinStack {
  void* sp;
  size_t size;
  int flags;
};
long write(int, const void*, size_t);
long read(int, void*, size_t);
int open(const char*, int, ...);
int fcntl(int, int, ...);
int pipe(int[2]);
int close(int);
[[noreturn]] void exit(int);
void* mmap(void*, size_t, int, int, int, long long);
int munmap(void*, size_t);
int mprotect(void*, size_t, int);
int madvise(void*, size_t, int);
int* __error();
int pthread_attr_init(pthread_attr_t*);
int pthread_attr_setdetachstate(pthread_attr_t*, int);
int pthread_create(pthread_t*, const pthread_attr_t*, void* (*)(void*), void*);
int pthread_key_create(unsigned long*, void (*)(void*));
int pthread_setspecific(unsigned long, const void*);
void* pthread_getspecific(unsigned long);
pthread_t pthread_self();
int pthread_kill(pthread_t, int);
int __ulock_wait(uint32_t op, void* addr, uint64_t value, uint32_t timeout_us);
int __ulock_wake(uint32_t op, void* addr, uint64_t wake_value);
int clock_gettime(int, DarwinTimespec*);
void arc4random_buf(void*, size_t);
int sysctlbyname(const char*, void*, size_t*, void*, size_t);
int getpagesize();
int issetugid();
int sigaction(int, const DarwinSigaction*, DarwinSigaction*);
int sigaltstack(const DarwinStack*, DarwinStack*);
int pthread_sigmask(int, const uint32_t*, uint32_t*);
}

namespace gort {

namespace {
constexpr int kMAP_PRIVATE = 0x2, kMAP_FIXED = 0x10, kMAP_ANON = 0x1000, kMADV_FREE = 5;
constexpr int kO_RDONLY = 0, kO_RDWR = 2, kF_GETFD = 1;
constexpr int kCLOCK_REALTIME = 0, kCLOCK_MONOTONIC = 6, kCLOCK_PROCESS_CPUTIME_ID = 12;
constexpr uint32_t kUL_COMPARE_AND_WAIT = 1, kULF_WAKE_ALL = 0x100, kULF_NO_ERRNO = 0x01000000;
constexpr int kSA_ONSTACK = 0x1, kSA_RESTART = 0x2, kSA_SIGINFO = 0x40;
constexpr int kPTHREAD_CREATE_DETACHED = 2;
constexpr int kSIG_SETMASK = 3, kSS_DISABLE = 4;

unsigned long tls_key;   // the thread's TlsBlock (GORT_OS_GETTP)
unsigned long exit_key;  // the thread's ExitPad

long neg_errno(long r) { return r < 0 ? -long(*__error()) : r; }

struct ThreadBoot {
  void* tp;
  ThreadStart fn;
  void* arg;
  void* stack_hi;
};
ThreadBoot boots[64];  // handed from os_newthread to the new thread
uint32_t next_boot;

// On the stack libpthread gave the thread: where gort_swapctx left it, and
// the word os_exitthread is to clear.
struct ExitPad {
  void* sp;
  uint32_t* wait;
};

// A thread runs its function on gort's stack, not on the one libpthread
// allocated, so that it can end as the contract wants: the thread switches
// back here (os_exitthread), and from here on touches nothing of gort's
// but the wait word. libpthread frees its own stack after the thread has
// left it, so the thread is detached and nobody joins it.
void* thread_entry(void* p) {
  auto* b = static_cast<ThreadBoot*>(p);
  ThreadBoot copy = *b;
  __atomic_store_n(&b->fn, nullptr, __ATOMIC_RELEASE);  // slot free again
  ExitPad pad{};
  pthread_setspecific(exit_key, &pad);
  pthread_setspecific(tls_key, copy.tp);
  gort_swapctx(&pad.sp, arch_makectx(copy.stack_hi, copy.fn, copy.arg));
  // Back from os_exitthread with every signal blocked and no alternate
  // stack: gort's stack and TLS block may be unmapped as soon as the word
  // reads 0.
  pthread_setspecific(tls_key, nullptr);
  if (pad.wait) {
    __atomic_store_n(pad.wait, 0u, __ATOMIC_RELEASE);
    // The joiner may already have seen 0 and unmapped the word: a private
    // ulock's wake names only an address, and a stray wake is allowed.
    __ulock_wake(kUL_COMPARE_AND_WAIT | kULF_NO_ERRNO | kULF_WAKE_ALL, pad.wait, 0);
  }
  return nullptr;
}
}  // namespace

// Null until os_settls has made the key (static constructors run before it).
void* os_gettp() { return tls_key ? pthread_getspecific(tls_key) : nullptr; }

// dyld calls the entry point like main: there is no auxiliary vector.
void os_sysargs(int, char**, AuxInfo* aux) {
  aux->pagesize = uintptr_t(getpagesize());
  aux->secure = issetugid() != 0;
}

void os_init(const AuxInfo& aux, int32_t* ncpu, uintptr_t* pagesize) {
  int n = 0;
  size_t len = sizeof n;
  if (sysctlbyname("hw.ncpu", &n, &len, nullptr, 0) != 0 || n < 1) n = 1;
  *ncpu = n;
  *pagesize = aux.pagesize ? aux.pagesize : 4096;
}

long os_write(int fd, const void* p, size_t n) { return neg_errno(write(fd, p, n)); }
long os_read(int fd, void* p, size_t n) { return neg_errno(read(fd, p, n)); }
int os_open(const char* path, bool write) {
  return int(neg_errno(open(path, write ? kO_RDWR : kO_RDONLY)));
}
bool os_fd_valid(int fd) { return fcntl(fd, kF_GETFD) >= 0; }
int os_pipe(int fds[2]) { return int(neg_errno(pipe(fds))); }
int os_close(int fd) { return int(neg_errno(close(fd))); }
void os_exit(int code) { exit(code); }

// The thread leaves gort's stack for the one it started on (thread_entry),
// which clears the word once nothing of gort's is in use, and ends there.
void os_exitthread(uint32_t* wait) {
  auto* pad = static_cast<ExitPad*>(pthread_getspecific(exit_key));
  if (!pad) fatal("os_exitthread: not a thread os_newthread made");
  // No handler may run from here on: its alternate stack is gort's memory.
  uint32_t all = ~0u;
  pthread_sigmask(kSIG_SETMASK, &all, nullptr);
  DarwinStack off{nullptr, 0, kSS_DISABLE};
  sigaltstack(&off, nullptr);
  pad->wait = wait;
  void* dead;
  gort_swapctx(&dead, pad->sp);
  __builtin_unreachable();
}

void* os_mmap(void* hint, size_t n, int prot) {
  void* p = mmap(hint, n, prot, kMAP_PRIVATE | kMAP_ANON, -1, 0);
  return p == reinterpret_cast<void*>(-1) ? nullptr : p;
}
bool os_sysmap(void* p, size_t n) {
  return mmap(p, n, kProtRead | kProtWrite, kMAP_PRIVATE | kMAP_ANON | kMAP_FIXED, -1, 0) == p;
}
bool os_guard(void* p, size_t n) { return mprotect(p, n, kProtNone) == 0; }
void os_munmap(void* p, size_t n) { munmap(p, n); }
void os_madvise_free(void* p, size_t n) { madvise(p, n, kMADV_FREE); }

int os_newthread(void* stack, size_t size, void* tp, ThreadStart fn, void* arg) {
  ThreadBoot* b = nullptr;
  while (!b) {  // claim a free hand-off slot
    ThreadBoot* s = &boots[__atomic_fetch_add(&next_boot, 1, __ATOMIC_RELAXED) % 64];
    ThreadStart none = nullptr;
    if (__atomic_compare_exchange_n(&s->fn, &none, fn, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
      b = s;
  }
  b->tp = tp;
  b->arg = arg;
  b->stack_hi = static_cast<char*>(stack) + size;
  pthread_attr_t attr;  // libpthread's own stack: thread_entry moves to gort's
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, kPTHREAD_CREATE_DETACHED);
  pthread_t t;
  int r = pthread_create(&t, &attr, thread_entry, b);
  if (r != 0) __atomic_store_n(&b->fn, nullptr, __ATOMIC_RELEASE);
  return -r;
}

void os_settls(void* tp) {
  if (!tls_key &&
      (pthread_key_create(&tls_key, nullptr) != 0 || pthread_key_create(&exit_key, nullptr) != 0))
    fatal("pthread_key_create failed");
  pthread_setspecific(tls_key, tp);
}

void os_futexsleep(uint32_t* addr, uint32_t val, int64_t ns) {
  uint32_t us = 0;  // 0: no timeout
  if (ns >= 0)
    us = ns / 1000 >= 0xffffffff ? 0xffffffff : (ns / 1000 > 0 ? uint32_t(ns / 1000) : 1);
  __ulock_wait(kUL_COMPARE_AND_WAIT | kULF_NO_ERRNO, addr, val, us);
}
void os_futexwakeup(uint32_t* addr, uint32_t cnt) {
  uint32_t op = kUL_COMPARE_AND_WAIT | kULF_NO_ERRNO | (cnt > 1 ? kULF_WAKE_ALL : 0);
  __ulock_wake(op, addr, 0);
}

int64_t os_nanotime() {
  DarwinTimespec ts{};
  clock_gettime(kCLOCK_MONOTONIC, &ts);
  return int64_t(ts.sec) * 1000000000 + ts.nsec;
}
int64_t os_cputime() {
  DarwinTimespec ts{};
  clock_gettime(kCLOCK_PROCESS_CPUTIME_ID, &ts);
  return int64_t(ts.sec) * 1000000000 + ts.nsec;
}
void os_walltime(int64_t* sec, int32_t* nsec) {
  DarwinTimespec ts{};
  clock_gettime(kCLOCK_REALTIME, &ts);
  *sec = ts.sec;
  *nsec = int32_t(ts.nsec);
}

size_t os_getrandom(void* buf, size_t n) {
  arc4random_buf(buf, n);
  return n;
}

int os_setsig(int sig, SigHandler h) {
  DarwinSigaction sa{reinterpret_cast<void*>(h), ~0u, kSA_SIGINFO | kSA_ONSTACK | kSA_RESTART};
  return int(neg_errno(sigaction(sig, &sa, nullptr)));
}
int os_sigaltstack(void* base, size_t size) {
  DarwinStack st{base, size, 0};
  return int(neg_errno(sigaltstack(&st, nullptr)));
}
int os_sigunblock() {
  uint32_t none = 0;  // sigset_t: 32 bits; pthread_sigmask returns the error number
  return -pthread_sigmask(kSIG_SETMASK, &none, nullptr);
}
// siginfo_t: si_signo, si_errno, si_code, si_pid, si_uid, si_status, si_addr.
void* os_sigaddr(const void* info) {
  return *reinterpret_cast<void* const*>(static_cast<const char*>(info) + 24);
}

// si_code follows si_signo and si_errno.
int os_sigcode(const void* info) {
  return *reinterpret_cast<const int*>(static_cast<const char*>(info) + 8);
}

// ucontext_t: uc_onstack, uc_sigmask, uc_stack (24), uc_link, uc_mcsize, then
// uc_mcontext, a pointer to { exception state (16), thread state, ... }.
// x86_64 thread state: rax rbx rcx rdx rdi rsi rbp rsp r8-r15 rip;
// arm64: x[29] fp lr sp pc.
uintptr_t os_thread_self() { return reinterpret_cast<uintptr_t>(pthread_self()); }
int os_signal_thread(uintptr_t tid, int sig) {
  return -pthread_kill(reinterpret_cast<pthread_t>(tid), sig);
}

void os_sigctx_sp_pc(void* uctx, uintptr_t** sp, uintptr_t** pc) {
  auto* mc = *reinterpret_cast<char**>(static_cast<char*>(uctx) + 48);
#if defined(__x86_64__)
  *sp = reinterpret_cast<uintptr_t*>(mc + 16 + 7 * 8);
  *pc = reinterpret_cast<uintptr_t*>(mc + 16 + 16 * 8);
#else
  *sp = reinterpret_cast<uintptr_t*>(mc + 16 + 31 * 8);
  *pc = reinterpret_cast<uintptr_t*>(mc + 16 + 32 * 8);
#endif
}

void os_sigctx_frame(const void* uctx, uintptr_t* fp, uintptr_t* pc, uintptr_t* lr) {
  auto* mc = *reinterpret_cast<const char* const*>(static_cast<const char*>(uctx) + 48);
  auto word = [mc](int i) { return *reinterpret_cast<const uintptr_t*>(mc + 16 + i * 8); };
#if defined(__x86_64__)
  *fp = word(6);
  *pc = word(16);
  *lr = 0;
#else
  *fp = word(29);
  *lr = word(30);
  *pc = word(32);
#endif
}

int os_raise(int sig) { return -pthread_kill(pthread_self(), sig); }

}  // namespace gort
