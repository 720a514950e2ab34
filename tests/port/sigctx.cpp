// tests/port/sigctx.cpp — os_sigctx_sp_pc and os_sigctx_frame read a real
// signal's context at the right offsets, and writes through
// os_sigctx_sp_pc take effect. sigctx_probe (tests/port/regs_<arch>.S)
// loads sp, the frame pointer and the link register with values chosen
// here, then faults at a known pc (sigctx_trap) reading a known address in
// a PROT_NONE page; the fault's handler compares, then resumes the probe at
// sigctx_resume with another sp. A wrong pc offset would fault again at
// once: the second fault ends the test (no 900 s loop).
#include "tap.h"

extern "C" {
void sigctx_probe(uintptr_t* v);
extern const char sigctx_trap[], sigctx_resume[];
}

namespace {
alignas(16) char fake_stack[64 * 1024];
uintptr_t v[5];  // sp, fp, lr to load; sp seen at resume; the address to read
constexpr uintptr_t kLr = 0x5eed1234abcd0010;
constexpr uintptr_t kResumeSpDrop = 64;
#if defined(__s390x__)
constexpr bool kSigAddrPageOnly = true;
#else
constexpr bool kSigAddrPageOnly = false;
#endif

int calls;
int sig_seen;
uintptr_t addr_seen, sp_seen, pc_seen, fp_seen, lr_seen, frame_pc_seen;

void handler(int sig, void* info, void* uctx) {
  if (++calls > 1) {  // the first resume went wrong: stop here, not in a loop
    gort::println("not ok - the handler ran again at pc ", gort::Hex{frame_pc_seen},
                  ": os_sigctx_sp_pc's pc did not resume the probe");
    gort::os_exit(1);
  }
  sig_seen = sig;
  addr_seen = uintptr_t(gort::os_sigaddr(info));
  uintptr_t *sp, *pc;
  gort::os_sigctx_sp_pc(uctx, &sp, &pc);
  sp_seen = *sp;
  pc_seen = *pc;
  gort::os_sigctx_frame(uctx, &fp_seen, &frame_pc_seen, &lr_seen);
  *pc = uintptr_t(sigctx_resume);
  *sp = v[0] - kResumeSpDrop;
}
}  // namespace

int main(int, char**) {
  tap::watchdog("sigctx", 3000);
  tap::plan(7);
  auto* guard = static_cast<char*>(gort::os_mmap(nullptr, 1 << 16, gort::kProtNone));
  uintptr_t top = uintptr_t(fake_stack + sizeof fake_stack - 4096) & ~uintptr_t(15);
  v[0] = top;
  v[1] = top + 256;  // a frame pointer no code follows
  v[2] = kLr;
  v[4] = uintptr_t(guard) + 0x128;
  // macOS raises SIGBUS for an access to a mapped page it forbids
  // (KERN_PROTECTION_FAILURE), the other OSes SIGSEGV.
  bool darwin = gort::kOSName[0] == 'd';
  int want_sig = darwin ? gort::kSIGBUS : gort::kSIGSEGV;
  tap::ok(guard && gort::os_setsig(want_sig, handler) == 0,
          "a handler for the protection fault's signal installs over the runtime's");
  sigctx_probe(v);
  // s390x's kernel reports the page of the address only (the CPU gives no more).
  tap::ok(
      calls == 1 && sig_seen == want_sig &&
          (addr_seen == v[4] || (kSigAddrPageOnly && addr_seen == (v[4] & ~uintptr_t(4095)))),
      "reading a PROT_NONE page raises kSIGSEGV (Darwin: kSIGBUS) with that address (os_sigaddr)");
  if (pc_seen != uintptr_t(sigctx_trap) || frame_pc_seen != pc_seen)
    tap::diag("pc ", gort::Hex{pc_seen}, ", frame pc ", gort::Hex{frame_pc_seen}, ", want ",
              gort::Hex{uintptr_t(sigctx_trap)});
  tap::ok(pc_seen == uintptr_t(sigctx_trap) && frame_pc_seen == pc_seen,
          "both os_sigctx functions read the faulting instruction's pc");
  if (sp_seen != v[0]) tap::diag("sp ", gort::Hex{sp_seen}, ", want ", gort::Hex{v[0]});
  tap::ok(sp_seen == v[0], "os_sigctx_sp_pc reads the interrupted sp");
#if defined(__s390x__)
  uintptr_t want_fp = v[0];  // no frame-pointer register: a function's fp is its sp
#else
  uintptr_t want_fp = v[1];
#endif
  if (fp_seen != want_fp) tap::diag("fp ", gort::Hex{fp_seen}, ", want ", gort::Hex{want_fp});
  tap::ok(fp_seen == want_fp, "os_sigctx_frame reads the interrupted frame pointer");
#if defined(__x86_64__)
  constexpr uintptr_t want_lr = 0;  // no link register: os_sigctx_frame says 0
#else
  constexpr uintptr_t want_lr = kLr;
#endif
  if (lr_seen != want_lr) tap::diag("lr ", gort::Hex{lr_seen}, ", want ", gort::Hex{want_lr});
  tap::ok(lr_seen == want_lr, "os_sigctx_frame reads the interrupted link register");
  tap::ok(v[3] == v[0] - kResumeSpDrop,
          "sp and pc written through os_sigctx_sp_pc are where the code resumes");
  return tap::done();
}
