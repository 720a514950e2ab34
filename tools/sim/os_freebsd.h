// gort-sim's FreeBSD model, shared between its parts: os_freebsd.cpp (exec
// and the machine-dependent conventions), os_freebsd_sys.cpp (the system
// calls: dispatch, memory, time, descriptors), os_freebsd_umtx.cpp
// (threads and umtx) and os_freebsd_signal.cpp (signal frames, sigreturn,
// faults). The ABI facts are in os_freebsd_abi.h.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "os_freebsd_abi.h"
#include "sim.h"

namespace sim::fbsd {

constexpr int kPid = 4242;        // the process's (fixed) id
constexpr uint64_t kPage = 4096;  // every FreeBSD target here uses 4 KiB pages
inline uint64_t round_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
inline uint64_t round_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }

// Where the CPU keeps a system call's number, arguments and results, as each
// architecture's cpu_fetch_syscall_args / cpu_set_syscall_retval do it
// (sys/<arch>/<arch>/{trap.c,vm_machdep.c}).
struct SyscallRegs {
  int nr;
  uint64_t a[6];
};
SyscallRegs fetch_syscall(Machine& m);
void set_syscall_ok(Machine& m, uint64_t r0, uint64_t r1 = 0);
void set_syscall_err(Machine& m, int err);

// The machine-dependent layout constants the loader and sendsig use.
struct CpuLayout {
  uint64_t shared_page;  // the kernel's shared page (sigcode lives here)
  uint64_t stack_top;    // USRSTACK: the initial stack grows down from here
  uint64_t hwcap, hwcap2;
};
CpuLayout layout_for(Cpu c);
// The sigcode the kernel copies to the shared page, per CPU: it calls (or is
// returned to by) the handler, then enters sigreturn(&sf_uc).
std::vector<uint8_t> sigcode_for(Cpu c);

// get_mcontext / set_mcontext: the current thread's CPU state to and from
// the arch's mcontext_t. set_mcontext fails (FB_EINVAL) on a context the kernel
// would refuse.
void get_mcontext(Machine& m, mcontext_amd64& mc);
bool set_mcontext(Machine& m, const mcontext_amd64& mc);
void get_mcontext(Machine& m, mcontext_arm64& mc);
bool set_mcontext(Machine& m, const mcontext_arm64& mc);
void get_mcontext(Machine& m, mcontext_riscv64& mc);
bool set_mcontext(Machine& m, const mcontext_riscv64& mc);

// A host-backed descriptor or one end of a simulator pipe.
struct Pipe {
  uint64_t key;  // what readers block on: high bit set, never a guest address
  std::deque<uint8_t> data;
  int readers = 0, writers = 0;
};
struct File {
  int host_fd = -1;  // -1 for a pipe end
  std::shared_ptr<Pipe> pipe;
  bool pipe_write = false;
  bool cloexec = false;
  int status_flags = 0;  // FB_O_NONBLOCK, FB_O_APPEND, access mode
};

class FreeBSD final : public OsModel {
 public:
  const char* name() const override { return "freebsd"; }
  void load(Machine& m, const Program& p) override;
  void deliver(Machine& m, Thread& t, const PendingSig& s) override;
  void fault(Machine& m, Fault kind, uint64_t addr) override;

  // Guest thread ids are the kernel's (100001, ...); the machine's are its own.
  int64_t guest_tid(const Thread& t) const { return kFirstTid + t.tid - 1; }
  Thread* thread_by_guest_tid(Machine& m, int64_t id);

 private:
  void syscall(Machine& m);
  // Each handler returns through ok()/err() or blocks the thread.
  void sys_mmap(Machine& m, const SyscallRegs& r);
  void sys_umtx_op(Machine& m, const SyscallRegs& r);
  void sys_thr_new(Machine& m, const SyscallRegs& r);
  void sys_thr_exit(Machine& m, const SyscallRegs& r);
  void sys_thr_kill(Machine& m, const SyscallRegs& r);
  void sys_sigaction(Machine& m, const SyscallRegs& r);
  void sys_sigprocmask(Machine& m, const SyscallRegs& r);
  void sys_sigaltstack(Machine& m, const SyscallRegs& r);
  void sys_sigreturn(Machine& m, const SyscallRegs& r);
  void sys_clock_gettime(Machine& m, const SyscallRegs& r);
  void sys_nanosleep(Machine& m, const SyscallRegs& r);
  void sys_sysarch(Machine& m, const SyscallRegs& r);
  void sys_cpuset_getaffinity(Machine& m, const SyscallRegs& r);
  void sys_kill(Machine& m, const SyscallRegs& r);
  // Descriptors (os_freebsd_io.cpp).
  void sys_read(Machine& m, const SyscallRegs& r);
  void sys_write(Machine& m, const SyscallRegs& r);
  void sys_openat(Machine& m, int dirfd, uint64_t path, int flags, int mode);
  void sys_close(Machine& m, const SyscallRegs& r);
  void sys_fcntl(Machine& m, const SyscallRegs& r);
  void sys_pipe2(Machine& m, const SyscallRegs& r);
  int alloc_fd();

  // The result of the call in flight: sets the registers and traces it.
  void ok(Machine& m, uint64_t r0, uint64_t r1 = 0);
  void err(Machine& m, int e);
  // Blocks the calling thread on addr until woken or the virtual deadline;
  // done(reason) then finishes the call (through ok/err). A signal the
  // process ignores does not end the wait (tdsendsignal drops it when sent).
  void block(Machine& m, uint64_t addr, uint64_t deadline,
             std::function<void(Machine&, Thread::Wake)> done);
  // After a sleep a signal broke: whether the sleep's error is ERESTART
  // rather than EINTR, i.e. the signal about to be delivered has
  // SA_RESTART (subr_sleepqueue.c: ps_sigintr holds the signals without it).
  bool sa_restart(Machine& m);
  // Drops the pending signals t does not block and the process ignores;
  // whether a signal that ends a sleep remains.
  bool drop_ignored(Machine& m, Thread& t);

  // Signals (os_freebsd_sig.cpp).
  void send_frame(Machine& m, Thread& t, const PendingSig& s, const SigAction& act);
  [[noreturn]] void die(Machine& m, int sig);
  bool on_altstack(Machine& m, const Thread& t);

  std::string call_text_;  // the traced call, "write(1,...)", until its result
  uint64_t sigcode_ = 0;
  int fault_trapno_ = 0;  // the trap number of the fault being delivered, if one
  std::map<int, File> fds_;
  uint64_t next_pipe_key_ = 0;
};

// FreeBSD's signal number -> the host's (Linux) for dying of it.
int host_signal(int fbsd_sig);
// The default action of a signal (kern_sig.c sigproptbl): ignore or kill.
bool default_ignores(int sig);
const char* errno_text(int e);
int errno_from_host(int host_errno);

}  // namespace sim::fbsd
