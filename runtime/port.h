// runtime/port.h — THE porting interface.
//
// Every function a port supplies is declared here with a one-line contract.
// The portable core (runtime/*.cpp) reaches arch/ and os/ only through this
// header. A CPU port lives in arch/<arch>/, an OS port in os/<os>/; the
// top-level meson.build finds them (no list of ports). See docs/PORTING.md.
//
// arch_port.h (from arch/<arch>/) supplies small inline functions and constants;
// os_port.h (from os/<os>/) supplies OS constants. Neither includes the other.
// A port includes this header, runtime/asm.h (in its .S files),
// runtime/elf.h (the ELF-64 layouts), its own folder's headers and, for an
// OS port, os/rawsyscall.h (what the OS ports
// that trap into the kernel share); from the core it calls only what the
// section "What a port may call in the core" below declares.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace gort {
// The head a trap-return CPU's arch_preempt_push leaves (kPreemptTrapReturn,
// below): two words just below the red zone, Align-aligned, the interrupted
// pc in word PcWord and the interrupted sp in the other. sp is set to the
// head, so gort_async_preempt finds it there and sp is back at it at the trap,
// where arch_preempt_resume reads both back. The CPUs differ only in the
// alignment their ABI wants of sp and in which word their frame layout makes
// the pc (ppc64le's back chain is the word at sp): the same code for each.
template <uintptr_t Align, unsigned PcWord>
inline void preempt_head_push(uintptr_t* sp, uintptr_t* pc, uintptr_t target, uintptr_t redzone) {
  auto* head = reinterpret_cast<uintptr_t*>((*sp - redzone - 16) & ~(Align - 1));
  head[PcWord] = *pc;
  head[1 - PcWord] = *sp;
  *sp = uintptr_t(head);
  *pc = target;
}
template <unsigned PcWord>
inline void preempt_head_resume(uintptr_t* sp, uintptr_t* pc) {
  const auto* head = reinterpret_cast<const uintptr_t*>(*sp);
  *pc = head[PcWord];
  *sp = head[1 - PcWord];
}
}  // namespace gort

#include "arch_port.h"
#include "os_port.h"

namespace gort {

// ---- What a port may call in the core.
// Prints "fatal error: msg" with the goroutine's traceback, exits 2 (Go's
// throw). For a kernel call that must not fail and did.
[[noreturn]] void fatal(const char* msg);

// ---- What the OS hands a process at entry, in portable form (filled by
// os_sysargs from the OS's own auxiliary vector).
struct AuxInfo {
  uintptr_t pagesize = 0;             // AT_PAGESZ or the OS's equivalent; 0 if absent
  const uint8_t* random16 = nullptr;  // 16 random bytes from the kernel, or null
  uint64_t hwcap = 0, hwcap2 = 0;     // CPU feature words where the OS gives them
  bool secure = false;                // setuid/setgid start (AT_SECURE, issetugid)
  const char* execfn = nullptr;       // path the kernel executed, if known
};

// ---- CPU features, filled by arch_cpuinit. The core reads only these names.
struct CpuFeatures {
  bool aes = false;      // AES round instructions (amd64 AES-NI, arm64 FEAT_AES, riscv Zkn)
  bool crc32 = false;    // CRC32 instructions
  bool atomics = false;  // single-instruction atomics (arm64 LSE; always on amd64)
  bool vector = false;   // wide vectors beyond the ABI baseline (AVX2, SVE, RVV)
  bool fma = false;      // fused multiply-add
};

// gort's per-thread block, at kTlsBlockOffset from the thread pointer (one
// load from tp reaches g). `self` comes first: on amd64 the block is the ELF
// TLS ABI's thread control block, whose first word is tp itself (%fs:0).
//
// Around tp also lies the program's static TLS (C++ thread_local), where the
// arch's ELF TLS ABI puts it (arch_port.h, runtime/tls.cpp):
//   variant II (amd64):  [TLS data][TlsBlock]     data ends at tp, block at tp
//   variant I (arm64):   [TlsBlock][TCB 16][pad][TLS data]   data at tp + round_up(16, align)
//   variant I (riscv64): [TlsBlock][TLS data]     data at tp
//   variant I (ppc64le): [TlsBlock][TLS data]     data at tp - kTlsTpOffset (0x7000)
// The TLS data's start is aligned to the TLS segment's p_align (so is tp
// where kTlsTpOffset is 0).
struct TlsBlock {
  TlsBlock* self;
  void* g;  // current goroutine (g*)
  void* m;  // current OS thread (m*)
  void* pad_;
};
// An arch whose variant I thread pointer sits past the TLS data's start
// (POWER: 0x7000, so 16-bit signed offsets reach 64 KiB of it) defines
// GORT_ARCH_TLS_TP_OFFSET and kTlsTpOffset in arch_port.h; elsewhere 0.
#if !defined(GORT_ARCH_TLS_TP_OFFSET)
inline constexpr intptr_t kTlsTpOffset = 0;
#endif
static_assert(sizeof(TlsBlock) == 32, "arch_port.h's kTlsBlockOffset assumes 32 bytes");
static_assert(kTlsVariant == 2 ? kTlsBlockOffset == 0 : kTlsBlockOffset == -32 - kTlsTpOffset,
              "the TlsBlock sits at tp (variant II) or just below the TLS data (variant I)");

// Memory protections for os_mmap; the same bit values on every supported OS.
inline constexpr int kProtNone = 0;
inline constexpr int kProtRead = 1;
inline constexpr int kProtWrite = 2;

using SigHandler = void (*)(int sig, void* info, void* ucontext);
using ThreadStart = void (*)(void* arg);

// ======================= arch/<arch>/ =======================
// (inline, from arch_port.h)
//   const char kArchName[]              "amd64", "arm64", "riscv64"
//   void* arch_gettp()                   current thread pointer
//   void* arch_tls_load<Off>()           the word at thread pointer + Off, read so that
//                                        a preemption cannot split finding the thread
//                                        pointer from loading through it (one
//                                        instruction, or a re-check of the pointer)
//   kTlsVariant, kTlsTcbSize             the ELF TLS ABI's layout around tp
//   (kTlsTpOffset)                       variant I: tp's bias past the data (POWER)
//   kTlsBlockOffset                      where gort's TlsBlock lies from tp (TlsBlock)
//   bool arch_settp(void* tp)            set the thread pointer from user mode;
//                                        false if this CPU needs the OS for it
//   void arch_procyield(uint32_t n)      spin-wait hint, n times
//   uint64_t arch_cputicks()             a fast, per-CPU cycle-ish counter
//   uintptr_t arch_frame_next(fp, &pc)   one step up the frame-pointer chain:
//                                        the return address and the caller's fp
//   void arch_ctx_frame(sp, &fp, &pc)    fp and pc of a context gort_swapctx saved
//   uintptr_t kArchRedZone               bytes below sp the arch's ABI lets code use
//   bool kPreemptTrapReturn              gort_async_preempt returns through a trap
//                                        (gort_async_preempt_trap, SIGILL) that
//                                        sigreturn completes, not a ret
//   void arch_preempt_push(&sp, &pc, target, redzone) make an interrupted context
//                                        run target below its red zone, with the
//                                        frame head gort_async_preempt expects;
//                                        changes no other register
//   void arch_preempt_frame(fp, &pc, &fp, &lr) the interrupted pc, frame pointer
//                                        and link register (0 where none) saved in
//                                        gort_async_preempt's frame whose fp is fp
//   void arch_preempt_resume(&sp, &pc)   at gort_async_preempt_trap: set sp and pc
//                                        to the interrupted ones the frame head at
//                                        sp holds (trap-return arches only; both
//                                        are preempt_head_push/_resume above)
//   bool arch_leaf_candidate(fp, lr, lo, hi, &next_fp)
//                                        an interrupted function may be a leaf
//                                        whose caller is at lr; walk on from next_fp
//   (atomics: see runtime/atomic.h, which an arch may override)
//   (GORT_ARCH_SPILL_CALLEE_SAVED())    optional macro: make the calling function save
//                                        every callee-saved register in its frame,
//                                        below its frame record (default
//                                        __builtin_unwind_init())
//
// (out of line, arch/<arch>/*.cpp and asm_<arch>.S)
// Detect CPU features; may use the OS's hwcap words (arm64, riscv64).
void arch_cpuinit(const AuxInfo& aux, CpuFeatures* out);
// Build a fresh context on [.., stack_hi) that calls fn(arg) when first switched
// to; returns the saved stack pointer to pass to gort_swapctx. fn must not return.
void* arch_makectx(void* stack_hi, void (*fn)(void*), void* arg);
extern "C" {
// Save callee-saved integer and FP registers on the current stack, store the
// stack pointer in *save_sp, then resume the context whose saved sp is new_sp.
void gort_swapctx(void** save_sp, void* new_sp);
// First code of a fresh context (asm): calls fn(arg) as arch_makectx left them.
void gort_ctxstart();
// Async preemption trampoline (asm): saves every register, calls
// gort_async_preempt2(), restores them and resumes the interrupted code.
// Entered through arch_preempt_push from a signal handler.
void gort_async_preempt();
// Labels inside it: the return address of its call (a traceback that meets it
// reads the interrupted frame with arch_preempt_frame), the trap it returns
// through where kPreemptTrapReturn, and its end.
extern const char gort_async_preempt_ret[], gort_async_preempt_trap[], gort_async_preempt_end[];
}
// Bytes of stack gort_async_preempt's own frame takes for the register state
// this CPU has enabled (after arch_cpuinit).
uintptr_t arch_preempt_frame_size();

// ======================= os/<os>/ =======================
// Kernel entry (rt0_<os>_<arch>.S) calls rt0_go(argc, argv) on the initial stack.
// Walk envp to the auxiliary vector and fill *aux (SYSARGS stage).
void os_sysargs(int argc, char** argv, AuxInfo* aux);
// OS init: number of usable CPUs (affinity mask) and the physical page size.
void os_init(const AuxInfo& aux, int32_t* ncpu, uintptr_t* pagesize);
// Write up to n bytes to fd; returns bytes written or -errno.
long os_write(int fd, const void* p, size_t n);
// Read up to n bytes from fd; returns bytes read or -errno.
long os_read(int fd, void* p, size_t n);
// Open an existing file read-only, or read-write if write; returns fd or -errno.
int os_open(const char* path, bool write);
// True if fd is an open descriptor.
bool os_fd_valid(int fd);
// A pipe: fds[0] reads, fds[1] writes (both close-on-exec). 0 or -errno.
int os_pipe(int fds[2]);
// Closes fd; 0 or -errno.
int os_close(int fd);
// End the process with status code; never returns.
[[noreturn]] void os_exit(int code);
// End the calling thread; store 0 to *wait (if non-null) once its stack is unused.
[[noreturn]] void os_exitthread(uint32_t* wait);
// Map n bytes of zeroed anonymous private memory; prot: kProtRead|kProtWrite or
// kProtNone (reserve). Returns nullptr on failure.
void* os_mmap(void* hint, size_t n, int prot);
// Commit [p, p+n), page-aligned inside a kProtNone reservation, as zeroed
// read-write memory (Go's sysMap). False if the OS refuses (out of memory).
bool os_sysmap(void* p, size_t n);
// Make [p, p+n) (page-aligned, mapped) inaccessible: a guard page.
bool os_guard(void* p, size_t n);
// Unmap [p, p+n).
void os_munmap(void* p, size_t n);
// Tell the kernel [p, p+n) is unused; it may drop the pages (reads give zero or
// old contents; Go's sysUnused).
void os_madvise_free(void* p, size_t n);
// Start an OS thread running fn(arg) on [stack, stack+size) whose thread pointer
// is tp. Returns 0 or -errno.
int os_newthread(void* stack, size_t size, void* tp, ThreadStart fn, void* arg);
// Set the calling thread's thread pointer to tp (TLS stage).
void os_settls(void* tp);
// Sleep while *addr == val, at most ns nanoseconds (ns < 0: no limit). May wake
// spuriously. Go's futexsleep.
void os_futexsleep(uint32_t* addr, uint32_t val, int64_t ns);
// Wake up to cnt threads sleeping on addr. Go's futexwakeup.
void os_futexwakeup(uint32_t* addr, uint32_t cnt);
// Monotonic clock in nanoseconds.
int64_t os_nanotime();
// CPU time the whole process has used, user and system, ns (the tests
// check that idle waiting costs none).
int64_t os_cputime();
// Wall clock: seconds and nanoseconds since the Unix epoch.
void os_walltime(int64_t* sec, int32_t* nsec);
// Fill buf with n random bytes from the kernel; returns bytes filled.
size_t os_getrandom(void* buf, size_t n);
// Install handler for sig with SA_SIGINFO|SA_ONSTACK|SA_RESTART, all signals
// blocked while it runs; a null handler restores the default action.
// Returns 0 or -errno.
int os_setsig(int sig, SigHandler h);
// Use [base, base+size) as the calling thread's alternate signal stack.
int os_sigaltstack(void* base, size_t size);
// Unblocks every signal for the calling thread (each M at its start, as Go's
// minitSignalMask: a thread inherits its creator's mask, and under QEMU user
// mode a new thread was seen to start with signals it never received).
// 0 or -errno.
int os_sigunblock();
// Send sig to the calling thread.
int os_raise(int sig);
// The faulting address a SIGSEGV/SIGBUS handler's siginfo carries.
void* os_sigaddr(const void* info);
// The siginfo's si_code (why the signal was sent).
int os_sigcode(const void* info);
// The calling thread's OS id, for os_signal_thread.
uintptr_t os_thread_self();
// Sends sig to the thread with that id (in this process). 0 or -errno.
int os_signal_thread(uintptr_t tid, int sig);
// Where the handler's ucontext keeps the interrupted sp and pc (to change them).
void os_sigctx_sp_pc(void* uctx, uintptr_t** sp, uintptr_t** pc);
// The frame pointer, pc and link register (0 where the CPU has none) of the
// code a signal interrupted, from the handler's ucontext (OS and arch layout).
void os_sigctx_frame(const void* uctx, uintptr_t* fp, uintptr_t* pc, uintptr_t* lr);

// Bytes below sp that code may use without moving sp: a signal handler that
// pushes onto an interrupted stack starts below them (SysV amd64 and Darwin
// arm64: 128; Linux and FreeBSD arm64, riscv64: 0).
inline constexpr uintptr_t kRedZone = kArchRedZone > kOSRedZone ? kArchRedZone : kOSRedZone;

// The thread pointer as the core reads it: through the CPU register, unless
// the OS owns that register and defines GORT_OS_GETTP (Darwin: pthread TLS).
// Null on a thread whose thread pointer gort has not set.
#if defined(GORT_OS_GETTP)
void* os_gettp();
inline void* port_gettp() { return os_gettp(); }
// The word Off bytes into the TlsBlock: found through the OS, then the
// thread checked again (a goroutine preempted in between is on another).
template <uintptr_t Off>
inline void* port_tls_load() {
  for (;;) {
    void* t = os_gettp();
    void* v = *reinterpret_cast<void* const*>(static_cast<char*>(t) + kTlsBlockOffset + Off);
    asm volatile("" : : "r"(v) : "memory");
    if (os_gettp() == t) return v;
  }
}
#else
inline void* port_gettp() { return arch_gettp(); }
// The word Off bytes into the TlsBlock, in one read no preemption can split.
template <uintptr_t Off>
inline void* port_tls_load() {
  return arch_tls_load<kTlsBlockOffset + intptr_t(Off)>();
}
#endif
// The calling thread's TlsBlock (only once its thread pointer is set).
inline TlsBlock* port_gettls() {
  return reinterpret_cast<TlsBlock*>(static_cast<char*>(port_gettp()) + kTlsBlockOffset);
}

}  // namespace gort
