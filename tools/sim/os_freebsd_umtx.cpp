// gort-sim's FreeBSD model: threads (thr_new, thr_self, thr_exit,
// thr_kill of sys/kern/kern_thr.c) and the _umtx_op waits and wakes gort's
// futex port uses (sys/kern/kern_umtx.c), plus nanosleep: every wait
// blocks in the simulator's scheduler on the virtual clock.
#include "os_freebsd.h"

namespace sim::fbsd {

Thread* FreeBSD::thread_by_guest_tid(Machine& m, int64_t id) {
  for (auto& t : m.threads())
    if (t->state != ThreadState::exited && guest_tid(*t) == id) return t.get();
  return nullptr;
}

void FreeBSD::sys_umtx_op(Machine& m, const SyscallRegs& r) {
  uint64_t obj = r.a[0], val = r.a[2], size = r.a[3], tp = r.a[4];
  int op = int(r.a[1]);
  switch (op) {
    case FB_UMTX_OP_WAIT:
    case FB_UMTX_OP_WAIT_UINT:
    case FB_UMTX_OP_WAIT_UINT_PRIVATE: {
      uint64_t deadline = UINT64_MAX;
      if (tp) {
        // umtx_copyin_umtx_time: a bare timespec (relative, FB_CLOCK_REALTIME)
        // if size says so, else struct _umtx_time.
        umtx_time_t ut{};
        uint64_t n = size > sizeof(timespec_t) ? sizeof(umtx_time_t) : sizeof(timespec_t);
        if (!copy_in(m, tp, &ut, n)) return err(m, FB_EFAULT);
        if (ut.timeout.tv_sec < 0 || ut.timeout.tv_nsec < 0 || ut.timeout.tv_nsec >= 1000000000)
          return err(m, FB_EINVAL);
        uint64_t ns = uint64_t(ut.timeout.tv_sec) * 1000000000 + uint64_t(ut.timeout.tv_nsec);
        if (ut.flags & FB_UMTX_ABSTIME) {
          uint64_t now = ut.clockid == FB_CLOCK_REALTIME ? m.wall_ns() : m.now_ns();
          deadline = ns > now ? m.now_ns() + (ns - now) : m.now_ns();
        } else {
          deadline = m.now_ns() + ns;
        }
      }
      uint64_t cur;
      if (op == FB_UMTX_OP_WAIT) {
        if (!copy_in(m, obj, &cur, 8)) return err(m, FB_EFAULT);
      } else {
        uint32_t c32;
        if (!copy_in(m, obj, &c32, 4)) return err(m, FB_EFAULT);
        cur = c32;
        val = uint32_t(val);
      }
      // The value changed before we slept: the wait is over (kern_umtx.c do_wait).
      if (cur != val) return ok(m, 0);
      // What the deadlock report names.
      m.current().wait_what = "_umtx_op wait (op " + std::to_string(op) + ")";
      // do_wait turns the sleep's ERESTART into EINTR: a umtx wait is never
      // restarted, SA_RESTART or not.
      return block(m, obj, deadline, [this](Machine& mm, Thread::Wake w) {
        if (w == Thread::Wake::timeout) return err(mm, FB_ETIMEDOUT);
        if (w == Thread::Wake::signal) return err(mm, FB_EINTR);
        ok(mm, 0);
      });
    }
    case FB_UMTX_OP_WAKE:
    case FB_UMTX_OP_WAKE_PRIVATE:
      m.wake(obj, int(std::min<uint64_t>(val, 0x7fffffff)));
      return ok(m, 0);
    default: fatal("freebsd: _umtx_op operation " + std::to_string(op) + " is not modelled");
  }
}

void FreeBSD::sys_thr_new(Machine& m, const SyscallRegs& r) {
  thr_param_t tp{};
  if (r.a[1] > sizeof tp || r.a[1] < offsetof(thr_param_t, flags)) return err(m, FB_EINVAL);
  if (!copy_in(m, r.a[0], &tp, r.a[1])) return err(m, FB_EFAULT);
  if (tp.flags & ~0x3) return err(m, FB_EINVAL);
  Cpu cpu = m.cpu();
  Thread& t = m.spawn([&](Machine& mm, Thread&) {
    // cpu_set_upcall + cpu_set_user_tls of each arch's vm_machdep.c.
    uint64_t top = tp.stack_base + tp.stack_size;
    switch (cpu) {
      case Cpu::amd64:
        mm.set_sp((top & ~uint64_t(15)) - 8);  // as if called: a return-address slot
        mm.set_reg(UC_X86_REG_RDI, tp.arg);
        mm.set_reg(UC_X86_REG_FS_BASE, tp.tls_base);
        break;
      case Cpu::arm64:
        mm.set_sp(top & ~uint64_t(15));
        mm.set_reg(UC_ARM64_REG_X0, tp.arg);
        mm.set_reg(UC_ARM64_REG_LR, 0);
        mm.set_reg(UC_ARM64_REG_TPIDR_EL0, tp.tls_base);
        break;
      case Cpu::riscv64:
        mm.set_sp(top & ~uint64_t(15));
        mm.set_reg(UC_RISCV_REG_A0, tp.arg);
        mm.set_reg(UC_RISCV_REG_RA, 0);
        mm.set_reg(UC_RISCV_REG_TP, tp.tls_base + 16);  // TP_OFFSET, riscv/include/tls.h
        break;
    }
    mm.set_pc(tp.start_func);
  });
  t.sigmask = m.current().sigmask;  // a new thread inherits the creator's mask
  int64_t id = guest_tid(t);
  if (tp.child_tid) copy_out(m, tp.child_tid, &id, 8);
  if (tp.parent_tid) copy_out(m, tp.parent_tid, &id, 8);
  ok(m, 0);
}

void FreeBSD::sys_thr_exit(Machine& m, const SyscallRegs& r) {
  if (m.trace_syscalls) m.trace(call_text_);
  // kern_thr.c kern_thr_exit: the last thread's exit is the process's, with 0.
  int live = 0;
  for (auto& t : m.threads()) live += t->state != ThreadState::exited;
  if (live <= 1) m.exit_process(0);
  if (r.a[0]) {
    // suword_lwpid(state, 1) and a wake of every waiter on it.
    m.write_u64(r.a[0], 1);
    m.wake(r.a[0], 0x7fffffff);
  }
  m.exit_thread();
}

void FreeBSD::sys_thr_kill(Machine& m, const SyscallRegs& r) {
  int64_t id = int64_t(r.a[0]);
  int sig = int(r.a[1]);
  if (sig < 0 || sig > 64) return err(m, FB_EINVAL);
  Thread* t = thread_by_guest_tid(m, id);
  if (!t) return err(m, FB_ESRCH);
  if (sig) m.post_signal(*t, PendingSig{sig, FB_SI_LWP, 0, m.current().tid});
  ok(m, 0);
}

void FreeBSD::sys_nanosleep(Machine& m, const SyscallRegs& r) {
  timespec_t ts;
  if (!copy_in(m, r.a[0], &ts, sizeof ts)) return err(m, FB_EFAULT);
  if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000) return err(m, FB_EINVAL);
  uint64_t deadline = m.now_ns() + uint64_t(ts.tv_sec) * 1000000000 + uint64_t(ts.tv_nsec);
  uint64_t rem = r.a[1];
  m.current().wait_what = "nanosleep";
  // kern_clock_nanosleep: ERESTART becomes EINTR (never restarted), with
  // the time left at rmtp.
  block(m, 0, deadline, [this, deadline, rem](Machine& mm, Thread::Wake w) {
    if (w == Thread::Wake::signal) {
      uint64_t left = deadline > mm.now_ns() ? deadline - mm.now_ns() : 0;
      timespec_t rt{int64_t(left / 1000000000), int64_t(left % 1000000000)};
      if (rem) copy_out(mm, rem, &rt, sizeof rt);
      return err(mm, FB_EINTR);
    }
    ok(mm, 0);
  });
}

}  // namespace sim::fbsd
