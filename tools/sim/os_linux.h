// gort-sim's Linux model, shared between its files: the process state
// (files, limits, the brk), the system-call table, the signal frames.
// Facts from the Linux uapi headers: asm/unistd.h (x86-64's own numbers,
// asm-generic/unistd.h for arm64 and riscv64), asm-generic/errno*.h,
// asm/signal.h, asm/sigcontext.h, asm/ucontext.h, linux/futex.h.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "elf.h"
#include "sim.h"

namespace sim::linux_model {

// asm-generic/errno-base.h and errno.h (the same numbers on all three CPUs).
enum Errno : int {
  kEPERM = 1,
  kENOENT = 2,
  kESRCH = 3,
  kEINTR = 4,
  kEIO = 5,
  kEBADF = 9,
  kEAGAIN = 11,
  kENOMEM = 12,
  kEACCES = 13,
  kEFAULT = 14,
  kEEXIST = 17,
  kEINVAL = 22,
  kEMFILE = 24,
  kENOTTY = 25,
  kESPIPE = 29,
  kEPIPE = 32,
  kENOSYS = 38,
  kETIMEDOUT = 110,
};
const char* errno_name(int e);

// asm/signal.h (x86-64, arm64 and riscv64 share the numbers).
enum Sig : int {
  kSIGHUP = 1,
  kSIGINT,
  kSIGQUIT,
  kSIGILL,
  kSIGTRAP,
  kSIGABRT,
  kSIGBUS,
  kSIGFPE,
  kSIGKILL,
  kSIGUSR1,
  kSIGSEGV,
  kSIGUSR2,
  kSIGPIPE,
  kSIGALRM,
  kSIGTERM,
  kSIGSTKFLT,
  kSIGCHLD,
  kSIGCONT,
  kSIGSTOP,
  kSIGTSTP,
  kSIGTTIN,
  kSIGTTOU,
  kSIGURG,
  kSIGXCPU,
  kSIGXFSZ,
  kSIGVTALRM,
  kSIGPROF,
  kSIGWINCH,
  kSIGIO,
  kSIGPWR,
  kSIGSYS,
};
constexpr uint64_t kSA_SIGINFO = 4, kSA_RESTORER = 0x04000000, kSA_ONSTACK = 0x08000000,
                   kSA_RESTART = 0x10000000, kSA_NODEFER = 0x40000000, kSA_RESETHAND = 0x80000000;
constexpr int kSS_ONSTACK = 1, kSS_DISABLE = 2;
// siginfo si_code values (asm-generic/siginfo.h).
constexpr int kSI_USER = 0, kSI_KERNEL = 0x80, kSI_TKILL = -6, kSEGV_MAPERR = 1, kSEGV_ACCERR = 2,
              kILL_ILLOPC = 1, kTRAP_BRKPT = 1;

// An open file description: a host fd, one end of a simulated pipe, or
// bytes the model makes up (/proc files gort reads).
struct Pipe {
  std::string buf;
  int readers = 0, writers = 0;
};
struct File {
  enum Kind { host, pipe_r, pipe_w, memory } kind = host;
  int hostfd = -1;
  std::shared_ptr<Pipe> pipe;
  std::string data;  // memory
  uint64_t off = 0;
  int status_flags = 0;  // kO_NONBLOCK, kO_APPEND... as kF_GETFL reports
  ~File();
};
struct Fd {
  std::shared_ptr<File> file;
  bool cloexec = false;
};

struct Process {
  Machine* m = nullptr;
  Program prog;
  ElfImage image;
  std::map<int, Fd> fds;
  uint64_t brk_lo = 0, brk_cur = 0;
  uint64_t sigtramp = 0;  // the simulator's rt_sigreturn trampoline (no vDSO)
  std::map<int, std::pair<uint64_t, uint64_t>> rlimits;
  int pid = 1;
};

// Syscall registers of the current thread.
uint64_t arg(Machine& m, int i);
void set_result(Machine& m, int64_t v);

// os_linux_signal.cpp
void deliver(Process& p, Machine& m, Thread& t, const PendingSig& s);
void sigreturn(Process& p, Machine& m);
void fault(Process& p, Machine& m, OsModel::Fault kind, uint64_t addr);
bool default_ignored(int sig);
int64_t rt_sigaction(Process& p, Machine& m, int sig, uint64_t act, uint64_t oact,
                     uint64_t setsize);
int64_t rt_sigprocmask(Machine& m, int how, uint64_t set, uint64_t oset, uint64_t setsize);
int64_t sigaltstack(Machine& m, uint64_t ss, uint64_t oss);
// How a wait a signal cut short ends, by the code the kernel's wait
// returns (include/linux/errno.h) and each arch's signal.c
// (arch_do_signal_or_restart, handle_signal): ERESTARTSYS restarts the call
// when the handler has SA_RESTART and is EINTR otherwise; ERESTARTNOHAND
// and ERESTART_RESTARTBLOCK are EINTR whenever a handler runs.
enum class Restart { sys, nohand, restartblock };
// On the resume of a wait a signal broke: drops the pending signals t does
// not block and the process ignores (the kernel discards them when sent,
// so they never end a wait) and returns false if no other is deliverable:
// the caller waits on. Otherwise finishes the call, restarted (pc back over
// the system-call instruction, the argument registers untouched) or with
// -kEINTR, and returns true.
bool interrupted(Machine& m, Thread& t, Restart code);
// The first thread not blocking sig, for a process-directed signal.
void post_process_signal(Process& p, Machine& m, const PendingSig& s);

// os_linux_files.cpp: the fd table's calls. Each returns the result (or
// -errno); a call that must wait blocks the thread and returns kBlocked.
constexpr int64_t kBlocked = INT64_MIN;
int64_t sys_read(Process& p, Machine& m, int fd, uint64_t buf, uint64_t n);
int64_t sys_write(Process& p, Machine& m, int fd, uint64_t buf, uint64_t n);
int64_t sys_openat(Process& p, Machine& m, int dirfd, uint64_t path, int flags);
int64_t sys_close(Process& p, int fd);
int64_t sys_pipe2(Process& p, Machine& m, uint64_t fds, int flags);
int64_t sys_fcntl(Process& p, int fd, int cmd, uint64_t a);
int64_t sys_lseek(Process& p, int fd, int64_t off, int whence);
void init_files(Process& p);

}  // namespace sim::linux_model
