// runtime/stack.cpp — see stack.h for the policy.
#include "stack.h"

#include "atomic.h"
#include "gort/gort.h"
#include "lock.h"
#include "malloc.h"
#include "runtime.h"

namespace gort {

namespace {

constexpr int kSlotsPerRegion = int(kStackRegion / kStackSlot);
constexpr int kMaxRegions = 1100;  // > 1M stacks
constexpr int kCacheMax = 32;      // per-M cache of free stacks

struct Region {
  uintptr_t base = 0;
  int64_t owner[kSlotsPerRegion];          // goid using each slot
  uint64_t guarded[kSlotsPerRegion / 64];  // slots with a guard page
};

// Regions are aligned to their size, so an address finds its region by
// hashing addr / kStackRegion into an open-addressed table. Entries are only
// ever added (under pool_lock, published with a release store): the signal
// handler may read the table without a lock.
constexpr int kRegionTable = 4096;  // a power of two, > 3 * kMaxRegions
struct RegionEntry {
  uintptr_t key;  // base / kStackRegion, + 1 (0 = empty)
  Region* region;
};

Mutex pool_lock;
RegionEntry region_table[kRegionTable];
Region* newest = nullptr;
int nregions = 0;
// Free slots (their hi ends), kept outside the stacks: writing a link into a
// free stack would cost a page of memory per stack.
uintptr_t* free_slots = nullptr;
size_t nfree_slots = 0;
int next_fresh = kSlotsPerRegion;  // next never-used slot in the newest region
int nguarded = 0;

uintptr_t hash_slot(uintptr_t key) { return (key * 0x9e3779b97f4a7c15ull) >> 52; }  // 12 bits

Region* region_of(uintptr_t addr, int* slot) {
  uintptr_t key = addr / kStackRegion + 1;
  for (uintptr_t i = hash_slot(key);; i = (i + 1) % kRegionTable) {
    uintptr_t k = atomic::load(&region_table[i].key);
    if (k == 0) return nullptr;
    if (k == key) {
      Region* r = region_table[i].region;
      *slot = int((addr - r->base) / kStackSlot);
      return r;
    }
  }
}

void add_region(Region* r) {
  uintptr_t key = r->base / kStackRegion + 1;
  uintptr_t i = hash_slot(key);
  while (region_table[i].key) i = (i + 1) % kRegionTable;
  region_table[i].region = r;
  atomic::store(&region_table[i].key, key);
}

// kStackRegion bytes aligned to kStackRegion: map twice the size, trim.
void* map_aligned_region() {
  auto* p = static_cast<char*>(os_mmap(nullptr, 2 * kStackRegion, kProtRead | kProtWrite));
  if (!p) return nullptr;
  uintptr_t base = (uintptr_t(p) + kStackRegion - 1) & ~(kStackRegion - 1);
  if (base > uintptr_t(p)) os_munmap(p, base - uintptr_t(p));
  uintptr_t end = uintptr_t(p) + 2 * kStackRegion;
  if (end > base + kStackRegion)
    os_munmap(reinterpret_cast<void*>(base + kStackRegion), end - (base + kStackRegion));
  return reinterpret_cast<void*>(base);
}

bool is_guarded(Region* r, int slot) { return r->guarded[slot / 64] >> (slot % 64) & 1; }

Stack slot_stack(Region* r, int slot) {
  uintptr_t base = r->base + uintptr_t(slot) * kStackSlot;
  return Stack{base + kStackGuard, base + kStackSlot};
}

// Takes a free slot (pool lock held); new regions as needed.
uintptr_t take_slot() {
  if (nfree_slots) return free_slots[--nfree_slots];
  if (next_fresh == kSlotsPerRegion) {
    if (nregions == kMaxRegions) return 0;
    void* base = map_aligned_region();
    if (!base) return 0;
    auto* r = static_cast<Region*>(persistentalloc(sizeof(Region)));
    r->base = uintptr_t(base);
    add_region(r);
    newest = r;
    nregions++;
    atomic::xadd(&heapstats.stack_sys, uint64_t(kStackRegion));
    next_fresh = 0;
  }
  Region* r = newest;
  int slot = next_fresh++;
  if (nguarded < kMaxGuardedStacks && boot.debug.stackguard &&
      os_guard(reinterpret_cast<void*>(r->base + uintptr_t(slot) * kStackSlot), kStackGuard)) {
    r->guarded[slot / 64] |= uint64_t(1) << (slot % 64);
    nguarded++;
  }
  return slot_stack(r, slot).hi;
}

void give_slot(uintptr_t hi) {
  if (!free_slots) {  // room for every slot there can be; pages are touched as used
    free_slots = static_cast<uintptr_t*>(
        os_mmap(nullptr, size_t(kMaxRegions) * kSlotsPerRegion * sizeof(uintptr_t),
                kProtRead | kProtWrite));
    if (!free_slots) fatal("out of memory");
  }
  free_slots[nfree_slots++] = hi;
}

}  // namespace

Stack stackalloc(int64_t goid) {
  NoPreempt np;
  MCache* c = getmcache();
  if (c->nstack == 0) {
    LockGuard g(&pool_lock);
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
  int slot = 0;
  Region* r = region_of(hi - 1, &slot);
  r->owner[slot] = goid;
  atomic::xadd(&heapstats.stack_inuse, uint64_t(kStackSlot));
  return Stack{hi - kStackSlot + kStackGuard, hi};
}

void stack_check(Stack s) {
  int slot = 0;
  Region* r = region_of(s.lo, &slot);
  if (!r || is_guarded(r, slot)) return;
  // Untouched, the red zone reads as zero without costing memory (reads map
  // the kernel's shared zero page). An overflow leaves frames in it.
  auto* zone = reinterpret_cast<const volatile uint64_t*>(s.lo - kStackGuard);
  for (uintptr_t i = kStackGuard / 8; i-- > 0;)
    if (zone[i]) throw_stack_overflow(s, r->owner[slot], s.lo - kStackGuard + i * 8);
}

void stackfree(Stack s) {
  stack_check(s);
  atomic::xadd(&heapstats.stack_inuse, -uint64_t(kStackSlot));
  NoPreempt np;
  MCache* c = getmcache();
  if (c->nstack == kCacheMax) {
    // Surplus goes back to the pool, its memory to the OS.
    LockGuard g(&pool_lock);
    while (c->nstack > kCacheMax / 2) {
      uintptr_t hi = c->stackcache[--c->nstack];
      os_madvise_free(reinterpret_cast<void*>(hi - kStackSlot + kStackGuard),
                      kStackSlot - kStackGuard);
      give_slot(hi);
    }
  }
  c->stackcache[c->nstack++] = s.hi;
}

namespace {
Stack main_stack;
int64_t main_goid;
}  // namespace

Stack stackalloc_main(int64_t goid) {
  auto* p =
      static_cast<char*>(os_mmap(nullptr, kMainStackSize + kStackGuard, kProtRead | kProtWrite));
  if (!p || !os_guard(p, kStackGuard)) fatal("cannot allocate the main goroutine's stack");
  atomic::xadd(&heapstats.stack_sys, uint64_t(kMainStackSize + kStackGuard));
  atomic::xadd(&heapstats.stack_inuse, uint64_t(kMainStackSize));
  main_goid = goid;
  main_stack = Stack{uintptr_t(p) + kStackGuard, uintptr_t(p) + kStackGuard + kMainStackSize};
  return main_stack;
}

bool stack_guard_hit(uintptr_t addr, Stack* s, int64_t* goid) {
  if (main_stack.hi && addr < main_stack.lo && addr >= main_stack.lo - kStackGuard) {
    *s = main_stack;
    *goid = main_goid;
    return true;
  }
  int slot = 0;
  Region* r = region_of(addr, &slot);
  if (!r || !is_guarded(r, slot)) return false;
  *s = slot_stack(r, slot);
  if (addr >= s->lo) return false;
  *goid = r->owner[slot];
  return true;
}

void throw_stack_overflow(Stack s, int64_t goid, uintptr_t addr) {
  eprint("runtime: goroutine stack exceeds ", uint64_t(s.hi - s.lo), "-byte limit\n");
  eprint("runtime: addr=", Hex{addr}, " stack=[", Hex{s.lo}, ", ", Hex{s.hi}, "]\n");
  eprint("fatal error: stack overflow\n\ngoroutine ", goid, " [running]:\n");
  os_exit(2);
}

}  // namespace gort
