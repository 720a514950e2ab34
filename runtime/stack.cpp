// runtime/stack.cpp — see stack.h for the policy.
#include "stack.h"

#include "atomic.h"
#include "gort/gort.h"
#include "lock.h"
#include "malloc.h"
#include "memops.h"
#include "runtime.h"
#include "traceback.h"

#ifndef GORT_STACK_SLOT_KIB
#define GORT_STACK_SLOT_KIB 64  // meson_options.txt: stack_slot_kib
#endif
#ifndef GORT_STACK_GUARD_KIB
#define GORT_STACK_GUARD_KIB 4  // meson.build: what the compiler's stack probes need
#endif

namespace gort {

namespace {

constexpr int kCacheMax = 32;  // per-P cache of free stacks
constexpr uintptr_t kMinSlot = 32 << 10, kMaxSlot = uintptr_t(1) << 30;
constexpr uintptr_t kMinRegion = 64 << 20;

// Each slot's guard state: a word in its region's first slot (the region's
// metadata, never a stack), found from any address by alignment.
enum : uint32_t {
  kNone = 0,     // no guard (fresh region memory reads as zero)
  kPerm = 1,     // a permanent guard
  kIdle = 2,     // a guard that may be taken: the goroutine is not running
  kRunning = 3,  // a guard its goroutine is running on
  kMoving = 4,   // a thief is taking the guard away
};

uintptr_t slot_size, guard_size, region_size;
int slots_per_region;

RtMutex pool_lock;
// Free slots (their hi ends), kept outside the stacks (writing a link into a
// free stack would cost a page of memory per stack); grows by doubling.
// Their memory goes back to the OS lazily (stack_scavenge): the bottom
// nclean have been released already; the bottom low_water have stayed in
// the list since the scavenger's last look.
uintptr_t* free_slots = nullptr;
size_t nfree_slots = 0, cap_free_slots = 0, nclean = 0, low_water = 0;
uintptr_t fresh_region = 0;  // newest region, and its next never-used slot
int next_fresh = 0;
bool budget_known = false;
int64_t perm_budget = 0, move_budget = 0, nperm = 0;

// Guards that follow running goroutines, in a ring: a thief takes the next
// one found idle (a clock hand), so recently used guards tend to stay.
struct GuardRec {
  uint32_t* state;
  uintptr_t page;
};
RtMutex guard_lock;
GuardRec* ring = nullptr;
int64_t nring = 0, cap_ring = 0, hand = 0;

uint32_t* state_of(uintptr_t slot_base) {
  uintptr_t region = slot_base & ~(region_size - 1);
  return reinterpret_cast<uint32_t*>(region) + (slot_base - region) / slot_size;
}

// region_size bytes aligned to region_size: reserve twice the size (no
// memory, and no commit charge: the OS would refuse twice a large region
// outright), trim, and make the aligned part read-write.
uintptr_t map_aligned_region() {
  auto* p = static_cast<char*>(os_mmap(nullptr, 2 * region_size, kProtNone));
  if (!p) return 0;
  uintptr_t base = (uintptr_t(p) + region_size - 1) & ~(region_size - 1);
  if (base > uintptr_t(p)) os_munmap(p, base - uintptr_t(p));
  uintptr_t end = uintptr_t(p) + 2 * region_size;
  if (end > base + region_size)
    os_munmap(reinterpret_cast<void*>(base + region_size), end - (base + region_size));
  if (!os_sysmap(reinterpret_cast<void*>(base), region_size)) {
    os_munmap(reinterpret_cast<void*>(base), region_size);
    return 0;
  }
  return base;
}

// vm.max_map_count where there is one (Linux), else Linux's default.
int64_t max_map_count() {
  int64_t v = 65530;
  int fd = os_open("/proc/sys/vm/max_map_count", false);
  if (fd < 0) return v;
  char buf[32];
  long n = os_read(fd, buf, sizeof buf);
  os_close(fd);
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) n--;
  int64_t r;
  if (n > 0 && parse_int(Str(buf, size_t(n)), &r) && r > 0) v = r;
  return v;
}

// Each guard splits its region's mapping (two more mappings); half of the
// mappings stay for everything else (heap, threads, the program's own).
void budget_init() {
  int64_t total = boot.debug.stackguards >= 0 ? boot.debug.stackguards : max_map_count() / 4;
  perm_budget = total / 2;
  move_budget = total - perm_budget;
  budget_known = true;
}

// Doubles an array kept in its own mapping (pool or guard lock held).
template <typename T>
T* grow(T* old, size_t n, size_t* cap) {
  size_t ncap = *cap ? 2 * *cap : 4096;
  auto* p = static_cast<T*>(os_mmap(nullptr, ncap * sizeof(T), kProtRead | kProtWrite));
  if (!p) fatal("out of memory");
  if (n) mem_move(p, old, n * sizeof(T));
  if (old) os_munmap(old, *cap * sizeof(T));
  *cap = ncap;
  return p;
}

// Takes a free slot (pool lock held), mapping a region as needed; 0 if the
// OS has no more address space.
uintptr_t take_slot() {
  if (nfree_slots) {
    uintptr_t hi = free_slots[--nfree_slots];
    if (nclean > nfree_slots) nclean = nfree_slots;
    if (low_water > nfree_slots) low_water = nfree_slots;
    return hi;
  }
  if (!budget_known) budget_init();
  if (!fresh_region || next_fresh == slots_per_region) {
    uintptr_t base = map_aligned_region();
    if (!base) return 0;
    atomic::xadd(&heapstats.stack_sys, uint64_t(region_size));
    fresh_region = base;
    next_fresh = 1;  // slot 0 holds the states
  }
  uintptr_t base = fresh_region + uintptr_t(next_fresh++) * slot_size;
  if (nperm < perm_budget &&
      os_guard(whole_pages(reinterpret_cast<void*>(base), guard_size), guard_size)) {
    atomic::store(state_of(base), uint32_t(kPerm));
    nperm++;
  }
  return base + slot_size;
}

void give_slot(uintptr_t hi) {
  if (nfree_slots == cap_free_slots) free_slots = grow(free_slots, nfree_slots, &cap_free_slots);
  free_slots[nfree_slots++] = hi;
}

[[noreturn]] void guard_failed() {
  eprint("runtime: cannot make a goroutine stack guard page (", nperm + nring,
         " guards; vm.max_map_count too low?)\n");
  fatal("out of memory");
}

// Gives the slot whose guard state is st (not running: kNone) a guard at
// page: a new one while the budget allows (or none is idle), else one
// taken from an idle slot.
void acquire_guard(uint32_t* st, uintptr_t page) {
  LockGuard g(&guard_lock);
  GuardRec victim{nullptr, 0};
  if (nring >= move_budget) {
    for (int64_t k = 0; k < nring && !victim.state; k++) {
      GuardRec& r = ring[hand];
      hand = (hand + 1) % nring;
      if (atomic::cas(r.state, uint32_t(kIdle), uint32_t(kMoving))) {
        victim = r;
        r = GuardRec{st, page};
      }
    }
  }
  if (!os_guard(whole_pages(reinterpret_cast<void*>(page), guard_size), guard_size)) guard_failed();
  if (victim.state) {
    // The victim's goroutine waits in stack_enter while its state is kMoving.
    if (!os_sysmap(reinterpret_cast<void*>(victim.page), guard_size)) guard_failed();
    atomic::store(victim.state, uint32_t(kNone));
  } else {
    if (nring == cap_ring) {
      size_t cap = size_t(cap_ring);
      ring = grow(ring, size_t(nring), &cap);
      cap_ring = int64_t(cap);
    }
    ring[nring++] = GuardRec{st, page};
  }
  atomic::store(st, uint32_t(kRunning));
}

// GORTSTACKSIZE: bytes, with an optional k, m or g suffix (binary units).
bool parse_size(Str v, uintptr_t* out) {
  int shift = 0;
  if (v.n > 0) {
    switch (v.p[v.n - 1]) {
      case 'k':
      case 'K': shift = 10; break;
      case 'm':
      case 'M': shift = 20; break;
      case 'g':
      case 'G': shift = 30; break;
      default: break;
    }
  }
  int64_t n;
  if (!parse_int(Str(v.p, v.n - (shift ? 1 : 0)), &n) || n <= 0 || n > (int64_t(1) << 40) >> shift)
    return false;
  *out = uintptr_t(n) << shift;
  return true;
}

bool pow2(uintptr_t x) { return x && !(x & (x - 1)); }

}  // namespace

uintptr_t stack_slot() { return slot_size; }
uintptr_t stack_guard() { return guard_size; }

void stack_config() {
  if (slot_size) return;
  uintptr_t page = boot.physpagesize ? boot.physpagesize : 4096;
  uintptr_t guard = uintptr_t(GORT_STACK_GUARD_KIB) << 10;
  if (guard < page) guard = page;
  uintptr_t slot = uintptr_t(GORT_STACK_SLOT_KIB) << 10;
  if (const char* e = getenv("GORTSTACKSIZE")) {
    uintptr_t v = 0;
    if (parse_size(Str(e), &v) && pow2(v) && v >= kMinSlot && v >= 2 * guard && v <= kMaxSlot)
      slot = v;
    else
      eprint("gort: GORTSTACKSIZE: ignoring \"", e, "\": not a power of two from 32k to 1g; using ",
             uint64_t(slot >> 10), "k\n");
  }
  // Pages larger than the build's slot allows (64 KiB pages, 64 KiB slots):
  // the slot grows to keep as much stack as a guard takes.
  if (slot < 2 * guard) slot = 2 * guard;
  if (!pow2(slot)) fatal("bad goroutine stack slot size");
  guard_size = guard;
  slot_size = slot;
  // At least kMinRegion, and 4 slots (the first holds the state words):
  // huge slots make small regions, which the OS commits more readily.
  slots_per_region = slot * 4 > kMinRegion ? 4 : int(kMinRegion / slot);
  region_size = slot * uintptr_t(slots_per_region);
}

Stack stackalloc(int64_t) {
  NoPreempt np;
  MCache* c = getmcache();
  if (c->nstack == 0) {
    LockGuard g(&pool_lock);
    stack_config();
    while (c->nstack < kCacheMax / 2) {
      uintptr_t hi = take_slot();
      if (!hi) break;
      c->stackcache[c->nstack++] = hi;
    }
  }
  if (c->nstack == 0) {
    eprint("runtime: cannot allocate a goroutine stack\n");
    fatal("out of memory");
  }
  uintptr_t hi = c->stackcache[--c->nstack];
  atomic::xadd(&heapstats.stack_inuse, uint64_t(slot_size));
  uint32_t* st = state_of(hi - slot_size);
  return Stack{hi - slot_size + guard_size, hi, atomic::load(st) == kPerm ? nullptr : st};
}

void stackfree(Stack s) {
  atomic::xadd(&heapstats.stack_inuse, -uint64_t(slot_size));
  NoPreempt np;
  MCache* c = getmcache();
  if (c->nstack == kCacheMax) {
    // Surplus goes back to the pool; its memory goes to the OS only once it
    // has stayed unused a while (the scavenger), as Go's stack pools: a
    // program that frees on one M what another allocates would otherwise
    // release and fault in the same stacks over and over.
    {
      LockGuard g(&pool_lock);
      while (c->nstack > kCacheMax / 2) give_slot(c->stackcache[--c->nstack]);
    }
    start_scavenger();
  }
  c->stackcache[c->nstack++] = s.hi;
}

uintptr_t stack_scavenge(bool all) {
  LockGuard g(&pool_lock);
  size_t upto = all || low_water > nfree_slots ? nfree_slots : low_water;
  uintptr_t released = 0;
  for (size_t i = nclean; i < upto; i++) {
    uintptr_t hi = free_slots[i];
    os_madvise_free(
        whole_pages(reinterpret_cast<void*>(hi - slot_size + guard_size), slot_size - guard_size),
        slot_size - guard_size);
    released += slot_size - guard_size;
  }
  if (upto > nclean) nclean = upto;
  low_water = nfree_slots;
  return released;
}

void stack_enter_slow(uint32_t* st, uintptr_t lo) {
  for (;;) {
    switch (atomic::load(st)) {
      case kIdle:
        if (atomic::cas(st, uint32_t(kIdle), uint32_t(kRunning))) return;
        break;
      case kNone: acquire_guard(st, lo - guard_size); return;  // only its runner leaves kNone
      case kMoving: arch_procyield(64); break;                 // soon kNone
      default: fatal("stack_enter: goroutine stack already in use");
    }
  }
}

void stack_leave_slow(uint32_t* st) { atomic::store(st, uint32_t(kIdle)); }

void stack_guard_counts(int64_t* permanent, int64_t* moving) {
  {
    LockGuard g(&pool_lock);
    *permanent = nperm;
  }
  LockGuard g(&guard_lock);
  *moving = nring;
}

Stack stackalloc_main(int64_t) {
  stack_config();
  uintptr_t size =
      slot_size - guard_size > kMainStackSize ? slot_size - guard_size : kMainStackSize;
  auto* p = static_cast<char*>(os_mmap(nullptr, size + guard_size, kProtRead | kProtWrite));
  if (!p || !os_guard(p, guard_size)) fatal("cannot allocate the main goroutine's stack");
  atomic::xadd(&heapstats.stack_sys, uint64_t(size + guard_size));
  atomic::xadd(&heapstats.stack_inuse, uint64_t(size));
  return Stack{uintptr_t(p) + guard_size, uintptr_t(p) + guard_size + size, nullptr};
}

// Every stack (goroutine, main, g0) has at least this much inaccessible
// memory below it: a fault there, or a stack pointer there, is an overflow.
bool stack_overflowed(const G* gp, uintptr_t addr, uintptr_t sp) {
  if (!gp || !gp->stack_hi) return false;
  uintptr_t lo = gp->stack_lo, below = guard_size > (64 << 10) ? guard_size : 64 << 10;
  return (addr < lo && lo - addr <= below) || (sp < lo && lo - sp <= below);
}

void throw_stack_overflow(G* gp, uintptr_t sp, void* uctx) {
  eprint("runtime: goroutine stack exceeds ", uint64_t(gp->stack_hi - gp->stack_lo),
         "-byte limit\n");
  eprint("runtime: sp=", Hex{sp}, " stack=[", Hex{gp->stack_lo}, ", ", Hex{gp->stack_hi}, "]\n");
  eprint("fatal error: stack overflow\n");
  if (gp->goid > 0)
    traceback_interrupted(gp, uctx);
  else
    eprint("\nruntime stack:\n");  // a g0 (scheduler) stack
  os_exit(2);
}

}  // namespace gort
