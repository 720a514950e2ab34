// gort-sim: the exact pc of a memory fault in the middle of a translation
// block.
//
// Unicorn 2.0.1 calls its memory-fault hooks without synchronising the guest
// pc, which still holds what the block hook last set: the block's first
// instruction. (Unicorn 2.1.4 fixed it by calling QEMU's cpu_restore_state
// before those hooks.) The machine makes the same call from inside its hook:
// the hook's host call chain leads back to the translated code that made the
// access, and QEMU's cpu_restore_state_<target>, which libunicorn exports,
// maps that host return address to the guest instruction it belongs to and
// writes its pc (and, on x86-64, the lazy flags state) back into the CPU.
//
// What the call needs that the API does not give is QEMU's CPUState of the
// engine. It is found once per engine, by what QEMU's own layout guarantees:
// the uc_struct holds a pointer to the CPUState; the CPUState holds the
// uc_struct's address and a pointer (env_ptr) to the CPU's register file,
// which lies after it in the same object; the register file starts with the
// general registers (x86-64 rax at 0; arm64 x0 at 64, after the sixteen
// 32-bit AArch32 registers; riscv64 x10 at 80). A marker value written
// into that register with uc_reg_write must then be found there. Memory is
// probed with process_vm_readv, so a pointer that is not one never faults
// the simulator. If anything does not hold (another Unicorn), the machine
// reports the block's pc as before and says so once on stderr.
#include <dlfcn.h>
#include <sys/uio.h>
#include <unistd.h>
#include <unwind.h>

#include <cstdio>
#include <vector>

#include "machine_impl.h"

namespace sim {

namespace {
constexpr uint64_t kMarker = 0x5eedfa017c0ffee5ull;
constexpr uint64_t kNoPc = 0x7ffffffffff0ull;  // a pc no gort-sim guest executes
constexpr size_t kStructScan = 2048;  // bytes of uc_struct searched for the CPUState pointer
constexpr size_t kCpuSpan = 1 << 18;  // CPUState, QEMU's TLB and the register file lie within

// Reads host memory that may not be mapped; returns the bytes read.
size_t safe_read(uint64_t addr, void* out, size_t n) {
  iovec local{out, n}, remote{reinterpret_cast<void*>(addr), n};
  ssize_t r = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
  return r < 0 ? 0 : size_t(r);
}

struct Probe {
  int reg;
  size_t offset;  // of that register in QEMU's CPU<arch>State
  const char* restore;
};
Probe probe_for(Cpu c) {
  switch (c) {
    case Cpu::amd64: return {UC_X86_REG_RAX, 0, "cpu_restore_state_x86_64"};
    case Cpu::arm64: return {UC_ARM64_REG_X0, 64, "cpu_restore_state_aarch64"};
    case Cpu::riscv64: return {UC_RISCV_REG_X10, 80, "cpu_restore_state_riscv64"};
  }
  return {};
}

// The first return address on the host stack in no loaded object: the
// translated code that called the helper that called the hook.
struct Walk {
  uintptr_t ip = 0;
  int frames = 0;
};
_Unwind_Reason_Code step(_Unwind_Context* c, void* arg) {
  auto* w = static_cast<Walk*>(arg);
  uintptr_t ip = _Unwind_GetIP(c);
  Dl_info info;
  if (ip && dladdr(reinterpret_cast<void*>(ip), &info) == 0) {
    w->ip = ip;
    return _URC_END_OF_STACK;
  }
  return ++w->frames > 32 ? _URC_END_OF_STACK : _URC_NO_REASON;
}
}  // namespace

bool FaultPc::find(Machine& m) {
  tried = true;
  Probe p = probe_for(m.cpu());
  restore_fn = reinterpret_cast<bool (*)(void*, uintptr_t, bool)>(dlsym(RTLD_DEFAULT, p.restore));
  if (!restore_fn) return false;
  uint64_t saved = m.reg(p.reg);
  m.set_reg(p.reg, kMarker);
  auto uc_addr = reinterpret_cast<uint64_t>(m.uc());
  std::vector<uint64_t> words(kStructScan / 8), span(kCpuSpan / 8);
  size_t got = safe_read(uc_addr, words.data(), kStructScan) / 8;
  void* found = nullptr;
  int matches = 0;
  for (size_t i = 0; i < got; i++) {
    uint64_t cpu = words[i];
    if (cpu < 4096 || cpu % 8 || cpu == uc_addr) continue;
    // CPUState opens with nr_cores and nr_threads, both 1 in Unicorn;
    // env_ptr is followed by icount_decr_ptr, which points at the last
    // field before the register file; the uc_struct pointer comes later.
    uint64_t first = 0;
    if (safe_read(cpu, &first, 8) != 8 || first != 0x100000001ull) continue;
    size_t n = safe_read(cpu, span.data(), kCpuSpan) / 8;
    size_t env_at = 0;
    for (size_t j = 1; j + 1 < n && !env_at; j++) {
      uint64_t env = span[j];
      if (env <= cpu || env % 8 || (env - cpu + p.offset) / 8 >= n) continue;
      if (span[(env - cpu + p.offset) / 8] != kMarker) continue;
      if (span[j + 1] < env - 64 || span[j + 1] >= env) continue;
      env_at = j;
    }
    if (!env_at) continue;
    bool has_uc = false;
    for (size_t k = env_at + 2; k < n && !has_uc; k++) has_uc = span[k] == uc_addr;
    // The uc_struct may hold the pointer more than once; two different
    // ones would be a layout this code does not know.
    if (has_uc && found != reinterpret_cast<void*>(cpu)) {
      found = reinterpret_cast<void*>(cpu);
      matches++;
    }
  }
  m.set_reg(p.reg, saved);
  if (matches == 1) cpu_state = found;
  return cpu_state != nullptr;
}

// A load's slow path is out of line, after the block's code: the helper's
// return address is there, where QEMU finds no guest instruction; the
// stub's closing jmp goes back to the address QEMU would have searched.
// (A store's stub pushes that address and jumps to the helper.)
uint64_t FaultPc::stub_target(uint64_t ip) {
  const auto* code = reinterpret_cast<const uint8_t*>(ip);
  for (int i = 0, at = 0; i < 8; i++) {
    ZydisDecodedInstruction ins;
    if (!ZYAN_SUCCESS(ZydisDecoderDecodeInstruction(&host, nullptr, code + at, 16, &ins))) return 0;
    if (ins.mnemonic == ZYDIS_MNEMONIC_JMP && ins.raw.imm[0].is_relative)
      return ip + at + ins.length + ins.raw.imm[0].value.s;
    if (ins.meta.category == ZYDIS_CATEGORY_RET || ins.meta.category == ZYDIS_CATEGORY_CALL ||
        ins.meta.category == ZYDIS_CATEGORY_COND_BR ||
        ins.meta.category == ZYDIS_CATEGORY_UNCOND_BR)
      return 0;
    at += ins.length;
  }
  return 0;
}

bool FaultPc::restore(Machine& m) {
  if (!tried && !find(m) && !warned) {
    warned = true;
    fprintf(stderr,
            "gort-sim: warning: this Unicorn's CPU state was not found; memory faults are "
            "reported at their translation block's first pc\n");
  }
  if (!cpu_state) return false;
  Walk w;
  _Unwind_Backtrace(step, &w);
  if (!w.ip) return false;
  // QEMU writes the pc only when it finds the instruction: a pc no guest
  // instruction has tells whether it did.
  uint64_t block_pc = m.pc();
  m.set_pc(kNoPc);
  restore_fn(cpu_state, w.ip, false);
  if (m.pc() == kNoPc) {
    uint64_t back = stub_target(w.ip);
    if (back) restore_fn(cpu_state, back, false);
  }
  if (m.pc() != kNoPc) return true;
  m.set_pc(block_pc);
  return false;
}

}  // namespace sim
