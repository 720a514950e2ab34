// gort-sim: the Darwin (macOS 11+) model's shared state. A Darwin program
// calls libSystem, never the kernel: every import is bound to one entry of a
// page of stub entries, each a breakpoint instruction the machine reports
// as a fault, and served here with the function's documented semantics.
// os_darwin.cpp loads the image and keeps threads, TSD and thread-local
// variables; os_darwin_calls.cpp and
// os_darwin_pthread.cpp have the functions; os_darwin_signal.cpp
// the signal frames.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "macho.h"
#include "os_darwin_abi.h"
#include "sim.h"

namespace sim::darwin {

// A guest thread as libpthread knows it. pthread_t is the address of the
// model's per-thread block in guest memory; the thread register (gs base on
// x86_64, tpidrro_el0 on arm64) points at its TSD array, whose slot 0 holds
// pthread_t and slot 1 the address of the thread's errno, as on macOS.
struct DThread {
  uint64_t self = 0;  // pthread_t
  uint64_t tsd = 0;   // the TSD array (kTsdSlots words)
  uint64_t errno_addr = 0;
  std::vector<std::pair<uint64_t, uint64_t>> tlv_dtors;  // __tlv_atexit (func, obj)
  // Guest calls still to make before the thread (or the process) ends:
  // thread-local destructors, then pthread key destructors.
  std::deque<std::pair<uint64_t, uint64_t>> exit_calls;
  bool exiting = false, process_exit = false;
  int exit_status = 0;
  // What libpthread allocated for a detached thread and frees as it
  // terminates (its stack, guard included); 0: none, or the caller's stack.
  uint64_t own_stack_lo = 0, own_stack_len = 0;
};

// One end of an in-simulator pipe: reads block in the simulator's scheduler.
struct Pipe {
  std::deque<uint8_t> buf;
  int readers = 1, writers = 1;
};
struct Fd {
  enum Kind { host, pipe_read, pipe_write } kind = host;
  int host_fd = -1;
  std::shared_ptr<Pipe> pipe;
  int fdflags = 0;  // FD_CLOEXEC
  int status = 0;   // O_ flags for F_GETFL
};

class Darwin;
using Fn = std::function<void(Darwin&)>;

class Darwin : public OsModel {
 public:
  const char* name() const override { return "darwin"; }
  void load(Machine& m, const Program& p) override;
  void deliver(Machine& m, Thread& t, const PendingSig& s) override;
  void fault(Machine& m, Fault kind, uint64_t addr) override;

  Machine* m = nullptr;
  uint64_t page = 4096;  // Darwin's VM page: 16 KiB on arm64
  uint64_t slide = 0;
  macho::Image image;
  std::string exe_path;

  // --- the libSystem stub page ---
  uint64_t stub_base = 0;
  std::vector<std::string> stub_names;  // index -> function
  std::vector<Fn> stub_fns;
  std::vector<const char*> stub_fmt;  // how --trace prints the arguments; null: not traced
  std::map<std::string, uint64_t> stub_addr;
  uint64_t stub(const std::string& name) const;  // fatal if the model lacks it
  // fmt: one letter per argument for --trace=syscalls: x hex, s a C string,
  // b a buffer whose length is the next argument.
  uint64_t add_stub(const std::string& name, const char* fmt, Fn fn);
  void on_stub(uint64_t pc);

  // --- the calling convention (SysV x86_64 / Apple arm64) ---
  uint64_t arg(int i);
  // A variadic argument: in registers on x86_64, on the stack on arm64.
  uint64_t vararg(int fixed, int i);
  uint64_t ret_addr();
  void ret(uint64_t v);   // result in rax / x0, back to the caller
  void ret_errno(int e);  // -1 with errno set (the libc convention)
  void set_errno(int e);
  int call_err = 0;  // the errno the current call set (0: none), for --trace
  void call_guest(uint64_t fn, uint64_t a0, uint64_t back);  // start fn(a0), returning to back

  // --- threads, TSD, thread-local variables ---
  DThread& dt(Thread& t) { return *static_cast<DThread*>(t.os_data); }
  DThread& cur() { return dt(m->current()); }
  std::vector<std::unique_ptr<DThread>> dthreads;
  DThread& new_dthread(Thread& t);
  void set_thread_pointer(const DThread& d);
  Thread* thread_of(uint64_t pthread);
  uint32_t next_key = kTsdFirstKey;
  std::map<uint32_t, uint64_t> key_dtor;  // created keys -> destructor (0: none)
  uint32_t tlv_key = 0;
  uint64_t tlv_init_addr = 0, tlv_init_size = 0, tlv_size = 0;
  uint64_t tlv_get_addr(uint64_t desc);
  void finish_thread();  // runs the exit calls, then ends the thread or process

  // --- the image's initialisers, then main (what dyld does before main) ---
  std::deque<uint64_t> inits;               // still to run, in section order
  uint64_t main_sp = 0, main_args[5] = {};  // argc, argv, envp, apple, &ProgramVars
  void next_init_or_main();

  // --- files ---
  std::map<int, Fd> fds;
  int new_fd(Fd f);
  uint64_t pipe_key(const Pipe* p) const;

  // --- signals ---
  void sigreturn();
  uint64_t sigtramp_ret = 0;  // where a handler returns (our _sigtramp's tail)

  // --- tracing (dtruss style: "write(0x1, \"hi\\n\\0\", 0x3) = 3 0") ---
  std::string trace_line(size_t idx);  // the call's name and arguments, before it runs
  void trace_result(const std::string& line, Thread& t);

  void install_calls();         // os_darwin_calls.cpp
  void install_signal_calls();  // os_darwin_signal.cpp
};

// Darwin's errno for a host (Linux) errno.
int errno_from_host(int host_errno);
// The host's signal number for a Darwin one (0 if none).
int host_signal(int darwin_sig);

}  // namespace sim::darwin
