// gort-sim's machine: one Unicorn engine, guest memory bookkeeping, guest
// threads as saved contexts, the seeded scheduler and the virtual clock.
//
// Unicorn 2.0.1's behaviour, as measured (tests/machine_test.cpp pins it):
// - x86-64 `syscall`: the UC_HOOK_INSN hook sees rip AT the instruction and
//   Unicorn adds 2 after the hook returns, also to a rip the hook wrote. The
//   hook below shows the model rip past the instruction and takes the 2
//   back off whatever the model leaves.
// - arm64 `svc`: UC_HOOK_INTR intno 2 (EXCP_SWI), pc past the instruction.
//   `brk`: intno 7 (EXCP_BKPT), `udf`: intno 1 (EXCP_UDEF), pc at it.
// - riscv64 `ecall`: UC_HOOK_INTR intno 8 (U-mode ecall), pc past it.
//   An illegal instruction is intno 2 with pc 4 past its start whatever
//   its length (c.unimp is 2 bytes): the instruction is at pc-4. `ebreak`
//   comes as an invalid instruction (UC_HOOK_INSN_INVALID) with pc at it.
// - x86-64 `int3`: intno 3, pc past it; `ud2`: invalid instruction, pc at it.
// - Memory faults (UC_HOOK_MEM_*_UNMAPPED / *_PROT): a fetch fault's pc is
//   the fetched address; a data access's is its translation block's first
//   instruction, which faultpc.cpp moves to the faulting one.
// - x86-64 starts with CR4 = 0: fxsave64/fxrstor64 then skip XMM0-15.
// - uc_context_save/restore carry fs_base, tpidr_el0 and tp (the thread
//   pointers), and the FP/vector state.
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "machine_impl.h"

namespace sim {

namespace {
constexpr uint64_t kEpochNs = 1767225600ull * 1000000000ull;  // 2026-01-01T00:00:00Z
bool g_in_emu = false;

uint64_t splitmix(uint64_t& s) {
  uint64_t z = (s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

const char* cpu_name(Cpu c) {
  switch (c) {
    case Cpu::amd64: return "amd64";
    case Cpu::arm64: return "arm64";
    case Cpu::riscv64: return "riscv64";
  }
  return "?";
}

void fatal(const std::string& what) {
  if (!g_in_emu) throw Fatal{what};
  std::string line = "gort-sim: " + what + "\n";
  fflush(stdout);
  ssize_t r = ::write(2, line.data(), line.size());
  (void)r;
  _exit(kFatalStatus);
}

// ---- hooks (inside uc_emu_start: no exceptions may leave them) ----

namespace {
void hook_block(uc_engine*, uint64_t addr, uint32_t size, void* user) {
  auto* im = static_cast<MachineImpl*>(user);
  uint32_t n = im->count_insns(addr, size);
  im->m.current().insns += n;
  im->total += n;
  im->tick(n);
  im->left -= n;
  if (im->left <= 0) im->m.yield_now();
}

void after_syscall(Machine& m) {
  Thread& t = m.current();
  if (t.state == ThreadState::runnable && m.deliverable(t) != 0 && m.os) {
    int sig = m.deliverable(t);
    for (auto it = t.pending.begin(); it != t.pending.end(); ++it) {
      if (it->sig == sig) {
        PendingSig s = *it;
        t.pending.erase(it);
        m.os->deliver(m, t, s);
        break;
      }
    }
  }
}

void hook_syscall_x86(uc_engine*, void* user) {
  auto* im = static_cast<MachineImpl*>(user);
  Machine& m = im->m;
  m.set_pc(m.pc() + 2);
  m.on_syscall(m);
  after_syscall(m);
  m.set_pc(m.pc() - 2);
}

void hook_intr(uc_engine*, uint32_t intno, void* user) {
  auto* im = static_cast<MachineImpl*>(user);
  Machine& m = im->m;
  bool is_syscall =
      (m.cpu() == Cpu::arm64 && intno == 2) || (m.cpu() == Cpu::riscv64 && intno == 8);
  if (is_syscall) {
    m.on_syscall(m);
    after_syscall(m);
    return;
  }
  uint64_t pc = m.pc();
  if (m.cpu() == Cpu::amd64 && intno == 3) {
    im->stop = Stop::breakpoint;
    m.set_pc(pc - 1);  // int3 is one byte, pc was past it
  } else if (m.cpu() == Cpu::amd64 && intno == 0) {
    im->stop = Stop::divide;  // #DE is a fault: pc is at the division
  } else if (m.cpu() == Cpu::arm64 && intno == 7) {
    im->stop = Stop::breakpoint;
  } else if (m.cpu() == Cpu::arm64 && intno == 1) {
    im->stop = Stop::illegal;
  } else if (m.cpu() == Cpu::riscv64 && intno == 2) {
    im->stop = Stop::illegal;
    m.set_pc(pc - 4);
  } else {
    fatal("unexpected CPU exception " + std::to_string(intno) + " at pc " + std::to_string(pc));
  }
  m.yield_now();
}

bool hook_invalid(uc_engine*, void* user) {
  auto* im = static_cast<MachineImpl*>(user);
  Machine& m = im->m;
  im->stop = Stop::illegal;
  if (m.cpu() == Cpu::riscv64) {
    uint32_t w = 0;
    m.read(m.pc(), &w, 4);
    if (w == 0x00100073 || (w & 0xffff) == 0x9002) im->stop = Stop::breakpoint;  // ebreak, c.ebreak
  }
  return false;
}

bool hook_mem(uc_engine*, uc_mem_type type, uint64_t addr, int, int64_t, void* user) {
  auto* im = static_cast<MachineImpl*>(user);
  im->stop = Stop::fault;
  im->fault_addr = addr;
  bool prot = type == UC_MEM_READ_PROT || type == UC_MEM_WRITE_PROT || type == UC_MEM_FETCH_PROT;
  // A fresh PROT_NONE reservation is unbacked: still a protection fault.
  if (!prot && im->m.is_mapped(addr & ~(kUcPage - 1), 1)) prot = true;
  im->fault_kind = prot ? OsModel::Fault::protection : OsModel::Fault::unmapped;
  // A fetch fault's pc is already the fetched address; a data access's is
  // its block's first until restored.
  bool fetch = type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT;
  im->fault_at = !fetch && im->fault_pc.restore(im->m) ? im->m.pc() : 0;
  return false;
}

void hook_code_range(uc_engine*, uint64_t addr, uint32_t, void* user) {
  auto* im = static_cast<MachineImpl*>(user);
  for (auto& r : im->code_ranges) {
    if (addr >= r.lo && addr < r.hi) {
      r.fn(im->m, addr);
      im->m.yield_now();  // the handler moved pc: restart there
      return;
    }
  }
}
}  // namespace

// ---- the machine ----

Machine::Machine(Cpu cpu, uint64_t page_size, uint64_t seed, uint64_t quantum)
    : cpu_(cpu), page_(page_size), seed_(seed), quantum_(quantum ? quantum : 1) {
  impl_ = new MachineImpl(*this);
  impl_->sched_rng = seed * 2 + 1;
  impl_->data_rng = seed * 2 + 2;
  uc_arch arch = cpu == Cpu::amd64   ? UC_ARCH_X86
                 : cpu == Cpu::arm64 ? UC_ARCH_ARM64
                                     : UC_ARCH_RISCV;
  uc_mode mode = cpu == Cpu::amd64 ? UC_MODE_64 : cpu == Cpu::arm64 ? UC_MODE_ARM : UC_MODE_RISCV64;
  check(uc_open(arch, mode, &uc_), "open");
  // Apple's arm64 CPUs have ARMv8.1 atomics (LSE), which clang emits for
  // Darwin binaries: the "max" model has them.
  if (cpu == Cpu::arm64) check(uc_ctl_set_cpu_model(uc_, UC_CPU_ARM64_MAX), "cpu model");
  ZydisDecoderInit(&impl_->zydis, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
  auto* im = impl_;
  auto add = [&](int type, void* cb, uint64_t lo, uint64_t hi) {
    uc_hook h;
    check(uc_hook_add(uc_, &h, type, cb, im, lo, hi), "hook");
    im->hooks.push_back(h);
  };
  add(UC_HOOK_BLOCK, reinterpret_cast<void*>(hook_block), 1, 0);
  add(UC_HOOK_INTR, reinterpret_cast<void*>(hook_intr), 1, 0);
  add(UC_HOOK_INSN_INVALID, reinterpret_cast<void*>(hook_invalid), 1, 0);
  add(UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT, reinterpret_cast<void*>(hook_mem), 1, 0);
  if (cpu == Cpu::amd64) {
    uc_hook h;
    check(uc_hook_add(uc_, &h, UC_HOOK_INSN, reinterpret_cast<void*>(hook_syscall_x86), im, 1, 0,
                      UC_X86_INS_SYSCALL),
          "hook syscall");
    im->hooks.push_back(h);
  }
  if (cpu == Cpu::amd64) {
    // CR4 starts 0: without OSFXSR, fxsave/fxrstor skip the XMM registers
    // (a runtime saving them across preemption loses them). Linux sets it,
    // and OSXMMEXCPT.
    set_reg(UC_X86_REG_CR4, reg(UC_X86_REG_CR4) | (1u << 9) | (1u << 10));
  }
  if (cpu == Cpu::riscv64) {
    // The FPU starts off (mstatus.FS = 0); a Linux process runs with it on.
    uint64_t mstatus = 0;
    uc_reg_read(uc_, UC_RISCV_REG_MSTATUS, &mstatus);
    mstatus |= 3ull << 13;  // FS = dirty
    uc_reg_write(uc_, UC_RISCV_REG_MSTATUS, &mstatus);
  }
  auto t = std::make_unique<Thread>();
  t->tid = 1;
  check(uc_context_alloc(uc_, &t->ctx), "context");
  cur_ = t.get();
  threads_.push_back(std::move(t));
}

Machine::~Machine() {
  for (auto& t : threads_)
    if (t->ctx) uc_context_free(t->ctx);
  uc_close(uc_);
  delete impl_;
}

void Machine::set_mmap_area(uint64_t lo, uint64_t hi) {
  impl_->mmap_lo = lo;
  impl_->mmap_hi = hi;
}

// ---- registers ----

uint64_t Machine::reg(int id) {
  uint64_t v = 0;
  check(uc_reg_read(uc_, id, &v), "reg_read");
  return v;
}
void Machine::set_reg(int id, uint64_t v) { check(uc_reg_write(uc_, id, &v), "reg_write"); }
static int pc_id(Cpu c) {
  return c == Cpu::amd64   ? int(UC_X86_REG_RIP)
         : c == Cpu::arm64 ? int(UC_ARM64_REG_PC)
                           : int(UC_RISCV_REG_PC);
}
static int sp_id(Cpu c) {
  return c == Cpu::amd64   ? int(UC_X86_REG_RSP)
         : c == Cpu::arm64 ? int(UC_ARM64_REG_SP)
                           : int(UC_RISCV_REG_SP);
}
uint64_t Machine::pc() { return reg(pc_id(cpu_)); }
void Machine::set_pc(uint64_t v) { set_reg(pc_id(cpu_), v); }
uint64_t Machine::sp() { return reg(sp_id(cpu_)); }
void Machine::set_sp(uint64_t v) { set_reg(sp_id(cpu_), v); }

// ---- threads ----

// A thread's CPU state across a switch. Unicorn 2.0.1's context on riscv64
// leaves out the accrued exception flags (fcsr's fflags), which QEMU keeps
// in its softfloat state apart from the register file: a thread went on
// with the flags of whichever thread ran last (tests/rt/preempt_regs, word
// 0, with GOMAXPROCS=2; ci/simsweep found it). The register interface reads
// and writes the whole fcsr, so it travels that way.
void Machine::save_ctx(Thread& t) {
  check(uc_context_save(uc_, t.ctx), "context_save");
  if (cpu_ == Cpu::riscv64) t.fcsr = reg(UC_RISCV_REG_FCSR);
}
void Machine::restore_ctx(Thread& t) {
  check(uc_context_restore(uc_, t.ctx), "context_restore");
  if (cpu_ == Cpu::riscv64) set_reg(UC_RISCV_REG_FCSR, t.fcsr);
}

Thread& Machine::spawn(const std::function<void(Machine&, Thread&)>& setup) {
  auto t = std::make_unique<Thread>();
  Thread* parent = cur_;
  t->tid = int(threads_.size()) + 1;
  t->sigmask = parent->sigmask;
  check(uc_context_alloc(uc_, &t->ctx), "context");
  // setup edits the child's registers through the ordinary accessors: the
  // CPU holds the parent's state, saved first and restored after.
  save_ctx(*parent);
  cur_ = t.get();
  setup(*this, *t);
  save_ctx(*t);
  restore_ctx(*parent);
  cur_ = parent;
  threads_.push_back(std::move(t));
  return *threads_.back();
}

void Machine::block(uint64_t addr, uint64_t deadline, std::function<void(Thread&)> on_resume) {
  Thread& t = *cur_;
  t.state = ThreadState::blocked;
  t.wait_addr = addr;
  t.deadline = deadline;
  t.wake_reason = Thread::Wake::none;
  t.wait_seq = ++impl_->seq;
  t.on_resume = std::move(on_resume);
  // A signal already deliverable interrupts the wait at once.
  if (deliverable(t)) unblock(t, Thread::Wake::signal);
  yield_now();
}

void Machine::unblock(Thread& t, Thread::Wake why) {
  if (t.state != ThreadState::blocked) return;
  t.state = ThreadState::runnable;
  t.wake_reason = why;
}

int Machine::wake(uint64_t addr, int n) {
  std::vector<Thread*> waiters;
  for (auto& t : threads_)
    if (t->state == ThreadState::blocked && t->wait_addr == addr && addr != 0)
      waiters.push_back(t.get());
  std::sort(waiters.begin(), waiters.end(),
            [](Thread* a, Thread* b) { return a->wait_seq < b->wait_seq; });
  int woken = 0;
  for (Thread* t : waiters) {
    if (woken >= n) break;
    unblock(*t, Thread::Wake::woken);
    woken++;
  }
  return woken;
}

void Machine::exit_thread() {
  cur_->state = ThreadState::exited;
  yield_now();
}

// --stats: the one place host time is read, for the report, never the guest.
void Machine::print_stats() {
  if (!stats) return;
  double s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - impl_->started).count();
  fprintf(stderr,
          "gort-sim: %llu guest instructions in %.3f s (%.1f M/s), %zu threads, %llu switches, "
          "%.3f ms virtual, %zu blocks, %zu regions\n",
          (unsigned long long)impl_->total, s, impl_->total / s / 1e6, threads_.size(),
          (unsigned long long)impl_->nswitch, clock_ns_ / 1e6, impl_->insn_counts.size(),
          impl_->regions.size());
}

void Machine::exit_process(int status) {
  print_stats();
  fflush(stdout);
  fflush(stderr);
  _exit(status & 0xff);
}

void Machine::die_of_signal(int host_sig) {
  print_stats();
  fflush(stdout);
  fflush(stderr);
  // No core file: the guest's crash is reported by its status alone.
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(host_sig, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, host_sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  kill(getpid(), host_sig);
  _exit(128 + host_sig);  // a signal whose default is to ignore
}

Thread* Machine::thread(int tid) {
  for (auto& t : threads_)
    if (t->tid == tid && t->state != ThreadState::exited) return t.get();
  return nullptr;
}

void Machine::halt(int status) {
  impl_->halted = true;
  impl_->halt_status = status;
  yield_now();
}

void Machine::yield_now() {
  impl_->left = 0;
  uc_emu_stop(uc_);
}

int Machine::deliverable(const Thread& t) const {
  int best = 0;
  for (auto& s : t.pending)
    if (!(t.sigmask & (1ull << (s.sig - 1))) && (best == 0 || s.sig < best)) best = s.sig;
  return best;
}

void Machine::post_signal(Thread& t, const PendingSig& s) {
  if (t.state == ThreadState::exited) return;
  // Standard signals do not queue: one pending instance each.
  if (s.sig < 32)
    for (auto& p : t.pending)
      if (p.sig == s.sig) return;
  t.pending.push_back(s);
  if (t.state == ThreadState::blocked && !(t.sigmask & (1ull << (s.sig - 1))))
    unblock(t, Thread::Wake::signal);
}

// ---- time and randomness ----

uint64_t Machine::wall_ns() const { return kEpochNs + clock_ns_; }
uint64_t Machine::cpu_ns(const Thread& t) const { return t.insns * kNsPerInsn; }
void Machine::random_bytes(void* out, uint64_t n) {
  auto* o = static_cast<uint8_t*>(out);
  for (uint64_t i = 0; i < n; i += 8) {
    uint64_t v = splitmix(impl_->data_rng);
    memcpy(o + i, &v, std::min<uint64_t>(8, n - i));
  }
}
uint64_t Machine::insns_total() const { return impl_->total; }
uint64_t Machine::switches() const { return impl_->nswitch; }

void Machine::add_code_range(uint64_t lo, uint64_t hi,
                             std::function<void(Machine&, uint64_t pc)> fn) {
  impl_->code_ranges.push_back({lo, hi, std::move(fn)});
  uc_hook h;
  check(uc_hook_add(uc_, &h, UC_HOOK_CODE, reinterpret_cast<void*>(hook_code_range), impl_, lo,
                    hi - 1),
        "hook code range");
  impl_->hooks.push_back(h);
}

void Machine::trace(const std::string& line) {
  // Built with append: gcc 12's -Wrestrict misfires on operator+ chains.
  std::string s = "[";
  s.append(std::to_string(cur_->tid)).append("] ").append(line).append("\n");
  fflush(stdout);
  ssize_t r = ::write(2, s.data(), s.size());
  (void)r;
}

// Unicorn has no source for riscv64's time CSR and traps `rdtime`, which
// user code may run on Linux and FreeBSD: it reads the virtual clock here,
// at a 10 MHz timebase (QEMU's virt board's, what such kernels report).
bool Machine::emulate_counter() {
  if (cpu_ != Cpu::riscv64) return false;
  uint32_t insn = 0;
  if (!read(pc(), &insn, 4)) return false;
  if ((insn & 0xfffff07f) != 0xc0102073) return false;  // csrrs rd, time, x0
  int rd = (insn >> 7) & 31;
  if (rd) set_reg(UC_RISCV_REG_X0 + rd, clock_ns_ / 100);
  set_pc(pc() + 4);
  impl_->stop = Stop::none;
  return true;
}

// ---- the run loop ----

int Machine::run() {
  for (;;) {
    if (impl_->halted) {
      g_in_emu = false;
      return impl_->halt_status;
    }
    // Timeouts that the clock has passed.
    for (auto& t : threads_)
      if (t->state == ThreadState::blocked && t->deadline <= clock_ns_)
        unblock(*t, Thread::Wake::timeout);
    std::vector<Thread*> ready;
    bool any_alive = false;
    for (auto& t : threads_) {
      if (t->state != ThreadState::exited) any_alive = true;
      if (t->state == ThreadState::runnable) ready.push_back(t.get());
    }
    if (!any_alive) exit_process(0);
    if (ready.empty()) {
      uint64_t next = UINT64_MAX;
      for (auto& t : threads_)
        if (t->state == ThreadState::blocked) next = std::min(next, t->deadline);
      if (next == UINT64_MAX) {
        std::string msg = "all guest threads are blocked";
        for (auto& t : threads_) {
          if (t->state != ThreadState::blocked) continue;
          char buf[160];
          snprintf(buf, sizeof buf, "\n  thread %d: %s on 0x%llx", t->tid,
                   t->wait_what.empty() ? "waiting" : t->wait_what.c_str(),
                   (unsigned long long)t->wait_addr);
          msg += buf;
        }
        g_in_emu = false;
        fatal(msg);
      }
      clock_ns_ = next;  // everyone sleeps: the clock jumps
      continue;
    }
    Thread* next = ready[splitmix(impl_->sched_rng) % ready.size()];
    if (next != cur_) {
      if (cur_->state != ThreadState::exited) save_ctx(*cur_);
      restore_ctx(*next);
      cur_ = next;
      impl_->nswitch++;
    }
    g_in_emu = true;
    cur_->wait_what.clear();
    if (cur_->on_resume) {
      auto f = std::move(cur_->on_resume);
      cur_->on_resume = nullptr;
      f(*cur_);
    }
    if (cur_->state == ThreadState::runnable) cur_->wake_reason = Thread::Wake::none;
    after_syscall(*this);  // delivers one pending signal, if any
    if (cur_->state != ThreadState::runnable) continue;
    impl_->left = int64_t(1 + splitmix(impl_->sched_rng) % (2 * quantum_ - 1));
    impl_->stop = Stop::none;
    impl_->fault_at = 0;
    // The run-until address is 0, not UINT64_MAX: whenever uc_emu_start
    // returns, Unicorn 2.0.1 invalidates the translated code at that
    // address (a TLB fill and a page collection of glib trees, paid at
    // every thread switch), except for 0.
    // A guest reaching pc 0 (a call through a nil pointer) stops there as
    // at an exit instead of faulting: made the fetch fault it would be.
    uc_err e = uc_emu_start(uc_, pc(), 0, 0, 0);
    if (impl_->halted) continue;
    if (impl_->stop == Stop::fault && impl_->fault_at) set_pc(impl_->fault_at);
    if (e == UC_ERR_OK && impl_->stop == Stop::none && impl_->left > 0 && pc() == 0) {
      impl_->stop = Stop::fault;
      impl_->fault_kind = OsModel::Fault::unmapped;
      impl_->fault_addr = 0;
    }
    if (impl_->stop == Stop::none && e != UC_ERR_OK) {
      if (e == UC_ERR_INSN_INVALID) {
        impl_->stop = Stop::illegal;
      } else {
        fatal(std::string("unicorn stopped: ") + uc_strerror(e) + " at pc " + std::to_string(pc()));
      }
    }
    if (impl_->stop == Stop::illegal && emulate_counter()) continue;
    if (impl_->stop != Stop::none && os) {
      OsModel::Fault kind = impl_->stop == Stop::fault     ? impl_->fault_kind
                            : impl_->stop == Stop::illegal ? OsModel::Fault::illegal
                            : impl_->stop == Stop::divide  ? OsModel::Fault::divide
                                                           : OsModel::Fault::breakpoint;
      uint64_t addr = impl_->stop == Stop::fault ? impl_->fault_addr : pc();
      impl_->stop = Stop::none;
      os->fault(*this, kind, addr);
    }
    g_in_emu = false;
  }
}

}  // namespace sim
