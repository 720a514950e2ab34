// runtime/libc.cpp — the few C and C++ ABI symbols a compiler expects even in
// freestanding code. Linked only into freestanding programs.
#include "atomic.h"
#include "gort/gort.h"
#include "malloc.h"
#include "memops.h"
#include "runtime.h"

namespace gort {
struct TlsDtor {  // a registered thread_local destructor, on its M's list
  void (*fn)(void*);
  void* obj;
  TlsDtor* next;
};
// Records come from runtime metadata, reused, not from the heap: a raw
// thread (no P) may register one, and only goroutines allocate on the heap.
RtMutex tlsdtor_lock;
TlsDtor* tlsdtor_free = nullptr;
}  // namespace gort

extern "C" {

void* memcpy(void* d, const void* s, size_t n) { return gort::mem_move(d, s, n); }
void* memmove(void* d, const void* s, size_t n) { return gort::mem_move(d, s, n); }
void* memset(void* d, int c, size_t n) { return gort::mem_set(d, c, n); }
int memcmp(const void* a, const void* b, size_t n) { return gort::mem_cmp(a, b, n); }
// clang targeting Darwin lowers zero-initialisation to these.
void bzero(void* d, size_t n) { gort::mem_set(d, 0, n); }
void __bzero(void* d, size_t n) { gort::mem_set(d, 0, n); }

// ---- Static destructors. The C++ ABI registers each one here as its object is
// constructed; they run newest first after main returns (Go has no such thing;
// C++ programs expect it).
#if !defined(GORT_OS_LINKER_PROVIDES_DSO_HANDLE)
__attribute__((visibility("hidden"))) void* __dso_handle = &__dso_handle;
#endif

namespace {
struct ExitHook {
  void (*fn)(void*);
  void* arg;
};
// Hooks live in page-sized chunks, newest last. The first chunk is static:
// most programs never map another, and hooks registered before the runtime
// boots (Darwin's dyld runs static constructors first) need nothing from it.
struct HookChunk {
  HookChunk* prev;
  uintptr_t n;
  ExitHook h[255];
};
static_assert(sizeof(HookChunk) == 4096);
HookChunk first_chunk;
HookChunk* last_chunk = &first_chunk;
// A futex lock that needs no runtime (before boot); once the runtime runs,
// its holder is not preempted (so a goroutine waiting for it cannot stall
// the P that the holder needs).
uint32_t hooks_lock;

void lock_hooks() {
  if (gort::atomic::cas(&hooks_lock, 0u, 1u)) return;
  while (gort::atomic::xchg(&hooks_lock, 2u) != 0) gort::os_futexsleep(&hooks_lock, 2, -1);
}
void unlock_hooks() {
  if (gort::atomic::xchg(&hooks_lock, 0u) == 2) gort::os_futexwakeup(&hooks_lock, 1);
}
gort::G* current_g() { return gort::port_gettp() ? gort::getg() : nullptr; }
}  // namespace

int __cxa_atexit(void (*fn)(void*), void* arg, void*) {
  gort::G* g = current_g();
  if (g) g->locks++;
  lock_hooks();
  HookChunk* c = last_chunk;
  if (c->n == sizeof c->h / sizeof c->h[0]) {
    auto* fresh = static_cast<HookChunk*>(
        gort::os_mmap(nullptr, sizeof(HookChunk), gort::kProtRead | gort::kProtWrite));
    if (!fresh) gort::fatal("out of memory registering a static destructor");
    fresh->prev = c;
    last_chunk = c = fresh;
  }
  c->h[c->n++] = {fn, arg};
  unlock_hooks();
  if (g) g->locks--;
  return 0;
}

// thread_local objects with destructors register them here as they are
// constructed on an M (runtime/tls.cpp); they run when that M's thread ends,
// and, for the M that returns from main, before the static destructors.
int __cxa_thread_atexit(void (*fn)(void*), void* obj, void*) {
  gort::TlsDtor* d;
  if (!gort::port_gettp()) {
    // Before the tls stage (Darwin: a static constructor dyld runs), on the
    // only thread, the main one: no runtime yet, so records from a pool.
    static gort::TlsDtor early[16];
    static unsigned nearly;
    if (nearly == sizeof early / sizeof early[0]) {
      static const char msg[] = "fatal error: too many thread_local destructors before main\n";
      gort::os_write(2, msg, sizeof msg - 1);
      gort::os_exit(2);
    }
    d = &early[nearly++];
    *d = {fn, obj, gort::m0.tlsdtors};
    gort::m0.tlsdtors = d;
    return 0;
  }
  {
    gort::LockGuard g(&gort::tlsdtor_lock);
    if ((d = gort::tlsdtor_free)) gort::tlsdtor_free = d->next;
  }
  if (!d) d = static_cast<gort::TlsDtor*>(gort::persistentalloc(sizeof(gort::TlsDtor)));
  d->fn = fn;
  d->obj = obj;
  gort::NoPreempt np;  // the M whose thread_local obj is
  auto* m = static_cast<gort::M*>(gort::gettls()->m);
  d->next = m->tlsdtors;
  m->tlsdtors = d;
  return 0;
}

#if defined(GORT_OS_MACHO)
// The Mach-O name of the same hook (clang calls it for Darwin). libSystem
// has one too, which would run the destructor in pthread_exit: after the M
// is gone (os_exitthread), so gort keeps the list itself, as on ELF.
void _tlv_atexit(void (*fn)(void*), void* obj) { __cxa_thread_atexit(fn, obj, nullptr); }
#endif

// ---- Thread-safe function-local statics (Itanium C++ ABI). Byte 0 of the
// 64-bit guard says "initialised"; the next 32-bit word is gort's state:
// 0 untouched, 1 being initialised, 2 being initialised with sleepers.
namespace {
uint32_t* guard_state(uint64_t* g) { return reinterpret_cast<uint32_t*>(g) + 1; }
void guard_finish(uint64_t* g, uint32_t to) {
  if (gort::atomic::xchg(guard_state(g), to) == 2) gort::os_futexwakeup(guard_state(g), ~0u >> 1);
}
}  // namespace

int __cxa_guard_acquire(uint64_t* g) {
  auto* done = reinterpret_cast<uint8_t*>(g);
  uint32_t* st = guard_state(g);
  for (;;) {
    if (__atomic_load_n(done, __ATOMIC_ACQUIRE)) return 0;
    uint32_t s = gort::atomic::load(st);
    if (s == 0 && gort::atomic::cas(st, 0u, 1u)) return 1;
    if (s == 1 && !gort::atomic::cas(st, 1u, 2u)) continue;
    if (s == 3) return 0;
    gort::os_futexsleep(st, 2, -1);
  }
}
void __cxa_guard_release(uint64_t* g) {
  __atomic_store_n(reinterpret_cast<uint8_t*>(g), 1, __ATOMIC_RELEASE);
  guard_finish(g, 3);
}
void __cxa_guard_abort(uint64_t* g) { guard_finish(g, 0); }

[[noreturn]] void __cxa_pure_virtual() { gort::fatal("pure virtual method called"); }

// With -fstack-protector the compiler checks a canary against this guard.
uintptr_t __stack_chk_guard = 0x595e9fbd94fda766ull;
[[noreturn]] void __stack_chk_fail() { gort::fatal("stack smashing detected"); }

}  // extern "C"

namespace gort {
void run_tls_dtors(M* m) {
  // A destructor may construct another thread_local: take them one by one.
  while (TlsDtor* d = m->tlsdtors) {
    m->tlsdtors = d->next;
    d->fn(d->obj);
    LockGuard g(&tlsdtor_lock);
    d->next = tlsdtor_free;
    tlsdtor_free = d;
  }
}

void run_exit_hooks() {
  run_tls_dtors(static_cast<M*>(gettls()->m));
  // Newest first; a hook that registers another (C++ allows it) runs it next.
  for (;;) {
    ExitHook h{};
    {
      NoPreempt np;
      lock_hooks();
      HookChunk* c = last_chunk;
      while (c->n == 0 && c->prev) c = c->prev;
      if (c->n) h = c->h[--c->n];
      unlock_hooks();
    }
    if (!h.fn) return;
    h.fn(h.arg);
  }
}
}  // namespace gort
