// tests/port/kconsts.cpp — each kernel constant the OS port hands the kernel
// does what the port means by it, seen from outside the port (procfs, the
// kernel's own signals): a wrong flag value that the kernel accepts quietly
// (another flag's bit, or one it ignores) fails here. Where the OS has no
// procfs the checks that read it skip. docs/ports/conformance.md lists the
// constants per OS.
#include "atomic.h"
#include "tap.h"
#include "thread.h"

namespace {
// The file's first n-1 bytes, NUL-terminated; 0 if it cannot be read.
long slurp(const char* path, char* buf, long n) {
  int fd = gort::os_open(path, false);
  if (fd < 0) return 0;
  long got = 0, r;
  while (got < n - 1 && (r = gort::os_read(fd, buf + got, n - 1 - got)) > 0) got += r;
  gort::os_close(fd);
  buf[got] = 0;
  return got;
}

size_t len(const char* s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

bool starts(const char* s, const char* prefix) {
  while (*prefix)
    if (*s++ != *prefix++) return false;
  return true;
}

// The number after "key" on its line, in base 10 or 8; -1 if absent.
long field(const char* text, const char* key, int base = 10) {
  for (const char* p = text; *p; p++) {
    if ((p == text || p[-1] == '\n') && starts(p, key)) {
      p += len(key);
      while (*p == ' ' || *p == '\t') p++;
      long v = 0;
      if (*p < '0' || *p > '9') return -1;
      while (*p >= '0' && *p < '0' + base) v = v * base + (*p++ - '0');
      return v;
    }
  }
  return -1;
}

void hex(char* out, uintptr_t v) {  // lower-case, no leading zeros, as procfs prints
  char tmp[17];
  int n = 0;
  do tmp[n++] = "0123456789abcdef"[v & 15], v >>= 4;
  while (v);
  while (n) *out++ = tmp[--n];
  *out = 0;
}

// prefix, n in decimal, suffix: a procfs path.
void numbered_path(char (&out)[64], const char* prefix, long n, const char* suffix) {
  size_t at = 0;
  for (const char* p = prefix; *p;) out[at++] = *p++;
  char tmp[24];
  int k = 0;
  do tmp[k++] = char('0' + n % 10), n /= 10;
  while (n);
  while (k) out[at++] = tmp[--k];
  for (const char* p = suffix; *p;) out[at++] = *p++;
  out[at] = 0;
}

char big[1 << 20];

// The VmFlags line of the smaps entry starting at addr: 1 if it has flag, 0
// if not, -1 if smaps or the entry or its VmFlags cannot be found.
int smaps_flag(uintptr_t addr, const char* flag) {
  if (!slurp("/proc/self/smaps", big, sizeof big)) return -1;
  char want[24];
  hex(want, addr);
  for (const char* p = big; *p; p++) {
    if ((p != big && p[-1] != '\n') || !starts(p, want) || p[len(want)] != '-') continue;
    for (const char* q = p + 1; *q; q++) {
      if (q[-1] != '\n') continue;
      if (starts(q, "VmFlags:")) {
        for (q += 8; *q && *q != '\n'; q++)
          if (q[-1] == ' ' && starts(q, flag) && (q[2] == ' ' || q[2] == '\n' || !q[2])) return 1;
        return 0;
      }
      bool addr_line = false;  // the next entry: this one had no VmFlags
      for (const char* e = q; *e && *e != '\n' && *e != ' '; e++) addr_line |= *e == '-';
      if (addr_line) return -1;
    }
    return -1;
  }
  return -1;
}

// ---- SA_RESTART: a read interrupted by a handled signal goes on.
int fds[2];
tap::Thread reader_thread;
long read_result;
uint32_t reader_tid_set;
uintptr_t reader_tid;
int handled;
void on_usr1(int, void*, void*) { __atomic_add_fetch(&handled, 1, __ATOMIC_RELAXED); }
void reader(void*) {
  reader_tid = gort::os_thread_self();
  gort::atomic::store(&reader_tid_set, 1u);
  char c;
  read_result = gort::os_read(fds[0], &c, 1);
}
void nap() {
  uint32_t w = 0;
  gort::os_futexsleep(&w, 0, 1000000);
}
// The thread's scheduler state from procfs ('S': asleep in the kernel), or 0.
char task_state(uintptr_t tid) {
  char path[64];
  numbered_path(path, "/proc/self/task/", long(tid), "/stat");
  char buf[512];
  if (!slurp(path, buf, sizeof buf)) return 0;
  const char* p = buf;
  while (*p && *p != ')') p++;  // the name may hold spaces
  return *p && p[1] && p[2] ? p[2] : 0;
}

// ---- SA_SIGINFO and the signal numbers the kernel itself sends.
int sigpipe_seen, siginfo_code;
void on_pipe(int sig, void* info, void*) {
  sigpipe_seen = sig;
  siginfo_code = gort::os_sigcode(info);
}
}  // namespace

int main(int, char**) {
  tap::watchdog("kconsts", 3000);
  tap::plan(9);
  bool linux = starts(gort::kOSName, "linux") && !gort::kOSName[5];
  bool procfs = slurp("/proc/meminfo", big, sizeof big) > 0;

  // MAP_NORESERVE: a PROT_NONE reservation larger than RAM plus swap, which
  // the kernel marks "nr" (not accounted) in smaps.
  long kb = procfs ? field(big, "MemTotal:") + field(big, "SwapTotal:") : 64L << 20;
  size_t size = ((size_t(kb) << 10) + (size_t(1) << 30)) & ~((size_t(1) << 30) - 1);
  char* r = static_cast<char*>(gort::os_mmap(nullptr, size, gort::kProtNone));
  tap::diag("RAM plus swap ", kb >> 10, " MiB; reserving ", size >> 20, " MiB");
  tap::ok(r != nullptr, "a PROT_NONE reservation larger than RAM plus swap succeeds");
  int nr = r ? smaps_flag(uintptr_t(r), "nr") : -1;
  if (nr < 0)
    tap::skip("the reservation is marked MAP_NORESERVE in smaps", "no VmFlags in /proc/self/smaps");
  else
    tap::ok(nr == 1, "the reservation is marked MAP_NORESERVE in smaps (VmFlags nr)");

  // MAP_FIXED: os_sysmap commits exactly where asked inside the reservation.
  const size_t page = 1 << 16;
  char* at = r ? r + 5 * page : nullptr;
  bool fixed = at && gort::os_sysmap(at, page);
  if (fixed) at[0] = 1, at[page - 1] = 2;
  tap::ok(fixed && at[0] == 1 && at[page - 1] == 2,
          "os_sysmap (MAP_FIXED) maps read-write where asked");

  // MADV_DONTNEED: Linux drops private anonymous pages at once, so they read
  // zero (MADV_FREE, say, would leave the old bytes until memory is short).
  if (fixed && linux) {
    gort::os_madvise_free(at, page);
    tap::ok(at[0] == 0 && at[page - 1] == 0,
            "os_madvise_free (MADV_DONTNEED) drops the pages: they read zero");
  } else {
    tap::skip("os_madvise_free drops the pages", "Linux's MADV_DONTNEED only");
  }
  if (r) gort::os_munmap(r, size);

  // O_CLOEXEC on both ends of os_pipe, from the kernel's fdinfo.
  tap::ok(gort::os_pipe(fds) == 0, "os_pipe makes a pipe");
  long flags[2] = {-1, -1};
  for (int i = 0; i < 2; i++) {
    char path[64];
    numbered_path(path, "/proc/self/fdinfo/", fds[i], "");
    if (slurp(path, big, sizeof big)) flags[i] = field(big, "flags:", 8);
  }
  if (flags[0] < 0 || !linux)
    tap::skip("both ends of os_pipe are close-on-exec", "no /proc/self/fdinfo");
  else
    tap::ok((flags[0] & 02000000) && (flags[1] & 02000000),
            "both ends of os_pipe are close-on-exec (fdinfo flags O_CLOEXEC)");

  // O_RDWR and O_RDONLY: /dev/null opened for writing takes a byte, opened
  // for reading refuses it.
  int w = gort::os_open("/dev/null", true), ro = gort::os_open("/dev/null", false);
  tap::ok(w >= 0 && gort::os_write(w, "x", 1) == 1 && ro >= 0 && gort::os_write(ro, "x", 1) < 0,
          "os_open's write flag opens read-write, its absence read-only");
  if (w >= 0) gort::os_close(w);
  if (ro >= 0) gort::os_close(ro);

  // SA_RESTART: SIGUSR1 lands on a thread blocked in read; the read goes on
  // and returns the byte written after the handler ran.
  gort::os_setsig(gort::kSIGUSR1, on_usr1);

  tap::spawn(&reader_thread, reader, nullptr);
  for (int i = 0; i < 5000 && !gort::atomic::load(&reader_tid_set); i++) nap();
  int naps = 0;
  while (naps < 5000 && task_state(reader_tid) != 'S') naps++, nap();
  if (naps == 5000) tap::diag("the reader was not seen asleep in read");
  gort::os_signal_thread(reader_tid, gort::kSIGUSR1);
  for (int i = 0; i < 5000 && !__atomic_load_n(&handled, __ATOMIC_RELAXED); i++) nap();
  gort::os_write(fds[1], "y", 1);
  tap::join(&reader_thread);
  if (read_result != 1) tap::diag("read returned ", read_result);
  tap::ok(handled == 1 && read_result == 1,
          "a read interrupted by a handled signal restarts (SA_RESTART)");

  // SIGPIPE and EPIPE: the kernel's own signal, with siginfo (SA_SIGINFO):
  // si_code SI_USER (0) on Linux, which sends it as kill would.
  gort::os_setsig(gort::kSIGPIPE, on_pipe);
  gort::os_close(fds[0]);
  long wr = gort::os_write(fds[1], "z", 1);
  tap::ok(wr == -gort::kEPIPE && sigpipe_seen == gort::kSIGPIPE && (!linux || siginfo_code == 0),
          "writing to a closed pipe gives -kEPIPE and kSIGPIPE with its siginfo");
  if (wr != -gort::kEPIPE || sigpipe_seen != gort::kSIGPIPE || siginfo_code != 0)
    tap::diag("write ", wr, ", signal ", sigpipe_seen, ", si_code ", siginfo_code);
  gort::os_close(fds[1]);
  return tap::done();
}
