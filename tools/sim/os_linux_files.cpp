// gort-sim's Linux model: file descriptors. Files are the host's; pipes
// live in the simulator so a blocking read blocks only the guest thread;
// the few /proc files gort reads are made up here, the same on every host.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "os_linux.h"

namespace sim::linux_model {

namespace {
// asm-generic/fcntl.h: the same on x86-64, arm64 and riscv64 for these.
constexpr int kO_ACCMODE = 3, kO_WRONLY = 1, kO_RDWR = 2, kO_CREAT = 0x40, kO_EXCL = 0x80,
              kO_TRUNC = 0x200, kO_APPEND = 0x400, kO_NONBLOCK = 0x800, kO_CLOEXEC = 0x80000;
constexpr int kF_DUPFD = 0, kF_GETFD = 1, kF_SETFD = 2, kF_GETFL = 3, kF_SETFL = 4,
              kF_DUPFD_CLOEXEC = 1030, kFD_CLOEXEC = 1;
constexpr int kAT_FDCWD = -100;
constexpr int kMaxFds = 1024;

int new_fd(Process& p, std::shared_ptr<File> f, bool cloexec, int from = 0) {
  for (int fd = from; fd < kMaxFds; fd++) {
    if (!p.fds.count(fd)) {
      p.fds[fd] = Fd{std::move(f), cloexec};
      return fd;
    }
  }
  return -kEMFILE;
}

File* file_of(Process& p, int fd) {
  auto it = p.fds.find(fd);
  return it == p.fds.end() ? nullptr : it->second.file.get();
}

uint64_t pipe_key(const Pipe* pp) { return reinterpret_cast<uint64_t>(pp) | 1; }
}  // namespace

File::~File() {
  if (kind == host && hostfd > 2) ::close(hostfd);
  if (kind == pipe_r) pipe->readers--;
  if (kind == pipe_w) pipe->writers--;
}

void init_files(Process& p) {
  for (int fd = 0; fd < 3; fd++) {
    auto f = std::make_shared<File>();
    f->kind = File::host;
    f->hostfd = fd;
    f->status_flags = fd == 0 ? 0 : kO_WRONLY;
    p.fds[fd] = Fd{f, false};
  }
}

int64_t sys_read(Process& p, Machine& m, int fd, uint64_t buf, uint64_t n) {
  File* f = file_of(p, fd);
  if (!f || (f->status_flags & kO_ACCMODE) == kO_WRONLY || f->kind == File::pipe_w) return -kEBADF;
  if (!m.accessible(buf, n, kWrite)) return -kEFAULT;
  std::string data;
  switch (f->kind) {
    case File::memory:
      if (f->off < f->data.size()) data = f->data.substr(f->off, n);
      f->off += data.size();
      break;
    case File::host: {
      data.resize(n);
      ssize_t r = ::read(f->hostfd, data.data(), n);
      if (r < 0) return -errno;
      data.resize(size_t(r));
      break;
    }
    case File::pipe_r: {
      Pipe* pp = f->pipe.get();
      if (pp->buf.empty() && n > 0) {
        if (pp->writers == 0) return 0;  // end of file
        if (f->status_flags & kO_NONBLOCK) return -kEAGAIN;
        // Wait for a writer; the read is redone when the thread resumes.
        // pipe_read's wait is interruptible: ERESTARTSYS on a signal.
        auto keep = p.fds[fd].file;
        m.current().wait_what = "pipe read";
        m.block(pipe_key(pp), UINT64_MAX, [&p, &m, fd, buf, n, keep](Thread& t) {
          if (t.wake_reason == Thread::Wake::signal && interrupted(m, t, Restart::sys)) return;
          int64_t r = sys_read(p, m, fd, buf, n);
          if (r == kBlocked) return;  // blocked again: its own on_resume is set
          set_result(m, r);
        });
        return kBlocked;
      }
      data = pp->buf.substr(0, n);
      pp->buf.erase(0, data.size());
      break;
    }
    case File::pipe_w: return -kEBADF;
  }
  m.write(buf, data.data(), data.size());
  return int64_t(data.size());
}

int64_t sys_write(Process& p, Machine& m, int fd, uint64_t buf, uint64_t n) {
  File* f = file_of(p, fd);
  if (!f || (f->kind == File::host && (f->status_flags & kO_ACCMODE) == 0 && fd != 0) ||
      f->kind == File::pipe_r || f->kind == File::memory)
    return -kEBADF;
  std::string data(n, '\0');
  if (!copy_in(m, buf, data.data(), n)) return -kEFAULT;
  if (f->kind == File::pipe_w) {
    Pipe* pp = f->pipe.get();
    if (pp->readers == 0) {
      post_process_signal(p, m, {kSIGPIPE, kSI_USER, 0, m.current().tid});
      return -kEPIPE;
    }
    pp->buf += data;
    m.wake(pipe_key(pp), INT32_MAX);
    return int64_t(n);
  }
  ssize_t r = ::write(f->hostfd, data.data(), n);
  return r < 0 ? -errno : r;
}

int64_t sys_openat(Process& p, Machine& m, int dirfd, uint64_t pathp, int flags) {
  std::string path = m.read_cstr(pathp, 4096);
  if (!m.accessible(pathp, 1, kRead)) return -kEFAULT;
  if (path.empty()) return -kENOENT;
  if (path[0] != '/' && dirfd != kAT_FDCWD)
    fatal("linux: openat relative to a directory fd is not simulated (" + path + ")");
  auto f = std::make_shared<File>();
  f->status_flags = flags & (kO_ACCMODE | kO_APPEND | kO_NONBLOCK);
  if (path == "/proc/self/exe") {
    path = p.prog.path;
  } else if (path == "/proc/sys/vm/max_map_count") {
    f->kind = File::memory;
    f->data = "65530\n";  // the kernel's default
  } else if (path == "/proc/self/maps") {
    // Anonymous mappings as Linux prints them: "lo-hi rwxp 0 00:00 0".
    f->kind = File::memory;
    for (auto& mp : m.mappings()) {
      char line[96];
      snprintf(line, sizeof line, "%08llx-%08llx %c%c%cp 00000000 00:00 0\n",
               (unsigned long long)mp.lo, (unsigned long long)mp.hi, (mp.prot & kRead) ? 'r' : '-',
               (mp.prot & kWrite) ? 'w' : '-', (mp.prot & kExec) ? 'x' : '-');
      f->data += line;
    }
  } else if (path.rfind("/proc/", 0) == 0 || path.rfind("/sys/", 0) == 0) {
    return -kENOENT;  // the rest of /proc is not simulated: gort must cope
  }
  if (f->kind == File::host) {
    int hf = kO_CLOEXEC | (flags & (kO_ACCMODE | kO_CREAT | kO_EXCL | kO_TRUNC | kO_APPEND));
    int h = ::open(path.c_str(), hf, 0644);
    if (h < 0) return -errno;
    f->hostfd = h;
  }
  return new_fd(p, f, flags & kO_CLOEXEC);
}

int64_t sys_close(Process& p, int fd) {
  auto it = p.fds.find(fd);
  if (it == p.fds.end()) return -kEBADF;
  std::shared_ptr<File> f = it->second.file;
  p.fds.erase(it);
  if (f.use_count() == 1 && f->kind == File::pipe_w) {
    Pipe* pp = f->pipe.get();
    f.reset();  // drops the writer count before readers look
    if (pp) p.m->wake(pipe_key(pp), INT32_MAX);
  }
  return 0;
}

int64_t sys_pipe2(Process& p, Machine& m, uint64_t fds, int flags) {
  if (flags & ~(kO_CLOEXEC | kO_NONBLOCK)) return -kEINVAL;
  if (!m.accessible(fds, 8, kWrite)) return -kEFAULT;
  auto pp = std::make_shared<Pipe>();
  auto r = std::make_shared<File>(), w = std::make_shared<File>();
  r->kind = File::pipe_r;
  w->kind = File::pipe_w;
  r->pipe = w->pipe = pp;
  r->status_flags = flags & kO_NONBLOCK;
  w->status_flags = kO_WRONLY | (flags & kO_NONBLOCK);
  pp->readers = pp->writers = 1;
  int rfd = new_fd(p, r, flags & kO_CLOEXEC);
  if (rfd < 0) return rfd;
  int wfd = new_fd(p, w, flags & kO_CLOEXEC);
  if (wfd < 0) {
    p.fds.erase(rfd);
    return wfd;
  }
  int32_t out[2] = {rfd, wfd};
  m.write(fds, out, 8);
  return 0;
}

int64_t sys_fcntl(Process& p, int fd, int cmd, uint64_t a) {
  auto it = p.fds.find(fd);
  if (it == p.fds.end()) return -kEBADF;
  switch (cmd) {
    case kF_GETFD: return it->second.cloexec ? kFD_CLOEXEC : 0;
    case kF_SETFD: it->second.cloexec = a & kFD_CLOEXEC; return 0;
    case kF_GETFL: return it->second.file->status_flags;
    case kF_SETFL: {
      int& fl = it->second.file->status_flags;
      fl = (fl & ~(kO_NONBLOCK | kO_APPEND)) | int(a & (kO_NONBLOCK | kO_APPEND));
      return 0;
    }
    case kF_DUPFD:
    case kF_DUPFD_CLOEXEC: return new_fd(p, it->second.file, cmd == kF_DUPFD_CLOEXEC, int(a));
  }
  return -kEINVAL;
}

int64_t sys_lseek(Process& p, int fd, int64_t off, int whence) {
  File* f = file_of(p, fd);
  if (!f) return -kEBADF;
  if (f->kind == File::pipe_r || f->kind == File::pipe_w) return -kESPIPE;
  if (f->kind == File::memory) {
    int64_t base = whence == 0 ? 0 : whence == 1 ? int64_t(f->off) : int64_t(f->data.size());
    if (whence > 2 || base + off < 0) return -kEINVAL;
    f->off = uint64_t(base + off);
    return int64_t(f->off);
  }
  off_t r = ::lseek(f->hostfd, off, whence);
  return r < 0 ? -errno : r;
}

}  // namespace sim::linux_model
