// gort-sim's FreeBSD model: the kernel ABI as FreeBSD 13/14 define it, for
// amd64, arm64 and riscv64. Every number and layout here comes from
// FreeBSD's own headers (named beside each block), not from gort's port, so
// the simulator is an independent check of os/freebsd. The static_asserts
// pin the sizes and offsets the headers give (and the kernel's own
// _Static_asserts where it has them, e.g. arm64/exec_machdep.c).
#pragma once

#include <cstddef>
#include <cstdint>

namespace sim::fbsd {

// sys/sys/syscall.h (generated from sys/kern/syscalls.master).
enum Sys : int {
  FB_SYS_exit = 1,
  FB_SYS_read = 3,
  FB_SYS_write = 4,
  FB_SYS_open = 5,
  FB_SYS_close = 6,
  FB_SYS_getpid = 20,
  FB_SYS_kill = 37,
  FB_SYS_sigaltstack = 53,
  FB_SYS_munmap = 73,
  FB_SYS_mprotect = 74,
  FB_SYS_madvise = 75,
  FB_SYS_fcntl = 92,
  FB_SYS_sysarch = 165,
  FB_SYS___sysctl = 202,
  FB_SYS_clock_gettime = 232,
  FB_SYS_nanosleep = 240,
  FB_SYS_issetugid = 253,
  FB_SYS_sched_yield = 331,
  FB_SYS_sigprocmask = 340,
  FB_SYS_sigaction = 416,
  FB_SYS_sigreturn = 417,
  FB_SYS_thr_exit = 431,
  FB_SYS_thr_self = 432,
  FB_SYS_thr_kill = 433,
  FB_SYS__umtx_op = 454,
  FB_SYS_thr_new = 455,
  FB_SYS_mmap = 477,
  FB_SYS_cpuset_getaffinity = 487,
  FB_SYS_openat = 499,
  FB_SYS_pipe2 = 542,
  FB_SYS_getrandom = 563,
  FB_SYS___sysctlbyname = 570,
};

// sys/sys/errno.h.
enum Errno : int {
  FB_EPERM = 1,
  FB_ENOENT = 2,
  FB_ESRCH = 3,
  FB_EINTR = 4,
  FB_EIO = 5,
  FB_EBADF = 9,
  FB_ENOMEM = 12,
  FB_EACCES = 13,
  FB_EFAULT = 14,
  FB_EINVAL = 22,
  FB_EMFILE = 24,
  FB_EPIPE = 32,
  FB_ERANGE = 34,
  FB_EAGAIN = 35,
  FB_ETIMEDOUT = 60,
  FB_ENOSYS = 78,
};

// sys/sys/signal.h.
enum Sig : int {
  FB_SIGHUP = 1,
  FB_SIGINT = 2,
  FB_SIGQUIT = 3,
  FB_SIGILL = 4,
  FB_SIGTRAP = 5,
  FB_SIGABRT = 6,
  FB_SIGEMT = 7,
  FB_SIGFPE = 8,
  FB_SIGKILL = 9,
  FB_SIGBUS = 10,
  FB_SIGSEGV = 11,
  FB_SIGSYS = 12,
  FB_SIGPIPE = 13,
  FB_SIGALRM = 14,
  FB_SIGTERM = 15,
  FB_SIGURG = 16,
  FB_SIGSTOP = 17,
  FB_SIGTSTP = 18,
  FB_SIGCONT = 19,
  FB_SIGCHLD = 20,
  FB_SIGTTIN = 21,
  FB_SIGTTOU = 22,
  FB_SIGIO = 23,
  FB_SIGXCPU = 24,
  FB_SIGXFSZ = 25,
  FB_SIGVTALRM = 26,
  FB_SIGPROF = 27,
  FB_SIGWINCH = 28,
  FB_SIGINFO = 29,
  FB_SIGUSR1 = 30,
  FB_SIGUSR2 = 31,
  FB_SIGTHR = 32,
  FB_SIGLIBRT = 33,
  kMaxSig = 128,  // _SIG_MAXSIG; the model keeps 1..64
};
constexpr uint64_t FB_SIG_DFL = 0, FB_SIG_IGN = 1;
constexpr int FB_SA_ONSTACK = 0x1, FB_SA_RESTART = 0x2, FB_SA_RESETHAND = 0x4, FB_SA_NODEFER = 0x10,
              FB_SA_SIGINFO = 0x40;
constexpr int FB_SIG_BLOCK = 1, FB_SIG_UNBLOCK = 2, FB_SIG_SETMASK = 3;
constexpr int FB_SS_ONSTACK = 0x1, FB_SS_DISABLE = 0x4, FB_MINSIGSTKSZ = 512 * 4;
// si_code values (sys/sys/signal.h).
constexpr int FB_SI_USER = 0x10001, FB_SI_LWP = 0x10007;
constexpr int FB_ILL_ILLOPC = 1, FB_ILL_ILLTRP = 4, FB_ILL_PRVOPC = 5, FB_BUS_ADRALN = 1,
              FB_BUS_ADRERR = 2, FB_SEGV_MAPERR = 1, FB_SEGV_ACCERR = 2, FB_TRAP_BRKPT = 1,
              FB_FPE_INTOVF = 1, FB_FPE_INTDIV = 2, FB_SI_KERNEL = 0x10006;

// sys/sys/_sigset.h: 128 signals in four 32-bit words.
struct sigset_t {
  uint32_t bits[4];
};
static_assert(sizeof(sigset_t) == 16);

// sys/sys/signal.h: struct sigaction (the handler union, then flags, then mask).
struct sigaction_t {
  uint64_t sa_handler;
  int32_t sa_flags;
  sigset_t sa_mask;
};
static_assert(sizeof(sigaction_t) == 32 && offsetof(sigaction_t, sa_flags) == 8 &&
              offsetof(sigaction_t, sa_mask) == 12);

// sys/sys/signal.h: stack_t (struct sigaltstack).
struct stack_t {
  uint64_t ss_sp;
  uint64_t ss_size;
  int32_t ss_flags;
};
static_assert(sizeof(stack_t) == 24 && offsetof(stack_t, ss_flags) == 16);

// sys/sys/signal.h: struct __siginfo; _reason's fault arm holds si_trapno.
struct siginfo_t {
  int32_t si_signo, si_errno, si_code, si_pid;
  uint32_t si_uid;
  int32_t si_status;
  uint64_t si_addr;
  uint64_t si_value;
  union {
    struct {
      int32_t trapno;
    } fault;
    struct {
      int64_t spare1;
      int32_t spare2[7];
    } spare;
  } reason;
};
static_assert(sizeof(siginfo_t) == 80 && offsetof(siginfo_t, si_addr) == 24 &&
              offsetof(siginfo_t, si_value) == 32 && offsetof(siginfo_t, reason) == 40);

// sys/sys/_timespec.h, sys/sys/umtx.h (struct _umtx_time).
struct timespec_t {
  int64_t tv_sec, tv_nsec;
};
struct umtx_time_t {
  timespec_t timeout;
  uint32_t flags;
  uint32_t clockid;
};
static_assert(sizeof(umtx_time_t) == 24 && offsetof(umtx_time_t, flags) == 16);
// sys/sys/umtx.h: _umtx_op operations gort may issue, and the timeout flag.
constexpr int FB_UMTX_OP_WAIT = 2, FB_UMTX_OP_WAKE = 3, FB_UMTX_OP_WAIT_UINT = 11,
              FB_UMTX_OP_WAIT_UINT_PRIVATE = 15, FB_UMTX_OP_WAKE_PRIVATE = 16, FB_UMTX_ABSTIME = 1;

// sys/sys/thr.h.
struct thr_param_t {
  uint64_t start_func, arg, stack_base, stack_size, tls_base, tls_size;
  uint64_t child_tid, parent_tid;
  int32_t flags;
  uint64_t rtp;
  uint64_t spare[3];
};
static_assert(sizeof(thr_param_t) == 104 && offsetof(thr_param_t, child_tid) == 48 &&
              offsetof(thr_param_t, flags) == 64 && offsetof(thr_param_t, rtp) == 72);
// The kernel's first thread id (PID_MAX + 2, sys/sys/proc.h: NO_PID... tid_alloc).
constexpr int64_t kFirstTid = 100001;

// sys/sys/time.h clock ids.
constexpr int FB_CLOCK_REALTIME = 0, FB_CLOCK_VIRTUAL = 1, FB_CLOCK_PROF = 2,
              FB_CLOCK_MONOTONIC = 4, FB_CLOCK_UPTIME = 5, FB_CLOCK_UPTIME_PRECISE = 7,
              FB_CLOCK_UPTIME_FAST = 8, FB_CLOCK_REALTIME_PRECISE = 9, FB_CLOCK_REALTIME_FAST = 10,
              FB_CLOCK_MONOTONIC_PRECISE = 11, FB_CLOCK_MONOTONIC_FAST = 12, FB_CLOCK_SECOND = 13,
              FB_CLOCK_THREAD_CPUTIME_ID = 14, FB_CLOCK_PROCESS_CPUTIME_ID = 15;

// sys/sys/mman.h.
constexpr int FB_PROT_READ = 1, FB_PROT_WRITE = 2, FB_PROT_EXEC = 4;
constexpr int FB_MAP_SHARED = 0x1, FB_MAP_PRIVATE = 0x2, FB_MAP_FIXED = 0x10, FB_MAP_STACK = 0x400,
              FB_MAP_NOSYNC = 0x800, FB_MAP_ANON = 0x1000, FB_MAP_GUARD = 0x2000,
              FB_MAP_EXCL = 0x4000, FB_MAP_NOCORE = 0x20000,
              FB_MAP_ALIGNMENT_MASK = int(0xffu << 24);
constexpr int FB_MADV_NORMAL = 0, FB_MADV_RANDOM = 1, FB_MADV_SEQUENTIAL = 2, FB_MADV_WILLNEED = 3,
              FB_MADV_DONTNEED = 4, FB_MADV_FREE = 5, FB_MADV_NOSYNC = 6, FB_MADV_AUTOSYNC = 7,
              FB_MADV_NOCORE = 8, FB_MADV_CORE = 9, FB_MADV_PROTECT = 10;

// sys/sys/fcntl.h.
constexpr int FB_AT_FDCWD = -100, FB_O_ACCMODE = 3, FB_O_NONBLOCK = 0x4, FB_O_APPEND = 0x8,
              FB_O_CREAT = 0x200, FB_O_TRUNC = 0x400, FB_O_EXCL = 0x800, FB_O_CLOEXEC = 0x100000;
constexpr int FB_F_DUPFD = 0, FB_F_GETFD = 1, FB_F_SETFD = 2, FB_F_GETFL = 3, FB_F_SETFL = 4,
              FB_FD_CLOEXEC = 1;

// sys/sys/cpuset.h.
constexpr int FB_CPU_LEVEL_ROOT = 1, FB_CPU_LEVEL_CPUSET = 2, FB_CPU_LEVEL_WHICH = 3;
constexpr int FB_CPU_WHICH_TID = 1, FB_CPU_WHICH_PID = 2;

// sys/x86/include/sysarch.h (amd64).
constexpr int FB_AMD64_GET_FSBASE = 128, FB_AMD64_SET_FSBASE = 129, FB_AMD64_GET_GSBASE = 130,
              FB_AMD64_SET_GSBASE = 131;

// sys/sys/elf_common.h: auxv types, the ABI note.
enum At : uint64_t {
  FB_AT_NULL = 0,
  FB_AT_PHDR = 3,
  FB_AT_PHENT = 4,
  FB_AT_PHNUM = 5,
  FB_AT_PAGESZ = 6,
  FB_AT_BASE = 7,
  FB_AT_FLAGS = 8,
  FB_AT_ENTRY = 9,
  FB_AT_EXECPATH = 15,
  FB_AT_CANARY = 16,
  FB_AT_CANARYLEN = 17,
  FB_AT_OSRELDATE = 18,
  FB_AT_NCPUS = 19,
  FB_AT_PAGESIZES = 20,
  FB_AT_PAGESIZESLEN = 21,
  FB_AT_STACKPROT = 23,
  FB_AT_EHDRFLAGS = 24,
  FB_AT_HWCAP = 25,
  FB_AT_HWCAP2 = 26,
  FB_AT_BSDFLAGS = 27,
  FB_AT_ARGC = 28,
  FB_AT_ARGV = 29,
  FB_AT_ENVC = 30,
  FB_AT_ENVV = 31,
  FB_AT_PS_STRINGS = 32,
};
constexpr uint32_t FB_NT_FREEBSD_ABI_TAG = 1;
constexpr uint8_t FB_ELFOSABI_FREEBSD = 9;
// What this model claims to be: FreeBSD 14.1 (sys/sys/param.h __FreeBSD_version).
constexpr uint32_t kOsRelDate = 1401000;

// ---- per-CPU machine contexts ----

// sys/x86/include/ucontext.h (amd64): the trapframe's order from mc_rdi to
// mc_ss (sendsig bcopies the trapframe there), then the FPU area.
struct mcontext_amd64 {
  int64_t mc_onstack;
  int64_t mc_rdi, mc_rsi, mc_rdx, mc_rcx, mc_r8, mc_r9, mc_rax, mc_rbx, mc_rbp;
  int64_t mc_r10, mc_r11, mc_r12, mc_r13, mc_r14, mc_r15;
  uint32_t mc_trapno;
  uint16_t mc_fs, mc_gs;
  int64_t mc_addr;
  uint32_t mc_flags;
  uint16_t mc_es, mc_ds;
  int64_t mc_err, mc_rip, mc_cs, mc_rflags, mc_rsp, mc_ss;
  int64_t mc_len, mc_fpformat, mc_ownedfp;
  alignas(16) int64_t mc_fpstate[64];  // struct savefpu: fxsave layout
  int64_t mc_fsbase, mc_gsbase;
  int64_t mc_xfpustate, mc_xfpustate_len;
  int64_t mc_spare[4];
};
static_assert(sizeof(mcontext_amd64) == 800);
static_assert(offsetof(mcontext_amd64, mc_rdi) == 8 && offsetof(mcontext_amd64, mc_rax) == 56 &&
              offsetof(mcontext_amd64, mc_rbp) == 72 &&
              offsetof(mcontext_amd64, mc_trapno) == 128 &&
              offsetof(mcontext_amd64, mc_addr) == 136 && offsetof(mcontext_amd64, mc_err) == 152 &&
              offsetof(mcontext_amd64, mc_rip) == 160 &&
              offsetof(mcontext_amd64, mc_rflags) == 176 &&
              offsetof(mcontext_amd64, mc_rsp) == 184 && offsetof(mcontext_amd64, mc_len) == 200 &&
              offsetof(mcontext_amd64, mc_fpstate) == 224 &&
              offsetof(mcontext_amd64, mc_fsbase) == 736);
// mc_fpformat / mc_ownedfp values (sys/x86/include/ucontext.h).
constexpr int64_t FB__MC_FPFMT_XMM = 0x10002, FB__MC_FPOWNED_NONE = 0x20000,
                  FB__MC_FPOWNED_PCB = 0x20002;
// Offsets inside the fxsave area (Intel SDM vol.1 10.5.1).
constexpr size_t kFxCw = 0, kFxSw = 2, kFxMxcsr = 24, kFxSt0 = 32, kFxXmm0 = 160;

// sys/arm64/include/ucontext.h.
struct gpregs_arm64 {
  uint64_t gp_x[30];
  uint64_t gp_lr, gp_sp, gp_elr;
  uint64_t gp_spsr;
};
struct fpregs_arm64 {
  alignas(16) uint8_t fp_q[32][16];
  uint32_t fp_sr, fp_cr;
  int32_t fp_flags, fp_pad;
};
struct mcontext_arm64 {
  gpregs_arm64 mc_gpregs;
  fpregs_arm64 mc_fpregs;
  int32_t mc_flags, mc_pad;
  uint64_t mc_ptr;
  uint64_t mc_esr;
  uint64_t mc_spare[6];
};
static_assert(sizeof(gpregs_arm64) == 272 && sizeof(fpregs_arm64) == 528);
static_assert(sizeof(mcontext_arm64) == 880);  // arm64/exec_machdep.c asserts it
static_assert(offsetof(mcontext_arm64, mc_fpregs) == 272 &&
              offsetof(mcontext_arm64, mc_flags) == 800 && offsetof(mcontext_arm64, mc_ptr) == 808);
constexpr int FB__MC_FP_VALID = 0x1;
// struct arm64_reg_context's end marker: sendsig always writes one and
// points mc_ptr at it.
constexpr uint32_t FB_ARM64_CTX_END = 0xa5a5a5a5;

// sys/riscv/include/ucontext.h.
struct gpregs_riscv64 {
  uint64_t gp_ra, gp_sp, gp_gp, gp_tp;
  uint64_t gp_t[7];
  uint64_t gp_s[12];
  uint64_t gp_a[8];
  uint64_t gp_sepc, gp_sstatus;
};
struct fpregs_riscv64 {
  uint64_t fp_x[32][2];
  uint64_t fp_fcsr;
  int32_t fp_flags, pad;
};
struct mcontext_riscv64 {
  gpregs_riscv64 mc_gpregs;
  fpregs_riscv64 mc_fpregs;
  int32_t mc_flags, mc_pad;
  uint64_t mc_spare[8];
};
static_assert(sizeof(gpregs_riscv64) == 264 && sizeof(fpregs_riscv64) == 528);
static_assert(sizeof(mcontext_riscv64) == 864);
static_assert(offsetof(gpregs_riscv64, gp_s) == 11 * 8 &&
              offsetof(gpregs_riscv64, gp_a) == 23 * 8 &&
              offsetof(gpregs_riscv64, gp_sepc) == 31 * 8);

// sys/sys/_ucontext.h: one layout around each CPU's mcontext_t.
template <class MC>
struct ucontext_t {
  sigset_t uc_sigmask;
  MC uc_mcontext;
  uint64_t uc_link;
  stack_t uc_stack;
  int32_t uc_flags;
  int32_t spare[4];
};
static_assert(offsetof(ucontext_t<mcontext_amd64>, uc_mcontext) == 16 &&
              sizeof(ucontext_t<mcontext_amd64>) == 880);
static_assert(offsetof(ucontext_t<mcontext_arm64>, uc_mcontext) == 16 &&
              sizeof(ucontext_t<mcontext_arm64>) == 960);  // exec_machdep.c asserts it
static_assert(offsetof(ucontext_t<mcontext_riscv64>, uc_mcontext) == 16 &&
              offsetof(ucontext_t<mcontext_riscv64>, uc_stack) == 888 &&
              sizeof(ucontext_t<mcontext_riscv64>) == 936);

// Signal frames. amd64 (sys/amd64/include/sigframe.h): the handler pointer
// the sigcode calls through, then the ucontext, then the siginfo.
struct sigframe_amd64 {
  uint64_t sf_ahu;
  ucontext_t<mcontext_amd64> sf_uc;
  siginfo_t sf_si;
};
static_assert(offsetof(sigframe_amd64, sf_uc) == 16 && offsetof(sigframe_amd64, sf_si) == 896 &&
              sizeof(sigframe_amd64) == 976);
// arm64 and riscv64 (sys/<arch>/include/frame.h): siginfo first.
template <class MC>
struct sigframe_risc {
  siginfo_t sf_si;
  ucontext_t<MC> sf_uc;
};
using sigframe_arm64 = sigframe_risc<mcontext_arm64>;
using sigframe_riscv64 = sigframe_risc<mcontext_riscv64>;
static_assert(offsetof(sigframe_arm64, sf_uc) == 80 && sizeof(sigframe_arm64) == 1040);
static_assert(offsetof(sigframe_riscv64, sf_uc) == 80 && sizeof(sigframe_riscv64) == 1016);

// Names and argument counts for --trace=syscalls (truss's spelling) and
// the unknown-call message; nullptr for a number the table lacks.
struct SysInfo {
  const char* name;
  int nargs;
};
const SysInfo* syscall_info(int n);

}  // namespace sim::fbsd
