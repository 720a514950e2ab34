// The Linux signal frames' offsets (os_linux_frames.h) against structs
// written here from the uapi headers themselves: asm-generic/siginfo.h,
// arch/x86/include/uapi/asm/sigcontext.h and asm/ucontext.h,
// arch/x86/include/asm/sigframe.h, arch/arm64/include/uapi/asm/sigcontext.h
// and ucontext.h, arch/arm64/kernel/signal.c, arch/riscv/include/uapi/asm/
// sigcontext.h, ucontext.h and ptrace.h, arch/riscv/kernel/signal.c.
#include <catch2/catch.hpp>
#include <cstddef>

#include "../os_linux_frames.h"

namespace lm = sim::linux_model;

namespace uapi {
struct stack_t {
  void* ss_sp;
  int ss_flags;
  unsigned long ss_size;
};
struct siginfo {
  int si_signo, si_errno, si_code;
  union {
    int _pad[28];  // SI_MAX_SIZE / sizeof(int) - the 4-int preamble of 64-bit
    struct {
      int pid;
      unsigned uid;
    } kill;
    struct {
      void* addr;
    } sigfault;
  } sifields;
};
// x86-64
struct fpstate_64 {
  uint16_t cwd, swd, twd, fop;
  uint64_t rip, rdp;
  uint32_t mxcsr, mxcsr_mask;
  uint32_t st_space[32], xmm_space[64], reserved2[12], reserved3[12];
};
struct sigcontext_64 {
  uint64_t r8, r9, r10, r11, r12, r13, r14, r15, di, si, bp, bx, dx, ax, cx, sp, ip, flags;
  uint16_t cs, gs, fs, ss;
  uint64_t err, trapno, oldmask, cr2, fpstate, reserved1[8];
};
struct ucontext_x86 {
  unsigned long uc_flags;
  ucontext_x86* uc_link;
  stack_t uc_stack;
  sigcontext_64 uc_mcontext;
  uint64_t uc_sigmask;
};
struct rt_sigframe_x86 {
  char* pretcode;
  ucontext_x86 uc;
  siginfo info;
};
// arm64
struct sigcontext_a64 {
  uint64_t fault_address, regs[31], sp, pc, pstate;
  alignas(16) uint8_t reserved[4096];
};
struct aarch64_ctx {
  uint32_t magic, size;
};
struct fpsimd_context {
  aarch64_ctx head;
  uint32_t fpsr, fpcr;
  unsigned __int128 vregs[32];
};
struct ucontext_a64 {
  unsigned long uc_flags;
  ucontext_a64* uc_link;
  stack_t uc_stack;
  uint64_t uc_sigmask;
  uint8_t unused[1024 / 8 - sizeof(uint64_t)];
  sigcontext_a64 uc_mcontext;
};
struct rt_sigframe_a64 {
  siginfo info;
  ucontext_a64 uc;
};
// riscv64
struct user_regs_struct {
  unsigned long pc, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7, s2, s3, s4,
      s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
};
struct riscv_d_ext_state {
  uint64_t f[32];
  uint32_t fcsr;
};
struct riscv_q_ext_state {
  alignas(16) uint64_t f[64];
  uint32_t fcsr, reserved[3];
};
union riscv_fp_state {
  riscv_d_ext_state d;
  riscv_q_ext_state q;
};
struct sigcontext_rv {
  user_regs_struct sc_regs;
  riscv_fp_state sc_fpregs;
};
struct ucontext_rv {
  unsigned long uc_flags;
  ucontext_rv* uc_link;
  stack_t uc_stack;
  uint64_t uc_sigmask;
  uint8_t unused[1024 / 8 - sizeof(uint64_t)];
  sigcontext_rv uc_mcontext;
};
struct rt_sigframe_rv {
  siginfo info;
  ucontext_rv uc;
};
}  // namespace uapi

using namespace uapi;
#define AT(s, f) offsetof(s, f)
static_assert(sizeof(siginfo) == lm::si::size && AT(siginfo, si_code) == lm::si::code);
static_assert(AT(siginfo, sifields.kill.pid) == lm::si::pid &&
              AT(siginfo, sifields.kill.uid) == lm::si::uid &&
              AT(siginfo, sifields.sigfault.addr) == lm::si::addr);
static_assert(sizeof(fpstate_64) == lm::fx::size && AT(fpstate_64, mxcsr) == lm::fx::mxcsr &&
              AT(fpstate_64, st_space) == lm::fx::st_space &&
              AT(fpstate_64, xmm_space) == lm::fx::xmm_space);
static_assert(sizeof(rt_sigframe_x86) == lm::x86::size);
static_assert(AT(rt_sigframe_x86, uc.uc_stack) == lm::x86::uc_stack &&
              AT(rt_sigframe_x86, uc.uc_mcontext) == lm::x86::mc &&
              AT(rt_sigframe_x86, uc.uc_mcontext.ip) == lm::x86::mc_rip &&
              AT(rt_sigframe_x86, uc.uc_mcontext.flags) == lm::x86::mc_eflags &&
              AT(rt_sigframe_x86, uc.uc_mcontext.cs) == lm::x86::mc_cs &&
              AT(rt_sigframe_x86, uc.uc_mcontext.ss) == lm::x86::mc_ss &&
              AT(rt_sigframe_x86, uc.uc_mcontext.trapno) == lm::x86::mc_trapno &&
              AT(rt_sigframe_x86, uc.uc_mcontext.oldmask) == lm::x86::mc_oldmask &&
              AT(rt_sigframe_x86, uc.uc_mcontext.cr2) == lm::x86::mc_cr2 &&
              AT(rt_sigframe_x86, uc.uc_mcontext.fpstate) == lm::x86::mc_fpstate &&
              AT(rt_sigframe_x86, uc.uc_sigmask) == lm::x86::uc_sigmask &&
              AT(rt_sigframe_x86, info) == lm::x86::info);
static_assert(sizeof(rt_sigframe_a64) == lm::a64::size && AT(rt_sigframe_a64, uc) == lm::a64::uc);
static_assert(AT(rt_sigframe_a64, uc.uc_stack) == lm::a64::uc_stack &&
              AT(rt_sigframe_a64, uc.uc_sigmask) == lm::a64::uc_sigmask &&
              AT(rt_sigframe_a64, uc.uc_mcontext) == lm::a64::mc &&
              AT(rt_sigframe_a64, uc.uc_mcontext.regs) == lm::a64::regs &&
              AT(rt_sigframe_a64, uc.uc_mcontext.sp) == lm::a64::sp &&
              AT(rt_sigframe_a64, uc.uc_mcontext.pc) == lm::a64::pc &&
              AT(rt_sigframe_a64, uc.uc_mcontext.pstate) == lm::a64::pstate &&
              AT(rt_sigframe_a64, uc.uc_mcontext.reserved) == lm::a64::reserved);
static_assert(sizeof(fpsimd_context) == lm::a64::kFpsimdSize &&
              AT(fpsimd_context, fpsr) == lm::a64::fp_fpsr &&
              AT(fpsimd_context, fpcr) == lm::a64::fp_fpcr &&
              AT(fpsimd_context, vregs) == lm::a64::fp_vregs);
static_assert(sizeof(rt_sigframe_rv) == lm::rv::size && AT(rt_sigframe_rv, uc) == lm::rv::uc);
static_assert(AT(rt_sigframe_rv, uc.uc_stack) == lm::rv::uc_stack &&
              AT(rt_sigframe_rv, uc.uc_sigmask) == lm::rv::uc_sigmask &&
              AT(rt_sigframe_rv, uc.uc_mcontext.sc_regs.pc) == lm::rv::regs &&
              AT(rt_sigframe_rv, uc.uc_mcontext.sc_fpregs.d.f) == lm::rv::fregs &&
              AT(rt_sigframe_rv, uc.uc_mcontext.sc_fpregs.d.fcsr) == lm::rv::fcsr);

TEST_CASE("Linux signal frame offsets match the uapi structs", "[linux]") {
  // The checks are the static_asserts above; this names them in the TAP.
  CHECK(lm::x86::size == 440);
  CHECK(lm::a64::size == 4688);
  CHECK(lm::rv::size == 1088);
}
