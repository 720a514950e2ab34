// runtime/libc.cpp — the few C and C++ ABI symbols a compiler expects even in
// freestanding code. Linked only into freestanding programs.
#include "atomic.h"
#include "gort/gort.h"
#include "memops.h"
#include "runtime.h"

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
constexpr int kMaxExitHooks = 128;
ExitHook exit_hooks[kMaxExitHooks];
uint32_t nexit_hooks;
}  // namespace

int __cxa_atexit(void (*fn)(void*), void* arg, void*) {
  uint32_t i = gort::atomic::xadd(&nexit_hooks, 1u) - 1;
  if (i >= kMaxExitHooks) gort::fatal("too many static destructors (limit 128)");
  exit_hooks[i] = {fn, arg};
  return 0;
}

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
void run_exit_hooks() {
  uint32_t n = atomic::load(&nexit_hooks);
  if (n > kMaxExitHooks) n = kMaxExitHooks;
  while (n--) exit_hooks[n].fn(exit_hooks[n].arg);
}
}  // namespace gort
