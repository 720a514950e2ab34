// gort-sim: what Darwin's libSystem and kernel exchange with a program, as
// macOS 11+ lays it out for x86_64 and arm64 (LP64 both). Each struct names
// the header it comes from; static_asserts pin sizes and offsets to the
// header's. Facts only: these are the guest's layouts, read and written in
// guest memory by the model.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sim::darwin {

// sys/errno.h
inline constexpr int kEPERM = 1, kENOENT = 2, kESRCH = 3, kEINTR = 4, kEIO = 5, kEBADF = 9,
                     kENOMEM = 12, kEACCES = 13, kEFAULT = 14, kEBUSY = 16, kEEXIST = 17,
                     kENOTDIR = 20, kEISDIR = 21, kEINVAL = 22, kENFILE = 23, kEMFILE = 24,
                     kENOSPC = 28, kESPIPE = 29, kEPIPE = 32, kERANGE = 34, kEAGAIN = 35,
                     kENOTSUP = 45, kENAMETOOLONG = 63, kELOOP = 62, kETIMEDOUT = 60, kENOSYS = 78,
                     kEOVERFLOW = 84;

// sys/signal.h
inline constexpr int kSIGHUP = 1, kSIGINT = 2, kSIGQUIT = 3, kSIGILL = 4, kSIGTRAP = 5,
                     kSIGABRT = 6, kSIGEMT = 7, kSIGFPE = 8, kSIGKILL = 9, kSIGBUS = 10,
                     kSIGSEGV = 11, kSIGSYS = 12, kSIGPIPE = 13, kSIGALRM = 14, kSIGTERM = 15,
                     kSIGURG = 16, kSIGSTOP = 17, kSIGTSTP = 18, kSIGCONT = 19, kSIGCHLD = 20,
                     kSIGTTIN = 21, kSIGTTOU = 22, kSIGIO = 23, kSIGXCPU = 24, kSIGXFSZ = 25,
                     kSIGVTALRM = 26, kSIGPROF = 27, kSIGWINCH = 28, kSIGINFO = 29, kSIGUSR1 = 30,
                     kSIGUSR2 = 31, kNSIG = 32;
// SIGFPE codes (sys/signal.h).
inline constexpr int kFPE_INTDIV = 7, kFPE_INTOVF = 8;
inline constexpr uint32_t kSA_ONSTACK = 0x1, kSA_RESTART = 0x2, kSA_RESETHAND = 0x4,
                          kSA_NODEFER = 0x10, kSA_SIGINFO = 0x40;
inline constexpr int kSIG_BLOCK = 1, kSIG_UNBLOCK = 2, kSIG_SETMASK = 3;
inline constexpr int kSS_ONSTACK = 1, kSS_DISABLE = 4;
inline constexpr uint64_t kMINSIGSTKSZ = 32768;
// si_code values (sys/signal.h) the kernel's sendsig fills in.
inline constexpr int kILL_ILLOPC = 1, kILL_ILLTRP = 2, kTRAP_BRKPT = 1, kSEGV_MAPERR = 1,
                     kSEGV_ACCERR = 2, kBUS_ADRALN = 1, kBUS_ADRERR = 2;
// sigreturn's infostyle (sys/signal.h / bsd/dev/*/unix_signal.c).
inline constexpr int kUC_TRAD = 1, kUC_FLAVOR = 30;

// sys/mman.h
inline constexpr int kPROT_READ = 1, kPROT_WRITE = 2, kPROT_EXEC = 4;
inline constexpr int kMAP_SHARED = 0x1, kMAP_PRIVATE = 0x2, kMAP_FIXED = 0x10, kMAP_ANON = 0x1000,
                     kMAP_NORESERVE = 0x40, kMAP_JIT = 0x800;
inline constexpr int kMADV_NORMAL = 0, kMADV_RANDOM = 1, kMADV_SEQUENTIAL = 2, kMADV_WILLNEED = 3,
                     kMADV_DONTNEED = 4, kMADV_FREE = 5, kMADV_ZERO_WIRED_PAGES = 6,
                     kMADV_FREE_REUSABLE = 7, kMADV_FREE_REUSE = 8;

// sys/fcntl.h
inline constexpr int kO_RDONLY = 0, kO_WRONLY = 1, kO_RDWR = 2, kO_ACCMODE = 3, kO_NONBLOCK = 0x4,
                     kO_APPEND = 0x8, kO_NOFOLLOW = 0x100, kO_CREAT = 0x200, kO_TRUNC = 0x400,
                     kO_EXCL = 0x800, kO_DIRECTORY = 0x100000, kO_CLOEXEC = 0x1000000;
inline constexpr int kF_DUPFD = 0, kF_GETFD = 1, kF_SETFD = 2, kF_GETFL = 3, kF_SETFL = 4,
                     kFD_CLOEXEC = 1;

// time.h (clockid_t values of macOS 10.12+)
inline constexpr int kCLOCK_REALTIME = 0, kCLOCK_MONOTONIC_RAW = 4, kCLOCK_MONOTONIC_RAW_APPROX = 5,
                     kCLOCK_MONOTONIC = 6, kCLOCK_UPTIME_RAW = 8, kCLOCK_UPTIME_RAW_APPROX = 9,
                     kCLOCK_PROCESS_CPUTIME_ID = 12, kCLOCK_THREAD_CPUTIME_ID = 16;

// sys/ulock.h
inline constexpr uint32_t kUL_COMPARE_AND_WAIT = 1, kUL_UNFAIR_LOCK = 2, kUL_COMPARE_AND_WAIT64 = 5,
                          kUL_OPCODE_MASK = 0xff, kULF_WAKE_ALL = 0x100, kULF_WAKE_THREAD = 0x200,
                          kULF_NO_ERRNO = 0x01000000;

// pthread/pthread.h, libpthread's types_internal.h and os/tsd.h
inline constexpr int kPTHREAD_CREATE_JOINABLE = 1, kPTHREAD_CREATE_DETACHED = 2;
inline constexpr uint64_t kPTHREAD_STACK_MIN = 16384;
inline constexpr int kTsdSlots = 768;     // _INTERNAL (256) + _EXTERNAL (512) keys on macOS
inline constexpr int kTsdFirstKey = 256;  // __pthread_tsd_start: the first dynamic key
inline constexpr int kTsdThreadSelf = 0, kTsdErrno = 1;    // __TSD_THREAD_SELF, __TSD_ERRNO
inline constexpr uint64_t kPTHREAD_ATTR_SIG = 0x54484441;  // 'THDA'

// sys/_types/_timespec.h
struct Timespec {
  int64_t tv_sec, tv_nsec;
};
static_assert(sizeof(Timespec) == 16);

// sys/signal.h: the user's struct sigaction (libSystem's sigaction() turns
// it into the kernel's __sigaction, adding sa_tramp = _sigtramp).
// (Fields drop the header's sa_/ss_/si_/uc_ prefixes: the host's
// <signal.h> defines several of those names as macros.)
struct Sigaction {
  uint64_t handler;  // sa_handler / sa_sigaction (union __sigaction_u)
  uint32_t mask;     // sa_mask: sigset_t is 32 bits
  int32_t flags;     // sa_flags
};
static_assert(sizeof(Sigaction) == 16 && offsetof(Sigaction, mask) == 8 &&
              offsetof(Sigaction, flags) == 12);

// sys/_types/_sigaltstack.h (struct __darwin_sigaltstack)
struct StackT {
  uint64_t sp;    // ss_sp
  uint64_t size;  // ss_size
  int32_t flags;  // ss_flags
  int32_t pad_;
};
static_assert(sizeof(StackT) == 24 && offsetof(StackT, flags) == 16);

// sys/signal.h: struct __siginfo
struct Siginfo {
  int32_t signo, errno_, code, pid;  // si_signo si_errno si_code si_pid
  uint32_t uid;                      // si_uid
  int32_t status;                    // si_status
  uint64_t addr;                     // si_addr
  uint64_t value;                    // si_value: union sigval
  int64_t band;                      // si_band
  uint64_t pad[7];                   // __pad
};
static_assert(sizeof(Siginfo) == 104 && offsetof(Siginfo, code) == 8 &&
              offsetof(Siginfo, pid) == 12 && offsetof(Siginfo, addr) == 24 &&
              offsetof(Siginfo, value) == 32 && offsetof(Siginfo, pad) == 48);

// sys/_types/_ucontext.h: struct __darwin_ucontext (LP64)
struct Ucontext {
  int32_t onstack;    // uc_onstack
  uint32_t sigmask;   // uc_sigmask
  StackT stack;       // uc_stack
  uint64_t link;      // uc_link
  uint64_t mcsize;    // uc_mcsize
  uint64_t mcontext;  // uc_mcontext -> __darwin_mcontext64
};
static_assert(sizeof(Ucontext) == 56 && offsetof(Ucontext, stack) == 8 &&
              offsetof(Ucontext, link) == 32 && offsetof(Ucontext, mcsize) == 40 &&
              offsetof(Ucontext, mcontext) == 48);

// i386/_mcontext.h, mach/i386/_structs.h: __darwin_mcontext64 =
// { __darwin_x86_exception_state64 __es; __darwin_x86_thread_state64 __ss;
//   __darwin_x86_float_state64 __fs; }
struct X86ExceptionState64 {
  uint16_t trapno, cpu;
  uint32_t err;
  uint64_t faultvaddr;
};
static_assert(sizeof(X86ExceptionState64) == 16);
struct X86ThreadState64 {
  uint64_t rax, rbx, rcx, rdx, rdi, rsi, rbp, rsp, r8, r9, r10, r11, r12, r13, r14, r15, rip,
      rflags, cs, fs, gs;
};
static_assert(sizeof(X86ThreadState64) == 168 && offsetof(X86ThreadState64, rsp) == 56 &&
              offsetof(X86ThreadState64, rip) == 128);
struct X86FloatState64 {  // the fxsave image, as mach/i386/_structs.h names it
  int32_t fpu_reserved[2];
  uint16_t fpu_fcw, fpu_fsw;
  uint8_t fpu_ftw, fpu_rsrv1;
  uint16_t fpu_fop;
  uint32_t fpu_ip;
  uint16_t fpu_cs, fpu_rsrv2;
  uint32_t fpu_dp;
  uint16_t fpu_ds, fpu_rsrv3;
  uint32_t fpu_mxcsr, fpu_mxcsrmask;
  uint8_t fpu_stmm[8][16];
  uint8_t fpu_xmm[16][16];
  uint8_t fpu_rsrv4[96];
  int32_t fpu_reserved1;
};
static_assert(sizeof(X86FloatState64) == 524 && offsetof(X86FloatState64, fpu_fcw) == 8 &&
              offsetof(X86FloatState64, fpu_mxcsr) == 32 &&
              offsetof(X86FloatState64, fpu_stmm) == 40 &&
              offsetof(X86FloatState64, fpu_xmm) == 168);
struct X86Mcontext64 {
  X86ExceptionState64 es;
  X86ThreadState64 ss;
  X86FloatState64 fs;
  uint32_t pad_;  // the struct's 8-byte alignment
};
static_assert(sizeof(X86Mcontext64) == 712 && offsetof(X86Mcontext64, ss) == 16 &&
              offsetof(X86Mcontext64, fs) == 184);

// mach/arm/_structs.h, arm/_mcontext.h: __darwin_mcontext64 =
// { __darwin_arm_exception_state64 __es; __darwin_arm_thread_state64 __ss;
//   __darwin_arm_neon_state64 __ns; }
struct ArmExceptionState64 {
  uint64_t far;
  uint32_t esr, exception;
};
static_assert(sizeof(ArmExceptionState64) == 16);
struct ArmThreadState64 {
  uint64_t x[29], fp, lr, sp, pc;
  uint32_t cpsr, pad;
};
static_assert(sizeof(ArmThreadState64) == 272 && offsetof(ArmThreadState64, fp) == 232 &&
              offsetof(ArmThreadState64, lr) == 240 && offsetof(ArmThreadState64, sp) == 248 &&
              offsetof(ArmThreadState64, pc) == 256 && offsetof(ArmThreadState64, cpsr) == 264);
struct alignas(16) ArmNeonState64 {
  uint8_t v[32][16];  // __uint128_t __v[32]
  uint32_t fpsr, fpcr;
};
static_assert(sizeof(ArmNeonState64) == 528 && offsetof(ArmNeonState64, fpsr) == 512);
struct ArmMcontext64 {
  ArmExceptionState64 es;
  ArmThreadState64 ss;
  ArmNeonState64 ns;
};
static_assert(sizeof(ArmMcontext64) == 816 && offsetof(ArmMcontext64, ss) == 16 &&
              offsetof(ArmMcontext64, ns) == 288);

// bsd/dev/arm/unix_signal.c: the arm64 kernel's frame, lowest address first.
struct ArmSigframe64 {
  Siginfo sinfo;
  Ucontext uctx;
  ArmMcontext64 mctx;
};
static_assert(offsetof(ArmSigframe64, uctx) == 104 && offsetof(ArmSigframe64, mctx) == 160 &&
              sizeof(ArmSigframe64) == 976);

// mach-o/loader.h's thread-local variable descriptor (__thread_vars):
// dyld replaces thunk with its tlv_get_addr and key with a pthread key.
struct TlvDescriptor {
  uint64_t thunk, key, offset;
};
static_assert(sizeof(TlvDescriptor) == 24);

}  // namespace sim::darwin
