// gort-sim: the contract between the simulator's machine (the emulated CPU,
// memory, guest threads, virtual clock and signal state, machine.cpp) and
// the OS models (os_linux.cpp, os_freebsd.cpp, os_darwin.cpp), which load a
// binary and give its system calls or libSystem functions their meaning.
//
// gort-sim is a hosted C++20 program (std library, exceptions allowed) on
// top of Unicorn 2. Everything the guest sees is deterministic for a given
// seed: time is virtual, random bytes come from the seed, guest threads run
// one at a time on the host thread, switched after a seeded number of guest
// instructions. Nothing here reads the host clock.
#pragma once

#include <unicorn/unicorn.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sim {

enum class Cpu { amd64, arm64, riscv64 };
const char* cpu_name(Cpu c);

// A fatal simulator condition (an unknown system call, a malformed binary,
// an impossible request): main prints "gort-sim: <what>" and exits 125, a
// status no guest test expects. Outside the emulator (loading, unit tests)
// fatal throws Fatal; inside a Unicorn hook, where no exception may cross
// the emulator's C and generated frames, it prints and exits 125 itself.
struct Fatal {
  std::string what;
};
[[noreturn]] void fatal(const std::string& what);
constexpr int kFatalStatus = 125;

// Guest memory protections (the OS models translate their PROT_ bits).
enum Prot : unsigned { kProtNone = 0, kRead = 1, kWrite = 2, kExec = 4 };

// What the guest's signal state needs, in the guest OS's own numbering; the
// machine keeps it, the OS model interprets it.
struct SigAction {
  uint64_t handler = 0;   // 0 = SIG_DFL, 1 = SIG_IGN (the OS model maps its values)
  uint64_t flags = 0;     // the OS's SA_ bits, as the guest set them
  uint64_t mask = 0;      // bit (sig-1)
  uint64_t restorer = 0;  // Linux SA_RESTORER; Darwin's trampoline argument
};
struct AltStack {
  uint64_t sp = 0, size = 0;
  bool enabled = false;
};
// A signal waiting for delivery, with what its siginfo says.
struct PendingSig {
  int sig = 0;
  int code = 0;       // si_code in the OS's numbering
  uint64_t addr = 0;  // si_addr for faults
  int from_tid = 0;   // si_pid/si_uid are filled by the model
};

enum class ThreadState { runnable, blocked, exited };

struct Thread {
  int tid = 0;
  ThreadState state = ThreadState::runnable;
  uc_context* ctx = nullptr;  // saved CPU state while not running
  uint64_t fcsr = 0;          // riscv64: fcsr, which uc_context_save leaves out (machine.cpp)
  // While blocked: the address waited on (0 for a pure sleep) and the
  // virtual deadline (UINT64_MAX: none). wake_reason says why it resumed.
  uint64_t wait_addr = 0, deadline = UINT64_MAX;
  enum class Wake { none, woken, timeout, signal } wake_reason = Wake::none;
  // Called when the thread resumes after a block (woken, timed out or
  // interrupted), to set the syscall's result registers. Cleared after use.
  std::function<void(Thread&)> on_resume;
  uint64_t sigmask = 0;  // blocked signals, bit (sig-1)
  std::vector<PendingSig> pending;
  AltStack altstack;
  bool on_altstack = false;  // the OS model tracks it for SS_ONSTACK
  uint64_t clear_tid = 0;    // Linux CLONE_CHILD_CLEARTID / FreeBSD thr_exit state word
  void* os_data = nullptr;   // the OS model's per-thread state, if any
  uint64_t insns = 0;        // guest instructions this thread has run
  uint64_t wait_seq = 0;     // FIFO order of waiters on one address
  std::string wait_what;     // what the thread waits for, for the deadlock report
};

class OsModel;

// The machine: one Unicorn engine, shared memory, guest threads as saved
// contexts. All methods act on the current thread unless they take one.
class Machine {
 public:
  Machine(Cpu cpu, uint64_t page_size, uint64_t seed, uint64_t quantum);
  ~Machine();
  Cpu cpu() const { return cpu_; }
  uc_engine* uc() { return uc_; }
  uint64_t page_size() const { return page_; }
  int ncpu = 4;  // CPUs the OS reports (--ncpu)

  // Where map_anywhere places mappings: top-down below hi, above lo (the
  // OS model sets it from its address-space layout).
  void set_mmap_area(uint64_t lo, uint64_t hi);

  // --- memory (addresses and lengths in multiples of page_size()) ---
  void map(uint64_t addr, uint64_t len, unsigned prot);  // fixed, replaces
  // Finds room for len bytes (hint first if free) and maps it; 0 if none.
  uint64_t map_anywhere(uint64_t hint, uint64_t len, unsigned prot);
  void unmap(uint64_t addr, uint64_t len);
  // Anonymous pages read as zero again (Linux MADV_DONTNEED, FreeBSD
  // MADV_FREE as the guest may observe it); protections are kept.
  void discard(uint64_t addr, uint64_t len);
  unsigned prot_of(uint64_t addr) const;  // kProtNone if unmapped too
  // The mappings, address order, neighbours of one protection merged (what
  // Linux's /proc/self/maps shows of anonymous memory).
  struct Mapping {
    uint64_t lo, hi;
    unsigned prot;
  };
  std::vector<Mapping> mappings() const;
  bool protect(uint64_t addr, uint64_t len, unsigned prot);  // false: unmapped
  bool is_mapped(uint64_t addr, uint64_t len) const;
  bool read(uint64_t addr, void* out, uint64_t n);
  bool write(uint64_t addr, const void* in, uint64_t n);  // ignores protection
  uint64_t read_u64(uint64_t addr);                       // fatal if unmapped
  uint32_t read_u32(uint64_t addr);
  void write_u64(uint64_t addr, uint64_t v);
  void write_u32(uint64_t addr, uint32_t v);
  std::string read_cstr(uint64_t addr, uint64_t max = 4096);
  // Whether addr..addr+n is mapped with at least prot (a system call's
  // EFAULT check: the kernel honours protections, read/write do not).
  bool accessible(uint64_t addr, uint64_t n, unsigned prot) const;

  // --- registers of the current thread (Unicorn register ids) ---
  uint64_t reg(int id);
  void set_reg(int id, uint64_t v);
  uint64_t pc();
  void set_pc(uint64_t v);
  uint64_t sp();
  void set_sp(uint64_t v);

  // --- threads ---
  Thread& current() { return *cur_; }
  // A new runnable thread whose CPU state is a copy of the current thread's;
  // setup adjusts it (pc, sp, return registers, TLS) before it first runs.
  Thread& spawn(const std::function<void(Machine&, Thread&)>& setup);
  // Blocks the current thread until wake(addr) or the virtual deadline.
  // The syscall returns to the run loop, which switches threads.
  void block(uint64_t addr, uint64_t deadline, std::function<void(Thread&)> on_resume);
  int wake(uint64_t addr, int n);  // wakes up to n waiters on addr, returns how many
  void exit_thread();              // the current thread ends
  [[noreturn]] void exit_process(int status);
  // The guest ended because of a signal: the simulator dies of it too.
  [[noreturn]] void die_of_signal(int host_sig);
  Thread* thread(int tid);
  std::vector<std::unique_ptr<Thread>>& threads() { return threads_; }
  // Stop the current quantum after this hook returns (a block, an exit, a
  // new signal for another thread): the run loop then reschedules.
  void yield_now();
  // Makes a blocked thread runnable with why (woken, timeout, signal).
  void unblock(Thread& t, Thread::Wake why);
  // The lowest-numbered pending signal t does not block, or 0.
  int deliverable(const Thread& t) const;

  // --- time and randomness (virtual, seeded) ---
  uint64_t now_ns() const { return clock_ns_; }  // monotonic, starts at 0
  uint64_t wall_ns() const;                      // a fixed epoch + now_ns()
  void random_bytes(void* out, uint64_t n);      // the seed's stream
  uint64_t cpu_ns(const Thread& t) const;        // instructions run, as time

  // --- signals: the machine queues, the OS model builds frames ---
  SigAction sigactions[65];
  void post_signal(Thread& t, const PendingSig& s);  // thread-directed

  // --- hooks the OS model installs ---
  // Called on the guest's system-call instruction (syscall / svc / ecall)
  // with pc already past it.
  std::function<void(Machine&)> on_syscall;
  // Called when the guest executes an address in [lo, hi): Darwin's
  // libSystem entry points. The handler sets the result and the return pc.
  void add_code_range(uint64_t lo, uint64_t hi, std::function<void(Machine&, uint64_t pc)> fn);
  // Called before a thread resumes with deliverable signals pending, and on
  // faults (SIGSEGV, SIGBUS, SIGILL, SIGTRAP) the machine detects.
  OsModel* os = nullptr;

  // --- tracing ---
  bool trace_syscalls = false;
  bool stats = false;  // --stats: instructions, host time and switches at exit, to stderr
  void trace(const std::string& line);  // "[tid] line" to stderr
  // Guest instructions run so far (all threads) and context switches.
  uint64_t insns_total() const;
  uint64_t switches() const;
  void print_stats();

  // Runs until the process exits; returns the exit status.
  int run();
  // Ends run() with status once the current hook returns, without exiting
  // the host process (the unit tests' exit; models use exit_process).
  void halt(int status);

 private:
  Cpu cpu_;
  void save_ctx(Thread& t);     // the current CPU state into t
  void restore_ctx(Thread& t);  // t's saved state into the CPU
  uc_engine* uc_ = nullptr;
  uint64_t page_, seed_, quantum_, clock_ns_ = 0;
  Thread* cur_ = nullptr;
  std::vector<std::unique_ptr<Thread>> threads_;
  friend struct MachineImpl;
  bool emulate_counter();  // riscv64 rdtime, which Unicorn traps
  struct MachineImpl* impl_ = nullptr;
};

// A system call's copy of its user buffer, as every kernel's copyin and
// copyout: false (the call's EFAULT) unless the whole range is readable
// (writable) by the process. Machine::read and write ignore protections:
// they are the kernel's own access, as when it writes a signal frame.
inline bool copy_in(Machine& m, uint64_t addr, void* out, uint64_t n) {
  return m.accessible(addr, n, kRead) && m.read(addr, out, n);
}
inline bool copy_out(Machine& m, uint64_t addr, const void* in, uint64_t n) {
  return m.accessible(addr, n, kWrite) && m.write(addr, in, n);
}

// The arguments the guest starts with.
struct Program {
  std::string path;               // the host path of the binary
  std::vector<std::string> argv;  // argv[0] is the path as given
  std::vector<std::string> envp;
  uint64_t slide = 0;  // Darwin: load the image this far above its preferred address
};

// An OS model: loads the binary and sets up the first thread as the OS's
// kernel (or dyld) would, then serves its calls and signals.
class OsModel {
 public:
  virtual ~OsModel() = default;
  virtual const char* name() const = 0;
  virtual void load(Machine& m, const Program& p) = 0;
  // Deliver one signal to the current thread: build the OS's frame (on the
  // alternate stack if SA_ONSTACK and enabled), point pc at the handler.
  // Default actions (terminate, ignore) are the model's too.
  virtual void deliver(Machine& m, Thread& t, const PendingSig& s) = 0;
  // A fault the machine saw at pc (kind: the OS-neutral name). divide: an
  // integer division by zero (amd64 #DE; arm64 and riscv64 do not trap).
  enum class Fault { unmapped, protection, illegal, breakpoint, divide };
  virtual void fault(Machine& m, Fault kind, uint64_t addr) = 0;
};

// Which OS and CPU a binary is for: ELF (OS from the brand note or
// EI_OSABI) or Mach-O. Fatal if neither.
struct BinaryKind {
  std::string os;  // "linux", "freebsd", "darwin"
  Cpu cpu;
};
BinaryKind identify(const std::vector<uint8_t>& file);
std::vector<uint8_t> read_file(const std::string& path);

std::unique_ptr<OsModel> make_linux();
std::unique_ptr<OsModel> make_freebsd();
std::unique_ptr<OsModel> make_darwin();

}  // namespace sim
