// gort-sim: the libSystem functions of the Darwin model, with the
// semantics their man pages and xnu/libpthread give them (errors in errno
// and -1, except the pthread functions, which return the error number).
// Memory calls use Darwin's page (16 KiB on arm64) as xnu's vm_sanitize
// checks do; __ulock_wait/__ulock_wake follow bsd/kern/sys_ulock.c.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "os_darwin.h"

namespace sim::darwin {

int errno_from_host(int e) {
  switch (e) {
    case EAGAIN: return kEAGAIN;
    case ENOSYS: return kENOSYS;
    case ENOTSUP: return kENOTSUP;
    case ELOOP: return kELOOP;
    case ENAMETOOLONG: return kENAMETOOLONG;
    case EOVERFLOW: return kEOVERFLOW;
    case ETIMEDOUT: return kETIMEDOUT;
    default: return e <= 34 ? e : kEIO;  // 1..34 are the same numbers (4.4BSD's)
  }
}

namespace {

constexpr uint64_t kPipeCap = 64 * 1024;  // sys/pipe.h BIG_PIPE_SIZE
constexpr uint64_t kPIPE_BUF = 512;       // sys/syslimits.h: writes this small are atomic

uint64_t round_page(uint64_t v, uint64_t page) { return (v + page - 1) & ~(page - 1); }

// Darwin's open(2) flags -> the host's.
int host_oflags(int f) {
  int h = (f & kO_ACCMODE) == kO_WRONLY ? O_WRONLY : (f & kO_ACCMODE) == kO_RDWR ? O_RDWR : 0;
  if (f & kO_NONBLOCK) h |= O_NONBLOCK;
  if (f & kO_APPEND) h |= O_APPEND;
  if (f & kO_CREAT) h |= O_CREAT;
  if (f & kO_TRUNC) h |= O_TRUNC;
  if (f & kO_EXCL) h |= O_EXCL;
  if (f & kO_NOFOLLOW) h |= O_NOFOLLOW;
  if (f & kO_DIRECTORY) h |= O_DIRECTORY;
  return h | O_CLOEXEC;  // the simulator's own descriptors never leak
}

void io_calls(Darwin& d) {
  d.fds[0] = {Fd::host, 0, nullptr, 0, kO_RDONLY};
  d.fds[1] = {Fd::host, 1, nullptr, 0, kO_WRONLY};
  d.fds[2] = {Fd::host, 2, nullptr, 0, kO_WRONLY};
  d.add_stub("_write", "xbx", [](Darwin& d) {
    int fd = int(d.arg(0));
    uint64_t buf = d.arg(1), n = d.arg(2);
    auto it = d.fds.find(fd);
    if (it == d.fds.end() || it->second.kind == Fd::pipe_read) return d.ret_errno(kEBADF);
    if (n > INT_MAX) return d.ret_errno(kEINVAL);
    std::vector<uint8_t> b(n);
    if (n && !copy_in(*d.m, buf, b.data(), n)) return d.ret_errno(kEFAULT);
    Fd& f = it->second;
    if (f.kind == Fd::pipe_write) {
      if (f.pipe->readers == 0) {  // EPIPE, and SIGPIPE to the writer
        d.m->post_signal(d.m->current(), PendingSig{kSIGPIPE, 0, 0, d.m->current().tid});
        return d.ret_errno(kEPIPE);
      }
      // xnu's pipe buffer grows to BIG_PIPE_SIZE; a write that does not
      // fit waits for room (all of it, up to that size), or is EAGAIN.
      uint64_t room = kPipeCap - f.pipe->buf.size();
      if (room < std::min<uint64_t>(n, kPipeCap)) {
        if (f.status & kO_NONBLOCK) {
          if (room == 0 || n <= kPIPE_BUF) return d.ret_errno(kEAGAIN);
          n = room;  // a large non-blocking write is partial
        } else {
          d.m->current().wait_what = "write to a full pipe";
          d.m->block(d.pipe_key(f.pipe.get()), UINT64_MAX, [&d](Thread& t) {
            if (t.wake_reason != Thread::Wake::signal) return;  // runs again
            int sig = d.m->deliverable(t);
            if (sig && !(d.m->sigactions[sig].flags & kSA_RESTART)) d.ret_errno(kEINTR);
          });
          return;
        }
      }
      n = std::min(n, room);
      f.pipe->buf.insert(f.pipe->buf.end(), b.begin(), b.begin() + long(n));
      d.m->wake(d.pipe_key(f.pipe.get()), INT_MAX);
      return d.ret(n);
    }
    ssize_t r = ::write(f.host_fd, b.data(), n);
    if (r < 0) return d.ret_errno(errno_from_host(errno));
    d.ret(uint64_t(r));
  });
  d.add_stub("_read", "xxx", [](Darwin& d) {
    int fd = int(d.arg(0));
    uint64_t buf = d.arg(1), n = d.arg(2);
    auto it = d.fds.find(fd);
    if (it == d.fds.end() || it->second.kind == Fd::pipe_write) return d.ret_errno(kEBADF);
    if (n > INT_MAX) return d.ret_errno(kEINVAL);
    if (n && !d.m->accessible(buf, n, kWrite)) return d.ret_errno(kEFAULT);
    Fd& f = it->second;
    std::vector<uint8_t> b;
    if (f.kind == Fd::pipe_read) {
      Pipe& p = *f.pipe;
      if (p.buf.empty() && p.writers > 0) {
        if (f.status & kO_NONBLOCK) return d.ret_errno(kEAGAIN);
        // Block; the call runs again when woken (a signal with SA_RESTART
        // restarts it too, from its handler's return).
        d.m->current().wait_what = "read from a pipe";
        d.m->block(d.pipe_key(&p), UINT64_MAX, [&d](Thread& t) {
          if (t.wake_reason != Thread::Wake::signal) return;
          int sig = d.m->deliverable(t);
          if (sig && !(d.m->sigactions[sig].flags & kSA_RESTART)) d.ret_errno(kEINTR);
        });
        return;
      }
      uint64_t k = std::min<uint64_t>(n, p.buf.size());
      b.assign(p.buf.begin(), p.buf.begin() + long(k));
      p.buf.erase(p.buf.begin(), p.buf.begin() + long(k));
      d.m->wake(d.pipe_key(&p), INT_MAX);  // writers waiting for room
    } else {
      b.resize(n);
      ssize_t r = ::read(f.host_fd, b.data(), n);
      if (r < 0) return d.ret_errno(errno_from_host(errno));
      b.resize(size_t(r));
    }
    d.m->write(buf, b.data(), b.size());
    d.ret(b.size());
  });
  d.add_stub("_open", "sx", [](Darwin& d) {
    std::string path = d.m->read_cstr(d.arg(0));
    int flags = int(d.arg(1));
    int mode = flags & kO_CREAT ? int(d.vararg(2, 0)) : 0;
    // macOS has no procfs: what the host's /proc holds is not the guest's.
    if (path == "/proc" || path.rfind("/proc/", 0) == 0) return d.ret_errno(kENOENT);
    int h = ::open(path.c_str(), host_oflags(flags), mode);
    if (h < 0) return d.ret_errno(errno_from_host(errno));
    d.ret(uint64_t(d.new_fd({Fd::host, h, nullptr, flags & kO_CLOEXEC ? kFD_CLOEXEC : 0,
                             flags & (kO_ACCMODE | kO_NONBLOCK | kO_APPEND)})));
  });
  d.add_stub("_close", "x", [](Darwin& d) {
    auto it = d.fds.find(int(d.arg(0)));
    if (it == d.fds.end()) return d.ret_errno(kEBADF);
    Fd f = it->second;
    d.fds.erase(it);
    if (f.kind == Fd::host && f.host_fd > 2) ::close(f.host_fd);
    if (f.kind == Fd::pipe_read) f.pipe->readers--;
    if (f.kind == Fd::pipe_write) f.pipe->writers--;
    if (f.pipe) d.m->wake(d.pipe_key(f.pipe.get()), INT_MAX);
    d.ret(0);
  });
  d.add_stub("_fcntl", "xx", [](Darwin& d) {
    auto it = d.fds.find(int(d.arg(0)));
    if (it == d.fds.end()) return d.ret_errno(kEBADF);
    int cmd = int(d.arg(1));
    Fd& f = it->second;
    switch (cmd) {
      case kF_GETFD: return d.ret(uint64_t(f.fdflags));
      case kF_SETFD: f.fdflags = int(d.vararg(2, 0)) & kFD_CLOEXEC; return d.ret(0);
      case kF_GETFL: return d.ret(uint64_t(f.status));
      case kF_SETFL:
        f.status = (f.status & kO_ACCMODE) | (int(d.vararg(2, 0)) & (kO_NONBLOCK | kO_APPEND));
        return d.ret(0);
      default: return d.ret_errno(kEINVAL);
    }
  });
  d.add_stub("_pipe", "x", [](Darwin& d) {
    uint64_t out = d.arg(0);
    if (!d.m->accessible(out, 8, kWrite)) return d.ret_errno(kEFAULT);
    auto p = std::make_shared<Pipe>();
    int r = d.new_fd({Fd::pipe_read, -1, p, 0, kO_RDONLY});
    int w = d.new_fd({Fd::pipe_write, -1, p, 0, kO_WRONLY});
    d.m->write_u32(out, uint32_t(r));
    d.m->write_u32(out + 4, uint32_t(w));
    d.ret(0);
  });
}

void mem_calls(Darwin& d) {
  d.add_stub("_mmap", "xxxxxx", [](Darwin& d) {
    uint64_t addr = d.arg(0), len = d.arg(1);
    int prot = int(d.arg(2)), flags = int(d.arg(3)), fd = int(d.arg(4));
    uint64_t off = d.arg(5);
    if (len == 0 || len > (uint64_t(1) << 47)) return d.ret_errno(kEINVAL);
    if (prot & ~(kPROT_READ | kPROT_WRITE | kPROT_EXEC)) return d.ret_errno(kEINVAL);
    if (!(flags & kMAP_ANON))
      fatal("darwin: mmap of file descriptor " + std::to_string(fd) + " is not modelled");
    if (off % d.page) return d.ret_errno(kEINVAL);
    unsigned p = unsigned(prot);  // PROT_ bits are the machine's
    uint64_t n = round_page(len, d.page);
    if (flags & kMAP_FIXED) {
      if (addr % d.page) return d.ret_errno(kEINVAL);
      d.m->map(addr, n, p);
      return d.ret(addr);
    }
    uint64_t a = d.m->map_anywhere(addr & ~(d.page - 1), n, p);
    if (!a) return d.ret_errno(kENOMEM);
    d.ret(a);
  });
  d.add_stub("_munmap", "xx", [](Darwin& d) {
    uint64_t addr = d.arg(0), len = d.arg(1);
    if (addr % d.page || len == 0) return d.ret_errno(kEINVAL);
    d.m->unmap(addr, round_page(len, d.page));
    d.ret(0);
  });
  d.add_stub("_mprotect", "xxx", [](Darwin& d) {
    uint64_t addr = d.arg(0), len = d.arg(1);
    int prot = int(d.arg(2));
    if (addr % d.page) return d.ret_errno(kEINVAL);  // VM_SANITIZE_FLAGS_CHECK_ALIGNED_START
    if (len == 0) return d.ret(0);
    if (!d.m->protect(addr, round_page(len, d.page), unsigned(prot) & 7))
      return d.ret_errno(kENOMEM);
    d.ret(0);
  });
  d.add_stub("_madvise", "xxx", [](Darwin& d) {
    uint64_t addr = d.arg(0), len = d.arg(1);
    int adv = int(d.arg(2));
    if (adv < kMADV_NORMAL || adv > 9) return d.ret_errno(kEINVAL);
    uint64_t lo = addr & ~(d.page - 1), hi = round_page(addr + len, d.page);
    if (len && !d.m->is_mapped(lo, hi - lo)) return d.ret_errno(kENOMEM);
    // MADV_FREE and MADV_DONTNEED may drop the contents or not; macOS keeps
    // them until memory is short, and so does the model (never short).
    d.ret(0);
  });
  d.add_stub("_getpagesize", "", [](Darwin& d) { d.ret(d.page); });
}

void misc_calls(Darwin& d) {
  d.add_stub("_exit", "x", [](Darwin& d) {
    DThread& t = d.cur();
    t.process_exit = true;
    t.exit_status = int(d.arg(0));
    d.finish_thread();
  });
  d.add_stub("main return", nullptr, [](Darwin& d) {  // dyld: exit(main(...))
    DThread& t = d.cur();
    t.process_exit = true;
    t.exit_status = int(d.arg(0));
    d.finish_thread();
  });
  d.add_stub("exit continue", nullptr, [](Darwin& d) { d.finish_thread(); });
  d.add_stub("init continue", nullptr, [](Darwin& d) { d.next_init_or_main(); });
  d.add_stub("_issetugid", "", [](Darwin& d) { d.ret(0); });
  d.add_stub("___error", "", [](Darwin& d) { d.ret(d.cur().errno_addr); });
  d.add_stub("_arc4random_buf", "xx", [](Darwin& d) {
    uint64_t buf = d.arg(0), n = d.arg(1);
    std::vector<uint8_t> b(n);
    d.m->random_bytes(b.data(), n);
    if (n && !d.m->write(buf, b.data(), n)) fatal("darwin: arc4random_buf into unmapped memory");
    d.ret(0);
  });
  d.add_stub("_clock_gettime", "xx", [](Darwin& d) {
    int clk = int(d.arg(0));
    uint64_t ts = d.arg(1), ns;
    switch (clk) {
      case kCLOCK_REALTIME: ns = d.m->wall_ns(); break;
      case kCLOCK_MONOTONIC:
      case kCLOCK_MONOTONIC_RAW:
      case kCLOCK_MONOTONIC_RAW_APPROX:
      case kCLOCK_UPTIME_RAW:
      case kCLOCK_UPTIME_RAW_APPROX: ns = d.m->now_ns(); break;
      case kCLOCK_PROCESS_CPUTIME_ID:
        ns = 0;
        for (auto& t : d.m->threads()) ns += d.m->cpu_ns(*t);
        break;
      case kCLOCK_THREAD_CPUTIME_ID: ns = d.m->cpu_ns(d.m->current()); break;
      default: return d.ret_errno(kEINVAL);
    }
    if (!d.m->accessible(ts, 16, kWrite)) return d.ret_errno(kEFAULT);
    Timespec v{int64_t(ns / 1000000000), int64_t(ns % 1000000000)};
    d.m->write(ts, &v, sizeof v);
    d.ret(0);
  });
  d.add_stub("_sysctlbyname", "sxxxx", [](Darwin& d) {
    std::string name = d.m->read_cstr(d.arg(0));
    uint64_t oldp = d.arg(1), oldlenp = d.arg(2), newp = d.arg(3);
    std::vector<uint8_t> v;
    auto i32 = [&](int32_t x) { v.resize(4), memcpy(v.data(), &x, 4); };
    auto i64 = [&](int64_t x) { v.resize(8), memcpy(v.data(), &x, 8); };
    auto str = [&](const std::string& s) { v.assign(s.begin(), s.end()), v.push_back(0); };
    if (name == "hw.ncpu" || name == "hw.activecpu" || name == "hw.logicalcpu" ||
        name == "hw.physicalcpu" || name == "hw.logicalcpu_max" || name == "hw.physicalcpu_max")
      i32(d.m->ncpu);
    else if (name == "hw.pagesize")
      i64(int64_t(d.page));
    else if (name == "kern.osrelease")
      str("20.6.0");  // macOS 11.5, Big Sur: the oldest the binaries target
    else if (name == "kern.ostype")
      str("Darwin");
    else if (name == "hw.machine")
      str(d.m->cpu() == Cpu::amd64 ? "x86_64" : "arm64");
    else
      return d.ret_errno(kENOENT);
    if (newp) return d.ret_errno(kEPERM);
    if (!oldlenp) return d.ret(0);
    uint64_t have = d.m->read_u64(oldlenp);
    d.m->write_u64(oldlenp, v.size());
    if (!oldp) return d.ret(0);
    if (have < v.size()) return d.ret_errno(kENOMEM);
    d.m->write(oldp, v.data(), v.size());
    d.ret(0);
  });
}

}  // namespace

int Darwin::new_fd(Fd f) {
  int n = 0;
  while (fds.count(n)) n++;
  fds[n] = std::move(f);
  return n;
}

// A wait key for a pipe: an address no guest mapping can have (above the
// 48-bit user space), unique per pipe while it lives.
uint64_t Darwin::pipe_key(const Pipe* p) const {
  return 0xffff000000000000ull | (reinterpret_cast<uintptr_t>(p) & 0xffffffffffffull);
}

void install_thread_calls(Darwin& d);  // os_darwin_pthread.cpp

void Darwin::install_calls() {
  io_calls(*this);
  mem_calls(*this);
  misc_calls(*this);
  install_thread_calls(*this);
}

}  // namespace sim::darwin
