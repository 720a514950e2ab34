// <gort/gort.h> — what a gort program uses.
//
// A gort program is an ordinary `int main(int argc, char** argv)`. The runtime's
// own entry (rt0) boots first, then calls main and exits with its status.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "traits.h"

// The runtime calls the program's `int main(int, char**)` by its C name. In
// freestanding mode clang treats main as an ordinary (mangled) function, so
// give it that name here; gcc already does.
#if defined(__clang__) && !__STDC_HOSTED__
#define GORT_STR_(x) #x
#define GORT_STR(x) GORT_STR_(x)
int main(int, char**) __asm__(GORT_STR(__USER_LABEL_PREFIX__) "main");
#undef GORT_STR
#undef GORT_STR_
#endif

// Placement new, which <new> would declare: gort programs are freestanding
// and have no C++ standard library headers. (Hosted code, such as the unit
// tests, gets it from <new>.)
// So are the types of the aligned and nothrow forms of new, which the
// runtime defines (runtime/new.cpp); new of a type with alignas above 16
// calls operator new(size_t, std::align_val_t).
#if __STDC_HOSTED__
#include <new>
#else
inline void* operator new(size_t, void* p) noexcept { return p; }
inline void operator delete(void*, void*) noexcept {}
namespace std {
enum class align_val_t : size_t {};
struct nothrow_t {
  explicit nothrow_t() = default;
};
extern const nothrow_t nothrow;
}  // namespace std
void* operator new(size_t, const std::nothrow_t&) noexcept;
void* operator new[](size_t, const std::nothrow_t&) noexcept;
void* operator new(size_t, std::align_val_t, const std::nothrow_t&) noexcept;
void* operator new[](size_t, std::align_val_t, const std::nothrow_t&) noexcept;
void operator delete(void*, const std::nothrow_t&) noexcept;
void operator delete[](void*, const std::nothrow_t&) noexcept;
void operator delete(void*, std::align_val_t, const std::nothrow_t&) noexcept;
void operator delete[](void*, std::align_val_t, const std::nothrow_t&) noexcept;
#endif

namespace gort {

// ---- Printing without libc, in the spirit of Go's print/println builtins.
// Each call is buffered and written with as few write(2) calls as possible.
class Printer {
 public:
  explicit Printer(int fd) : fd_(fd) {}
  ~Printer() { flush(); }
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;
  void bytes(const char* p, size_t n);
  void flush();

 private:
  int fd_;
  size_t n_ = 0;
  char buf_[256];
};

// Prints v in hexadecimal with a 0x prefix.
struct Hex {
  uint64_t v;
};

void print_arg(Printer& p, const char* s);
void print_arg(Printer& p, int64_t v);
void print_arg(Printer& p, uint64_t v);
void print_arg(Printer& p, Hex h);
void print_arg(Printer& p, const void* ptr);
void print_arg(Printer& p, double v);  // Go's print format: +1.500000e+000
inline void print_arg(Printer& p, char* s) { print_arg(p, static_cast<const char*>(s)); }
inline void print_arg(Printer& p, bool b) { print_arg(p, b ? "true" : "false"); }
inline void print_arg(Printer& p, char c) { p.bytes(&c, 1); }
template <typename T>
requires gort::is_integral_v<T> &&
    (!gort::is_same_v<T, bool>)&&(!gort::is_same_v<T, char>)void print_arg(Printer& p, T v) {
  if constexpr (gort::is_signed_v<T>)
    print_arg(p, int64_t(v));
  else
    print_arg(p, uint64_t(v));
}
inline void print_arg(Printer& p, float v) { print_arg(p, double(v)); }

template <typename... A>
void fprint(int fd, const A&... a) {
  Printer p(fd);
  (print_arg(p, a), ...);
}
template <typename... A>
void print(const A&... a) {
  fprint(1, a...);
}
template <typename... A>
void println(const A&... a) {
  fprint(1, a..., '\n');
}
template <typename... A>
void eprint(const A&... a) {
  fprint(2, a...);
}

// ---- Fatal errors: "fatal error: <msg>" on stderr, exit status 2 (as Go).
[[noreturn]] void fatal(const char* msg);
// Go's panic (there is no recover): "panic: <msg>", the goroutine's
// traceback, exit status 2.
[[noreturn]] void panic(const char* msg);

// ---- Memory (docs/ARCHITECTURE.md, "Memory"). Allocation never fails: when
// the OS refuses memory the program dies with "fatal error: out of memory".

// pointer_free<T>: T holds no pointers, so its memory goes to noscan spans the
// GC will not scan. True for arithmetic types and arrays of them; specialise
// it (`template <> inline constexpr bool gort::pointer_free<Vec3> = true;`)
// for your own pointer-free structs.
template <typename T>
inline constexpr bool pointer_free = is_arithmetic_v<T>;
template <typename T, size_t N>
inline constexpr bool pointer_free<T[N]> = pointer_free<T>;

// size bytes of zeroed heap memory (Go's mallocgc), at least 8-aligned.
// The garbage collector frees it once no pointer to it is left (docs/GC.md:
// what counts as a pointer). There is no explicit free: operator delete runs
// the destructor and leaves the memory to the collector.
void* alloc(size_t size, bool noscan);
// The same at a multiple of align, a power of two of any size (past the
// page size, whole pages starting on an align boundary).
void* alloc_aligned(size_t size, size_t align, bool noscan);

// One T constructed on the heap (Go's new(T), with constructor arguments),
// aligned to alignof(T).
template <typename T, typename... A>
T* make(A&&... args) {
  void* p = alignof(T) <= 8 ? alloc(sizeof(T), pointer_free<T>)
                            : alloc_aligned(sizeof(T), alignof(T), pointer_free<T>);
  return new (p) T(static_cast<A&&>(args)...);
}
// n zeroed Ts (Go's make([]T, n)), aligned to alignof(T); T must be valid
// when all-zero. n == 0 may return the same pointer each time (as Go).
template <typename T>
T* make_array(size_t n) {
  if (n && sizeof(T) > ~size_t(0) / n) fatal("make_array: size out of range");
  if constexpr (alignof(T) <= 8)
    return static_cast<T*>(alloc(sizeof(T) * n, pointer_free<T>));
  else
    return static_cast<T*>(alloc_aligned(sizeof(T) * n, alignof(T), pointer_free<T>));
}

// Returns every free heap page to the OS now (Go's debug.FreeOSMemory; the
// background scavenger does this by itself for pages idle half a second).
void free_os_memory();

// Go's runtime.MemStats, field for field where gort has the concept.
struct MemStats {
  uint64_t Alloc;          // bytes of allocated heap objects (= HeapAlloc)
  uint64_t TotalAlloc;     // cumulative bytes allocated, each object rounded to its size class
  uint64_t Sys;            // bytes obtained from the OS (heap + stacks + runtime metadata)
  uint64_t Mallocs;        // cumulative objects allocated
  uint64_t Frees;          // cumulative objects freed (tiny ones sharing a block: at once, as Go)
  uint64_t HeapAlloc;      // bytes of allocated heap objects (unswept dead ones included)
  uint64_t HeapSys;        // bytes of heap memory committed from the OS
  uint64_t HeapIdle;       // bytes in free spans
  uint64_t HeapInuse;      // bytes in in-use spans
  uint64_t HeapReleased;   // bytes of free spans returned to the OS
  uint64_t HeapObjects;    // allocated heap objects
  uint64_t StackInuse;     // bytes of goroutine stacks in use
  uint64_t StackSys;       // bytes of stack memory obtained from the OS
  uint64_t NextGC;         // heap goal of the next cycle (HeapAlloc at which it starts)
  uint64_t LastGC;         // when the last cycle ended, ns since 1970 (0: none yet)
  uint64_t PauseTotalNs;   // stop-the-world pauses, all cycles, ns
  uint64_t PauseNs[256];   // recent pauses: cycle N's at PauseNs[(N+255)%256]
  uint64_t PauseEnd[256];  // when each of them ended, ns since 1970
  uint32_t NumGC;          // completed GC cycles
  uint32_t NumForcedGC;    // of them, asked for by gort::gc()
  double GCCPUFraction;    // share of the CPU time available since start the GC has used
  bool EnableGC;           // always true (as in Go)
};
void read_mem_stats(MemStats* m);

// ---- The garbage collector (docs/GC.md): conservative, parallel
// mark-sweep, paced by GOGC and GOMEMLIMIT as Go's is.

// Runs a full collection and the sweep after it, then returns (Go's runtime.GC).
void gc();
// The heap grows to live x (1 + percent/100) before the next cycle; < 0 turns
// the collector off (GOGC=off). Returns the previous value (Go's debug.SetGCPercent).
int32_t set_gc_percent(int32_t percent);
// A soft limit on the memory the runtime uses, in bytes (GOMEMLIMIT); < 0
// only reads it. Returns the previous limit (Go's debug.SetMemoryLimit).
int64_t set_memory_limit(int64_t limit);
// Memory the program maps itself (not from gort's heap) that holds pointers
// to heap objects: scanned as a root from now until remove_roots(p) (bdwgc's
// GC_add_roots). p is the start passed to add_roots.
void add_roots(const void* p, size_t n);
void remove_roots(const void* p);

namespace detail {
void set_finalizer(void* p, void (*call)(void* obj, void* ctx), void* ctx);
}
// Once *p is found unreachable, runs fn(p) on the finalizer goroutine; p and
// what it points to stay alive until fn returns (Go's runtime.SetFinalizer).
// p must be the start of a heap object; fn may be any callable taking T*
// (copied to the heap). A destructor never runs by itself: call it here.
template <typename T, typename F>
void set_finalizer(T* p, F fn) {
  F* c = make<F>(static_cast<F&&>(fn));
  detail::set_finalizer(
      const_cast<void*>(static_cast<const void*>(p)),
      [](void* obj, void* ctx) { (*static_cast<F*>(ctx))(static_cast<T*>(obj)); }, c);
}
// Removes p's finalizer (Go's SetFinalizer(p, nil)).
template <typename T>
void set_finalizer(T* p, decltype(nullptr)) {
  detail::set_finalizer(const_cast<void*>(static_cast<const void*>(p)), nullptr, nullptr);
}

// ---- Goroutines (docs/ARCHITECTURE.md, "Scheduler").
namespace detail {
void go_fn(void (*fn)(void*), void* arg);
}
// Runs f() in a new goroutine (Go's `go f()`). f is copied onto the heap.
template <typename F>
void go(F f) {
  F* c = make<F>(static_cast<F&&>(f));
  detail::go_fn(
      [](void* p) {
        F* fp = static_cast<F*>(p);
        (*fp)();
        fp->~F();
      },
      c);
}
void gosched();              // yields the processor (Go's runtime.Gosched)
[[noreturn]] void goexit();  // ends the calling goroutine (Go's runtime.Goexit)
int64_t num_goroutine();     // live goroutines (Go's runtime.NumGoroutine)
int32_t gomaxprocs_now();    // the number of Ps (GOMAXPROCS)
// Changes the number of Ps, stopping the world to do it; returns the previous
// value. n < 1 changes nothing (Go's runtime.GOMAXPROCS).
int32_t set_gomaxprocs(int32_t n);
// Wires the calling goroutine to its current OS thread: it runs only there,
// and nothing else runs there, until as many unlock_os_thread calls
// (Go's runtime.LockOSThread/UnlockOSThread).
void lock_os_thread();
void unlock_os_thread();
// The most OS threads the program may use (default 10000, as Go); past it,
// "fatal error: thread exhaustion". Returns the old limit (debug.SetMaxThreads).
int32_t set_max_threads(int32_t n);

// Blocking reads and writes: while one blocks, its P goes to other
// goroutines (sysmon hands it off). Return bytes or -errno.
long read(int fd, void* buf, size_t n);
long write(int fd, const void* buf, size_t n);

// ---- Process facts.
int nargs();                        // argc
const char* arg(int i);             // argv[i], or nullptr out of range
const char* getenv(const char* k);  // value of k, or nullptr if unset
int ncpu();                         // CPUs this process may run on
int64_t nanotime();                 // monotonic clock, ns
uintptr_t pagesize();               // physical page size

}  // namespace gort

// The rest of the public API. (<gort/time.h>, sleep and timers, is
// included on its own, as Go's "time" is imported on its own.)
#include "chan.h"  // channels and select: Chan<T>, make_chan, select
#include "sync.h"  // NOLINT: the sync package, after the rest of the API
