// gort-sim's machine, inside: the state machine.cpp (threads, scheduler,
// hooks) and memory.cpp (the guest's mappings) share.
#pragma once

#include <Zydis/Zydis.h>
#include <sys/mman.h>

#include <chrono>
#include <map>
#include <unordered_map>

#include "sim.h"

namespace sim {

constexpr uint64_t kUcPage = 4096;  // Unicorn's mapping granularity
constexpr uint64_t kNsPerInsn = 1;  // the virtual clock: 1 GHz, one instruction a cycle

inline int uc_prot(unsigned p) {
  return ((p & kRead) ? UC_PROT_READ : 0) | ((p & kWrite) ? UC_PROT_WRITE : 0) |
         ((p & kExec) ? UC_PROT_EXEC : 0);
}
inline void check(uc_err e, const char* what) {
  if (e != UC_ERR_OK) fatal(std::string("unicorn: ") + what + ": " + uc_strerror(e));
}

// A run of pages with one protection. backed: host memory of our own
// holds it, which Unicorn maps unless the protection is PROT_NONE
// (uc_mem_map_ptr: Unicorn 2.0.1 splits a region it allocated itself by
// copying all of it, megabytes per mprotect; one on our memory it splits
// in place). Fresh PROT_NONE reservations are not backed until first made
// accessible, so a guest's address-space reservation costs no host memory.
struct Region {
  uint64_t end;
  unsigned prot;
  bool backed;
  uint8_t* host = nullptr;  // the host memory of the region's first page
};

// Stops the run with a message before Unicorn's region limit (memory.cpp).
void check_region_count(Machine& m, size_t regions);

enum class Stop { none, fault, illegal, breakpoint, divide };

// Puts the pc of a data access fault on the faulting instruction, which
// Unicorn 2.0.1 leaves at its block's first (faultpc.cpp says how).
struct FaultPc {
  bool tried = false, warned = false;
  void* cpu_state = nullptr;  // QEMU's CPUState of the engine
  bool (*restore_fn)(void*, uintptr_t, bool) = nullptr;
  ZydisDecoder host;  // the host's code: x86-64, the one host gort-sim runs on
  FaultPc() { ZydisDecoderInit(&host, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64); }
  uint64_t stub_target(uint64_t ip);
  bool find(Machine& m);
  // From inside a memory hook; false if the pc could not be restored.
  bool restore(Machine& m);
};

struct MachineImpl {
  Machine& m;
  std::map<uint64_t, Region> regions;  // keyed by start
  uint64_t mmap_lo = 0x10000, mmap_hi = 0x7f0000000000;
  uint64_t sched_rng, data_rng;
  int64_t left = 0;  // instructions left in this quantum
  uint64_t total = 0, nswitch = 0, seq = 0;
  Stop stop = Stop::none;
  OsModel::Fault fault_kind = OsModel::Fault::unmapped;
  uint64_t fault_addr = 0;
  FaultPc fault_pc;
  uint64_t fault_at = 0;  // the faulting instruction's pc, once restored (0: not)
  std::unordered_map<uint64_t, uint32_t> insn_counts;  // per translation block
  ZydisDecoder zydis;
  struct Range {
    uint64_t lo, hi;
    std::function<void(Machine&, uint64_t)> fn;
  };
  std::vector<Range> code_ranges;
  std::vector<uc_hook> hooks;
  bool halted = false;
  int halt_status = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();

  explicit MachineImpl(Machine& mm) : m(mm) {}
  void tick(uint64_t insns) { m.clock_ns_ += insns * kNsPerInsn; }  // time passes as code runs

  // Splits the region containing addr so a region starts at addr.
  void split(uint64_t addr) {
    auto it = regions.upper_bound(addr);
    if (it == regions.begin()) return;
    --it;
    if (it->first == addr || it->second.end <= addr) return;
    Region tail = it->second;
    if (tail.backed) tail.host += addr - it->first;
    it->second.end = addr;
    regions.emplace(addr, tail);
  }
  // Regions in [lo, hi), after splitting at both ends.
  std::vector<std::map<uint64_t, Region>::iterator> pieces(uint64_t lo, uint64_t hi) {
    split(lo);
    split(hi);
    std::vector<std::map<uint64_t, Region>::iterator> out;
    for (auto it = regions.lower_bound(lo); it != regions.end() && it->first < hi; ++it)
      out.push_back(it);
    return out;
  }
  bool covered(uint64_t lo, uint64_t hi) const {
    auto it = regions.upper_bound(lo);
    if (it == regions.begin()) return false;
    --it;
    uint64_t at = lo;
    for (; it != regions.end() && at < hi; ++it) {
      if (it->first > at || it->second.end <= at) return false;
      at = it->second.end;
    }
    return at >= hi;
  }
  void back(uint64_t lo, Region& r) {
    void* h = mmap(nullptr, r.end - lo, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (h == MAP_FAILED) fatal("host mmap of " + std::to_string(r.end - lo) + " bytes failed");
    r.backed = true;
    r.host = static_cast<uint8_t*>(h);
    if (r.prot != kProtNone) show(lo, r);
  }
  // PROT_NONE pages are holes in Unicorn's address space, their host memory
  // kept: a hole costs Unicorn no region (a guard page between two stacks
  // would cost two, the guard's and the split-off stack's), and an access
  // to it is an unmapped fault the memory hook turns into the protection
  // fault it is (hook_mem).
  void show(uint64_t lo, const Region& r) {
    check(uc_mem_map_ptr(m.uc(), lo, r.end - lo, uc_prot(r.prot), r.host), "map");
    count_regions();
  }
  void hide(uint64_t lo, const Region& r) { check(uc_mem_unmap(m.uc(), lo, r.end - lo), "unmap"); }

  void count_regions() {
    uc_mem_region* rs;
    uint32_t n = 0;
    if (uc_mem_regions(m.uc(), &rs, &n) == UC_ERR_OK) uc_free(rs);
    check_region_count(m, n);
  }
  // The block hook runs once per translation block executed, millions of
  // times a second: a hit is one probe of a direct-mapped table; a miss
  // (a block not seen since its slot was taken) goes to insn_counts, and
  // only a block never seen is decoded. Keys are addr ^ size << 48 (guest
  // addresses fit 48 bits), never 0: 0 marks an empty slot.
  struct CountSlot {
    uint64_t key = 0;
    uint32_t n = 0;
  };
  static constexpr size_t kCountSlots = 1 << 14;
  std::vector<CountSlot> count_cache = std::vector<CountSlot>(kCountSlots);
  std::vector<uint8_t> code_buf;  // a block's bytes while decoding, reused
  uint32_t count_insns(uint64_t addr, uint32_t size) {
    uint64_t key = addr ^ (uint64_t(size) << 48);
    CountSlot& slot = count_cache[(addr ^ (addr >> 14) ^ size) & (kCountSlots - 1)];
    if (slot.key == key) return slot.n;
    uint32_t n = decode_count(addr, size, key);
    slot = {key, n};
    return n;
  }
  uint32_t decode_count(uint64_t addr, uint32_t size, uint64_t key) {
    auto it = insn_counts.find(key);
    if (it != insn_counts.end()) return it->second;
    uint32_t n = 0;
    code_buf.resize(size);
    const uint8_t* code = code_buf.data();
    m.read(addr, code_buf.data(), size);
    switch (m.cpu()) {
      case Cpu::arm64: n = size / 4; break;
      case Cpu::riscv64:
        // Length from the low bits: 0b11 is a 32-bit instruction, else 16.
        for (uint32_t i = 0; i < size; n++) i += (code[i] & 3) == 3 ? 4 : 2;
        break;
      case Cpu::amd64:
        for (uint32_t i = 0; i < size; n++) {
          ZydisDecodedInstruction ins;
          if (!ZYAN_SUCCESS(
                  ZydisDecoderDecodeInstruction(&zydis, nullptr, code + i, size - i, &ins)))
            break;
          i += ins.length;
        }
        break;
    }
    if (n == 0) n = 1;
    insn_counts.emplace(key, n);
    return n;
  }
};

}  // namespace sim
