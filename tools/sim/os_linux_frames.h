// Byte offsets of Linux's signal frames, from the uapi headers named in
// os_linux_signal.cpp. tests/linux_frames_test.cpp checks each against a
// struct written from those headers.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sim::linux_model {

// siginfo_t (asm-generic/siginfo.h): 128 bytes, the union at 16.
namespace si {
constexpr size_t signo = 0, errno_ = 4, code = 8, pid = 16, uid = 20, addr = 16, size = 128;
}

// x86-64 struct _fpstate_64 (fxsave layout), asm/sigcontext.h.
namespace fx {
constexpr size_t cwd = 0, swd = 2, twd = 4, fop = 6, rip = 8, rdp = 16, mxcsr = 24, mxcsr_mask = 28,
                 st_space = 32, xmm_space = 160, size = 512;
}

// x86-64 struct rt_sigframe (asm/sigframe.h): pretcode, struct ucontext
// (uc_flags, uc_link, uc_stack, uc_mcontext = struct sigcontext_64,
// uc_sigmask), struct siginfo.
namespace x86 {
constexpr size_t pretcode = 0, uc = 8, uc_flags = 8, uc_link = 16, uc_stack = 24, mc = 48,
                 mc_rip = mc + 128, mc_eflags = mc + 136, mc_cs = mc + 144, mc_ss = mc + 150,
                 mc_err = mc + 152, mc_trapno = mc + 160, mc_oldmask = mc + 168, mc_cr2 = mc + 176,
                 mc_fpstate = mc + 184, uc_sigmask = 304, info = 312, size = 440;
}

// arm64 struct rt_sigframe (arch/arm64/kernel/signal.c): siginfo, then
// struct ucontext (asm/ucontext.h) whose sigcontext is 16-byte aligned;
// __reserved holds fpsimd_context, then a zero terminator record.
namespace a64 {
constexpr size_t info = 0, uc = 128, uc_flags = 128, uc_link = 136, uc_stack = 144,
                 uc_sigmask = 168, mc = 304, fault_address = mc, regs = mc + 8, sp = mc + 256,
                 pc = mc + 264, pstate = mc + 272, reserved = mc + 288, fpsimd = reserved,
                 size = 128 + 176 + 288 + 4096;
constexpr size_t fp_magic = 0, fp_size = 4, fp_fpsr = 8, fp_fpcr = 12, fp_vregs = 16;
constexpr uint32_t kFpsimdMagic = 0x46508001, kFpsimdSize = 528;
}  // namespace a64

// riscv64 struct rt_sigframe (arch/riscv/kernel/signal.c): siginfo, struct
// ucontext (asm/ucontext.h); sigcontext = user_regs_struct (pc, x1..x31)
// then the 528-byte FP union, of which the D state: f[32], fcsr.
namespace rv {
constexpr size_t info = 0, uc = 128, uc_flags = 128, uc_link = 136, uc_stack = 144,
                 uc_sigmask = 168, mc = 304, regs = mc, fregs = mc + 256, fcsr = mc + 512,
                 size = 128 + 176 + 256 + 528;
}

}  // namespace sim::linux_model
