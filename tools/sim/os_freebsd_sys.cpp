// gort-sim's FreeBSD model: the system calls (the dispatch, the trace in
// truss's style, memory, time, descriptors) but for threads and umtx
// (os_freebsd_umtx.cpp) and signals (os_freebsd_signal.cpp). Descriptors
// 0-2 and opened files are the host's; pipes live in the simulator, so a
// reader that must wait blocks in the simulator's scheduler (all guest
// threads share one host thread) and the order of reads and writes
// depends on the seed alone.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <map>
#include <sstream>

#include "os_freebsd.h"

namespace sim::fbsd {
namespace {

unsigned prot_from(uint64_t p) {
  unsigned r = 0;
  if (p & FB_PROT_READ) r |= kRead;
  if (p & FB_PROT_WRITE) r |= kWrite;
  if (p & FB_PROT_EXEC) r |= kExec;
  return r;
}

std::string hex(uint64_t v) {
  std::ostringstream o;
  o << "0x" << std::hex << v;
  return o.str();
}

// ERESTART's effect: the thread re-enters the call when it runs again
// (the kernel backs the pc up over the trap instruction).
void restart_call(Machine& m) { m.set_pc(m.pc() - (m.cpu() == Cpu::amd64 ? 2 : 4)); }

}  // namespace

void FreeBSD::ok(Machine& m, uint64_t r0, uint64_t r1) {
  set_syscall_ok(m, r0, r1);
  if (m.trace_syscalls)
    m.trace(call_text_ + " = " + std::to_string(int64_t(r0)) + " (" + hex(r0) + ")");
}

void FreeBSD::err(Machine& m, int e) {
  set_syscall_err(m, e);
  if (m.trace_syscalls)
    m.trace(call_text_ + " ERR#" + std::to_string(e) + " '" + errno_text(e) + "'");
}

void FreeBSD::block(Machine& m, uint64_t addr, uint64_t deadline,
                    std::function<void(Machine&, Thread::Wake)> done) {
  std::string text = call_text_, what = m.current().wait_what;
  m.block(addr, deadline, [this, &m, text, what, addr, deadline, done](Thread& t) {
    call_text_ = text;
    if (t.wake_reason == Thread::Wake::signal && !drop_ignored(m, t)) {
      t.wait_what = what;
      return block(m, addr, deadline, done);  // the sleep goes on, to the same deadline
    }
    done(m, t.wake_reason);
  });
}

void FreeBSD::syscall(Machine& m) {
  SyscallRegs r = fetch_syscall(m);
  if (m.trace_syscalls) {
    std::ostringstream o;
    const SysInfo* info = syscall_info(r.nr);
    o << (info ? info->name : "syscall" + std::to_string(r.nr)) << "(";
    int nargs = info ? info->nargs : 6;
    for (int i = 0; i < nargs; i++) {
      if (i) o << ",";
      if (i == 1 && r.nr == FB_SYS_write) {
        std::vector<char> buf(std::min<uint64_t>(r.a[2], 32));
        m.read(r.a[1], buf.data(), buf.size());
        o << '"';
        for (char c : buf) {
          if (c == '\n')
            o << "\\n";
          else if (c == '"' || c == '\\')
            o << '\\' << c;
          else if (c >= 32 && c < 127)
            o << c;
          else
            o << "\\x" << std::hex << (int(uint8_t(c))) << std::dec;
        }
        o << '"' << (r.a[2] > 32 ? "..." : "");
      } else if (int64_t(r.a[i]) > -4096 && int64_t(r.a[i]) < 4096) {
        o << int64_t(r.a[i]);
      } else {
        o << hex(r.a[i]);
      }
    }
    o << ")";
    call_text_ = o.str();
  }
  auto& a = r.a;
  switch (r.nr) {
    case FB_SYS_exit:
      if (m.trace_syscalls) m.trace(call_text_);
      m.exit_process(int(a[0] & 0xff));
    case FB_SYS_read: return sys_read(m, r);
    case FB_SYS_write: return sys_write(m, r);
    case FB_SYS_open: return sys_openat(m, FB_AT_FDCWD, a[0], int(a[1]), int(a[2]));
    case FB_SYS_openat: return sys_openat(m, int(a[0]), a[1], int(a[2]), int(a[3]));
    case FB_SYS_close: return sys_close(m, r);
    case FB_SYS_fcntl: return sys_fcntl(m, r);
    case FB_SYS_pipe2: return sys_pipe2(m, r);
    case FB_SYS_getpid: return ok(m, kPid);
    case FB_SYS_kill: return sys_kill(m, r);
    case FB_SYS_issetugid: return ok(m, 0);
    case FB_SYS_sched_yield: m.yield_now(); return ok(m, 0);
    case FB_SYS_mmap: return sys_mmap(m, r);
    case FB_SYS_munmap:
      if (a[0] % kPage || a[1] == 0) return err(m, FB_EINVAL);
      m.unmap(a[0], round_up(a[1], kPage));
      return ok(m, 0);
    case FB_SYS_mprotect:
      if (a[0] % kPage) return err(m, FB_EINVAL);
      if (!m.protect(a[0], round_up(a[1], kPage), prot_from(a[2]))) return err(m, FB_ENOMEM);
      return ok(m, 0);
    case FB_SYS_madvise:
      // MADV_FREE lets the kernel drop the pages' contents: the model
      // always does, so a use after it reads zeros. MADV_DONTNEED keeps
      // them on FreeBSD (unlike Linux); the other advice changes nothing.
      if (a[0] % kPage || a[2] > FB_MADV_PROTECT) return err(m, FB_EINVAL);
      if (a[2] == FB_MADV_FREE && m.is_mapped(a[0], round_up(a[1], kPage)))
        m.discard(a[0], round_up(a[1], kPage));
      return ok(m, 0);
    case FB_SYS_sysarch: return sys_sysarch(m, r);
    case FB_SYS_clock_gettime: return sys_clock_gettime(m, r);
    case FB_SYS_nanosleep: return sys_nanosleep(m, r);
    case FB_SYS_getrandom: {
      std::vector<uint8_t> buf(std::min<uint64_t>(a[1], 1 << 20));
      m.random_bytes(buf.data(), buf.size());
      if (!copy_out(m, a[0], buf.data(), buf.size())) return err(m, FB_EFAULT);
      return ok(m, buf.size());
    }
    case FB_SYS_cpuset_getaffinity: return sys_cpuset_getaffinity(m, r);
    case FB_SYS_sigaction: return sys_sigaction(m, r);
    case FB_SYS_sigprocmask: return sys_sigprocmask(m, r);
    case FB_SYS_sigaltstack: return sys_sigaltstack(m, r);
    case FB_SYS_sigreturn: return sys_sigreturn(m, r);
    case FB_SYS_thr_self: {
      int64_t id = guest_tid(m.current());
      if (!copy_out(m, a[0], &id, 8)) return err(m, FB_EFAULT);
      return ok(m, 0);
    }
    case FB_SYS_thr_new: return sys_thr_new(m, r);
    case FB_SYS_thr_exit: return sys_thr_exit(m, r);
    case FB_SYS_thr_kill: return sys_thr_kill(m, r);
    case FB_SYS__umtx_op: return sys_umtx_op(m, r);
    default: {
      const SysInfo* info = syscall_info(r.nr);
      fatal("freebsd: unknown system call " + std::to_string(r.nr) + " (" +
            (info ? info->name : "not in the model's table of names") + ")");
    }
  }
}

void FreeBSD::sys_mmap(Machine& m, const SyscallRegs& r) {
  uint64_t addr = r.a[0], len = r.a[1];
  int prot = int(r.a[2]), flags = int(r.a[3]), fd = int(r.a[4]);
  if (len == 0) return err(m, FB_EINVAL);
  if (!(flags & FB_MAP_ANON) && !(flags & FB_MAP_GUARD))
    fatal("freebsd: mmap of a file (fd " + std::to_string(fd) + ") is not modelled");
  if ((flags & FB_MAP_ANON) && fd != -1) return err(m, FB_EINVAL);
  // FB_MAP_GUARD reserves address space no access can touch (vm_mmap.c: it
  // takes no prot and no other flags but FB_MAP_FIXED/FB_MAP_EXCL).
  if ((flags & FB_MAP_GUARD) &&
      (prot != 0 || (flags & ~(FB_MAP_GUARD | FB_MAP_FIXED | FB_MAP_EXCL))))
    return err(m, FB_EINVAL);
  if (flags & FB_MAP_ALIGNMENT_MASK) return err(m, FB_EINVAL);
  len = round_up(len, kPage);
  unsigned p = prot_from(prot);
  if (flags & FB_MAP_FIXED) {
    if (addr % kPage) return err(m, FB_EINVAL);
    if ((flags & FB_MAP_EXCL) && m.is_mapped(addr, len)) return err(m, FB_ENOMEM);
    m.map(addr, len, p);
    return ok(m, addr);
  }
  uint64_t at = m.map_anywhere(round_down(addr, kPage), len, p);
  if (!at) return err(m, FB_ENOMEM);
  ok(m, at);
}

void FreeBSD::sys_kill(Machine& m, const SyscallRegs& r) {
  int64_t pid = int64_t(r.a[0]);
  int sig = int(r.a[1]);
  if (sig < 0 || sig > 64) return err(m, FB_EINVAL);
  if (pid != kPid && pid != 0 && pid != -1) return err(m, FB_ESRCH);
  if (!sig) return ok(m, 0);
  // A process-directed signal goes to a thread that does not block it,
  // the caller first; if all block it, it waits on the caller.
  Thread* to = &m.current();
  if (to->sigmask & (uint64_t(1) << (sig - 1)))
    for (auto& t : m.threads())
      if (t->state != ThreadState::exited && !(t->sigmask & (uint64_t(1) << (sig - 1)))) {
        to = t.get();
        break;
      }
  m.post_signal(*to, PendingSig{sig, FB_SI_USER, 0, m.current().tid});
  ok(m, 0);
}

void FreeBSD::sys_clock_gettime(Machine& m, const SyscallRegs& r) {
  uint64_t ns;
  switch (int(r.a[0])) {
    case FB_CLOCK_REALTIME:
    case FB_CLOCK_REALTIME_PRECISE:
    case FB_CLOCK_REALTIME_FAST:
    case FB_CLOCK_SECOND: ns = m.wall_ns(); break;
    case FB_CLOCK_MONOTONIC:
    case FB_CLOCK_MONOTONIC_PRECISE:
    case FB_CLOCK_MONOTONIC_FAST:
    case FB_CLOCK_UPTIME:
    case FB_CLOCK_UPTIME_PRECISE:
    case FB_CLOCK_UPTIME_FAST: ns = m.now_ns(); break;
    case FB_CLOCK_THREAD_CPUTIME_ID: ns = m.cpu_ns(m.current()); break;
    case FB_CLOCK_VIRTUAL:
    case FB_CLOCK_PROF:
    case FB_CLOCK_PROCESS_CPUTIME_ID:
      ns = 0;
      for (auto& t : m.threads()) ns += m.cpu_ns(*t);
      break;
    default: return err(m, FB_EINVAL);
  }
  if (int(r.a[0]) == FB_CLOCK_SECOND) ns -= ns % 1000000000;
  timespec_t ts{int64_t(ns / 1000000000), int64_t(ns % 1000000000)};
  if (!copy_out(m, r.a[1], &ts, sizeof ts)) return err(m, FB_EFAULT);
  ok(m, 0);
}

void FreeBSD::sys_sysarch(Machine& m, const SyscallRegs& r) {
  int op = int(r.a[0]);
  if (m.cpu() != Cpu::amd64) return err(m, FB_EINVAL);  // arm64/riscv64 sysarch has no TLS ops
  switch (op) {
    case FB_AMD64_SET_FSBASE:
    case FB_AMD64_SET_GSBASE: {
      uint64_t v;
      if (!copy_in(m, r.a[1], &v, 8)) return err(m, FB_EFAULT);
      m.set_reg(op == FB_AMD64_SET_FSBASE ? UC_X86_REG_FS_BASE : UC_X86_REG_GS_BASE, v);
      return ok(m, 0);
    }
    case FB_AMD64_GET_FSBASE:
    case FB_AMD64_GET_GSBASE: {
      uint64_t v = m.reg(op == FB_AMD64_GET_FSBASE ? UC_X86_REG_FS_BASE : UC_X86_REG_GS_BASE);
      if (!copy_out(m, r.a[1], &v, 8)) return err(m, FB_EFAULT);
      return ok(m, 0);
    }
    default: fatal("freebsd: sysarch operation " + std::to_string(op) + " is not modelled");
  }
}

void FreeBSD::sys_cpuset_getaffinity(Machine& m, const SyscallRegs& r) {
  int level = int(r.a[0]), which = int(r.a[1]);
  uint64_t size = r.a[3];
  if (level < FB_CPU_LEVEL_ROOT || level > FB_CPU_LEVEL_WHICH || which < FB_CPU_WHICH_TID)
    return err(m, FB_EINVAL);
  // kern_cpuset.c: a set too small for the CPUs present is FB_ERANGE; the
  // rest of a larger one is zeroed.
  if (size * 8 < uint64_t(m.ncpu) || size > 1024) return err(m, FB_ERANGE);
  std::vector<uint8_t> mask(size, 0);
  for (int i = 0; i < m.ncpu; i++) mask[i / 8] |= uint8_t(1 << (i % 8));
  if (!copy_out(m, r.a[4], mask.data(), size)) return err(m, FB_EFAULT);
  ok(m, 0);
}

int FreeBSD::alloc_fd() {
  int fd = 0;
  while (fds_.count(fd)) fd++;  // the lowest free descriptor, as fdalloc
  return fd;
}

void FreeBSD::sys_read(Machine& m, const SyscallRegs& r) {
  auto it = fds_.find(int(r.a[0]));
  if (it == fds_.end() || (it->second.pipe && it->second.pipe_write)) return err(m, FB_EBADF);
  File& f = it->second;
  uint64_t n = std::min<uint64_t>(r.a[2], 1 << 20);
  std::vector<uint8_t> buf(n);
  if (f.pipe) {
    Pipe& p = *f.pipe;
    if (p.data.empty() && n) {
      if (p.writers == 0) return ok(m, 0);
      if (f.status_flags & FB_O_NONBLOCK) return err(m, FB_EAGAIN);
      // pipe_read sleeps with PCATCH: a signal with SA_RESTART makes it
      // ERESTART (the read runs again after the handler), one without it
      // EINTR. Woken by a writer or a close, the read runs again too.
      m.current().wait_what = "read of an empty pipe";
      return block(m, p.key, UINT64_MAX, [this](Machine& mm, Thread::Wake w) {
        if (w == Thread::Wake::signal) {
          if (!sa_restart(mm)) return err(mm, FB_EINTR);
          if (mm.trace_syscalls) mm.trace(call_text_ + " ERESTART");
        }
        restart_call(mm);
      });
    }
    n = std::min<uint64_t>(n, p.data.size());
    for (uint64_t i = 0; i < n; i++) buf[i] = p.data[i];
    if (!copy_out(m, r.a[1], buf.data(), n)) return err(m, FB_EFAULT);
    p.data.erase(p.data.begin(), p.data.begin() + long(n));
    return ok(m, n);
  }
  ssize_t got = ::read(f.host_fd, buf.data(), n);
  if (got < 0) return err(m, errno_from_host(errno));
  if (!copy_out(m, r.a[1], buf.data(), uint64_t(got))) return err(m, FB_EFAULT);
  ok(m, uint64_t(got));
}

void FreeBSD::sys_write(Machine& m, const SyscallRegs& r) {
  auto it = fds_.find(int(r.a[0]));
  if (it == fds_.end() || (it->second.pipe && !it->second.pipe_write)) return err(m, FB_EBADF);
  File& f = it->second;
  uint64_t n = std::min<uint64_t>(r.a[2], 1 << 20);
  std::vector<uint8_t> buf(n);
  if (!copy_in(m, r.a[1], buf.data(), n)) return err(m, FB_EFAULT);
  if (f.pipe) {
    Pipe& p = *f.pipe;
    if (p.readers == 0) {
      // pipe_write: EPIPE, and SIGPIPE to the writing thread.
      m.post_signal(m.current(), PendingSig{FB_SIGPIPE, FB_SI_USER, 0, m.current().tid});
      m.yield_now();
      return err(m, FB_EPIPE);
    }
    p.data.insert(p.data.end(), buf.begin(), buf.end());
    m.wake(p.key, INT_MAX);
    return ok(m, n);
  }
  ssize_t put = ::write(f.host_fd, buf.data(), n);
  if (put < 0) return err(m, errno_from_host(errno));
  ok(m, uint64_t(put));
}

void FreeBSD::sys_openat(Machine& m, int dirfd, uint64_t path, int flags, int mode) {
  if (dirfd != FB_AT_FDCWD) fatal("freebsd: openat relative to a descriptor is not modelled");
  std::string p = m.read_cstr(path);
  // FreeBSD mounts no procfs by default (and its maps format is not
  // Linux's): the host's /proc, the simulator's own, must not show through.
  if (p == "/proc" || p.rfind("/proc/", 0) == 0) return err(m, FB_ENOENT);
  constexpr int kKnown = FB_O_ACCMODE | FB_O_NONBLOCK | FB_O_APPEND | FB_O_CREAT | FB_O_TRUNC |
                         FB_O_EXCL | FB_O_CLOEXEC;
  if (flags & ~kKnown) fatal("freebsd: open flags " + std::to_string(flags) + " are not modelled");
  int hf = (flags & FB_O_ACCMODE) == 0 ? O_RDONLY : (flags & FB_O_ACCMODE) == 1 ? O_WRONLY : O_RDWR;
  if (flags & FB_O_NONBLOCK) hf |= O_NONBLOCK;
  if (flags & FB_O_APPEND) hf |= O_APPEND;
  if (flags & FB_O_CREAT) hf |= O_CREAT;
  if (flags & FB_O_TRUNC) hf |= O_TRUNC;
  if (flags & FB_O_EXCL) hf |= O_EXCL;
  int h = ::open(p.c_str(), hf | O_CLOEXEC, mode);
  if (h < 0) return err(m, errno_from_host(errno));
  int fd = alloc_fd();
  fds_[fd] = File{h, nullptr, false, bool(flags & FB_O_CLOEXEC),
                  flags & (FB_O_ACCMODE | FB_O_NONBLOCK | FB_O_APPEND)};
  ok(m, uint64_t(fd));
}

void FreeBSD::sys_close(Machine& m, const SyscallRegs& r) {
  auto it = fds_.find(int(r.a[0]));
  if (it == fds_.end()) return err(m, FB_EBADF);
  File f = it->second;
  fds_.erase(it);
  if (f.pipe) {
    (f.pipe_write ? f.pipe->writers : f.pipe->readers)--;
    m.wake(f.pipe->key, INT_MAX);  // readers see end-of-file
  } else if (f.host_fd > 2) {
    ::close(f.host_fd);
  }
  ok(m, 0);
}

void FreeBSD::sys_fcntl(Machine& m, const SyscallRegs& r) {
  auto it = fds_.find(int(r.a[0]));
  if (it == fds_.end()) return err(m, FB_EBADF);
  File& f = it->second;
  switch (int(r.a[1])) {
    case FB_F_GETFD: return ok(m, f.cloexec ? FB_FD_CLOEXEC : 0);
    case FB_F_SETFD: f.cloexec = r.a[2] & FB_FD_CLOEXEC; return ok(m, 0);
    case FB_F_GETFL: return ok(m, uint64_t(f.status_flags));
    case FB_F_SETFL:
      f.status_flags =
          (f.status_flags & FB_O_ACCMODE) | (int(r.a[2]) & (FB_O_NONBLOCK | FB_O_APPEND));
      return ok(m, 0);
    default: fatal("freebsd: fcntl command " + std::to_string(r.a[1]) + " is not modelled");
  }
}

void FreeBSD::sys_pipe2(Machine& m, const SyscallRegs& r) {
  int flags = int(r.a[1]);
  if (flags & ~(FB_O_CLOEXEC | FB_O_NONBLOCK)) return err(m, FB_EINVAL);
  auto p = std::make_shared<Pipe>();
  p->key = (uint64_t(1) << 63) | next_pipe_key_++;
  p->readers = p->writers = 1;
  int rd = alloc_fd();
  fds_[rd] = File{-1, p, false, bool(flags & FB_O_CLOEXEC), 0 | (flags & FB_O_NONBLOCK)};
  int wr = alloc_fd();
  fds_[wr] = File{-1, p, true, bool(flags & FB_O_CLOEXEC), 1 | (flags & FB_O_NONBLOCK)};
  int32_t v[2] = {rd, wr};
  if (!copy_out(m, r.a[0], v, sizeof v)) {
    fds_.erase(rd);
    fds_.erase(wr);
    return err(m, FB_EFAULT);
  }
  ok(m, 0);
}

int errno_from_host(int e) {
  // Linux and FreeBSD share 1-34 but for EAGAIN (11 on Linux, EDEADLK on
  // FreeBSD); past 34 they part.
  switch (e) {
    case EAGAIN: return FB_EAGAIN;
    case ENAMETOOLONG: return 63;
    case ELOOP: return 62;
    case ENOTEMPTY: return 66;
    case ENOSYS: return FB_ENOSYS;
    default: return e <= 34 ? e : FB_EIO;
  }
}

const char* errno_text(int e) {
  // sys/sys/errno.h / lib/libc/gen/errlst.c wording.
  switch (e) {
    case FB_EPERM: return "Operation not permitted";
    case FB_ENOENT: return "No such file or directory";
    case FB_ESRCH: return "No such process";
    case FB_EINTR: return "Interrupted system call";
    case FB_EIO: return "Input/output error";
    case FB_EBADF: return "Bad file descriptor";
    case FB_ENOMEM: return "Cannot allocate memory";
    case FB_EACCES: return "Permission denied";
    case FB_EFAULT: return "Bad address";
    case FB_EINVAL: return "Invalid argument";
    case FB_EMFILE: return "Too many open files";
    case FB_EPIPE: return "Broken pipe";
    case FB_ERANGE: return "Result too large";
    case FB_EAGAIN: return "Resource temporarily unavailable";
    case FB_ETIMEDOUT: return "Operation timed out";
    case FB_ENOSYS: return "Function not implemented";
    default: return "Unknown error";
  }
}

const SysInfo* syscall_info(int n) {
  // sys/kern/syscalls.master: the calls gort makes and their neighbours a
  // port might reach for next, with their argument counts.
  static const std::map<int, SysInfo> table = {
      {1, {"exit", 1}},
      {2, {"fork", 0}},
      {3, {"read", 3}},
      {4, {"write", 3}},
      {5, {"open", 3}},
      {6, {"close", 1}},
      {7, {"wait4", 4}},
      {10, {"unlink", 1}},
      {12, {"chdir", 1}},
      {20, {"getpid", 0}},
      {24, {"getuid", 0}},
      {25, {"geteuid", 0}},
      {33, {"access", 2}},
      {37, {"kill", 2}},
      {39, {"getppid", 0}},
      {41, {"dup", 1}},
      {53, {"sigaltstack", 2}},
      {54, {"ioctl", 3}},
      {59, {"execve", 3}},
      {73, {"munmap", 2}},
      {74, {"mprotect", 3}},
      {75, {"madvise", 3}},
      {90, {"dup2", 2}},
      {92, {"fcntl", 3}},
      {93, {"select", 5}},
      {97, {"socket", 3}},
      {116, {"gettimeofday", 2}},
      {117, {"getrusage", 2}},
      {121, {"writev", 3}},
      {165, {"sysarch", 2}},
      {194, {"getrlimit", 2}},
      {195, {"setrlimit", 2}},
      {198, {"__syscall", 6}},
      {202, {"__sysctl", 6}},
      {209, {"poll", 3}},
      {232, {"clock_gettime", 2}},
      {234, {"clock_getres", 2}},
      {240, {"nanosleep", 2}},
      {253, {"issetugid", 0}},
      {331, {"sched_yield", 0}},
      {340, {"sigprocmask", 3}},
      {341, {"sigsuspend", 1}},
      {343, {"sigpending", 1}},
      {416, {"sigaction", 3}},
      {417, {"sigreturn", 1}},
      {429, {"sigwait", 2}},
      {431, {"thr_exit", 1}},
      {432, {"thr_self", 1}},
      {433, {"thr_kill", 2}},
      {441, {"thr_suspend", 1}},
      {442, {"thr_wake", 1}},
      {454, {"_umtx_op", 5}},
      {455, {"thr_new", 2}},
      {464, {"thr_set_name", 2}},
      {475, {"pread", 4}},
      {476, {"pwrite", 4}},
      {477, {"mmap", 6}},
      {478, {"lseek", 3}},
      {481, {"thr_kill2", 3}},
      {487, {"cpuset_getaffinity", 5}},
      {488, {"cpuset_setaffinity", 5}},
      {499, {"openat", 4}},
      {542, {"pipe2", 2}},
      {551, {"fstat", 2}},
      {552, {"fstatat", 4}},
      {560, {"kevent", 6}},
      {563, {"getrandom", 3}},
      {570, {"__sysctlbyname", 6}},
  };
  auto it = table.find(n);
  return it == table.end() ? nullptr : &it->second;
}

}  // namespace sim::fbsd
