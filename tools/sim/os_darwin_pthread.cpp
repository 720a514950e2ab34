// gort-sim: threads as libpthread gives them (pthread_create, exit, kill,
// keys, signal masks), dyld's thread-local variables, and the kernel's
// __ulock_wait/__ulock_wake (bsd/kern/sys_ulock.c) blocking in the
// simulator's scheduler. pthread functions return the error number, as
// libpthread does; __ulock_* set errno unless ULF_NO_ERRNO asks for -errno.
#include <climits>

#include "os_darwin.h"

namespace sim::darwin {

namespace {

constexpr uint64_t kCantMask = (1u << (kSIGKILL - 1)) | (1u << (kSIGSTOP - 1));
constexpr uint64_t kDefaultStack = 512 << 10;  // libpthread's DEFAULT_STACK_SIZE

// The model's pthread_attr_t (opaque to programs: 8 bytes of signature and
// 56 of state, which the model lays out as it likes).
struct Attr {
  uint64_t sig, stackaddr /* top */, stacksize, detached;
};

// Waiters still blocked on addr: __ulock_wait's result.
int waiters(Machine& m, uint64_t addr) {
  int n = 0;
  for (auto& t : m.threads())
    if (t->state == ThreadState::blocked && t->wait_addr == addr) n++;
  return n;
}

void ulock_calls(Darwin& d) {
  d.add_stub("___ulock_wait", "xxxx", [](Darwin& d) {
    uint32_t op = uint32_t(d.arg(0));
    uint64_t addr = d.arg(1), value = d.arg(2);
    uint32_t timeout_us = uint32_t(d.arg(3));
    bool no_errno = op & kULF_NO_ERRNO;
    auto fail = [&d, no_errno](int e) {
      if (no_errno) return d.ret(uint64_t(int64_t(-e)));
      d.ret_errno(e);
    };
    uint32_t opcode = op & kUL_OPCODE_MASK, flags = op & ~kUL_OPCODE_MASK;
    // ULF_WAIT_MASK: NO_ERRNO, DEADLINE, WORKQ_DATA_CONTENTION, CANCEL_POINT, ADAPTIVE_SPIN
    if (flags & ~uint32_t(kULF_NO_ERRNO | 0x02000000 | 0x00010000 | 0x00020000 | 0x00040000))
      return fail(kEINVAL);
    if (flags & 0x02000000) fatal("darwin: __ulock_wait with ULF_DEADLINE is not modelled");
    uint64_t size = opcode == kUL_COMPARE_AND_WAIT ? 4 : opcode == kUL_COMPARE_AND_WAIT64 ? 8 : 0;
    if (!size) {
      if (opcode == kUL_UNFAIR_LOCK) fatal("darwin: __ulock_wait(UL_UNFAIR_LOCK) is not modelled");
      return fail(kEINVAL);
    }
    if (addr == 0 || addr % size) return fail(kEINVAL);
    if (!d.m->accessible(addr, size, kRead)) return fail(kEFAULT);
    uint64_t cur = size == 4 ? d.m->read_u32(addr) : d.m->read_u64(addr);
    if (size == 4) value = uint32_t(value);
    if (cur != value) return d.ret(uint64_t(waiters(*d.m, addr)));
    d.ret(0);  // back to the caller once resumed; on_resume sets the result
    uint64_t deadline = timeout_us ? d.m->now_ns() + uint64_t(timeout_us) * 1000 : UINT64_MAX;
    d.m->current().wait_what = "__ulock_wait";
    d.m->block(addr, deadline, [&d, addr, no_errno](Thread& t) {
      int e = t.wake_reason == Thread::Wake::timeout  ? kETIMEDOUT
              : t.wake_reason == Thread::Wake::signal ? kEINTR
                                                      : 0;
      uint64_t r = e ? (no_errno ? uint64_t(int64_t(-e)) : uint64_t(-1)) : waiters(*d.m, addr);
      if (e && !no_errno) d.set_errno(e);
      d.m->set_reg(d.m->cpu() == Cpu::amd64 ? int(UC_X86_REG_RAX) : int(UC_ARM64_REG_X0), r);
    });
  });
  d.add_stub("___ulock_wake", "xxx", [](Darwin& d) {
    uint32_t op = uint32_t(d.arg(0));
    uint64_t addr = d.arg(1);
    bool no_errno = op & kULF_NO_ERRNO;
    auto fail = [&d, no_errno](int e) {
      if (no_errno) return d.ret(uint64_t(int64_t(-e)));
      d.ret_errno(e);
    };
    uint32_t opcode = op & kUL_OPCODE_MASK, flags = op & ~kUL_OPCODE_MASK;
    if (opcode != kUL_COMPARE_AND_WAIT && opcode != kUL_COMPARE_AND_WAIT64) {
      if (opcode == kUL_UNFAIR_LOCK) fatal("darwin: __ulock_wake(UL_UNFAIR_LOCK) is not modelled");
      return fail(kEINVAL);
    }
    // ULF_WAKE_MASK: NO_ERRNO, WAKE_ALL, WAKE_THREAD, WAKE_ALLOW_NON_OWNER
    if (flags & ~uint32_t(kULF_NO_ERRNO | kULF_WAKE_ALL | kULF_WAKE_THREAD | 0x400))
      return fail(kEINVAL);
    if ((flags & kULF_WAKE_THREAD) && (flags & kULF_WAKE_ALL)) return fail(kEINVAL);
    if (flags & 0x400) return fail(kEINVAL);  // ALLOW_NON_OWNER needs UL_UNFAIR_LOCK
    if (flags & kULF_WAKE_THREAD) fatal("darwin: __ulock_wake(ULF_WAKE_THREAD) is not modelled");
    if (addr == 0) return fail(kEINVAL);
    int n = d.m->wake(addr, flags & kULF_WAKE_ALL ? INT_MAX : 1);
    if (n == 0) return fail(kENOENT);  // no thread waits there
    d.ret(0);
  });
}

void pthread_calls(Darwin& d) {
  d.add_stub("_pthread_attr_init", "x", [](Darwin& d) {
    Attr a{kPTHREAD_ATTR_SIG, 0, 0, uint64_t(kPTHREAD_CREATE_JOINABLE)};
    if (!d.m->write(d.arg(0), &a, sizeof a)) fatal("darwin: pthread_attr_init on unmapped memory");
    d.ret(0);
  });
  d.add_stub("_pthread_attr_setstack", "xxx", [](Darwin& d) {
    Attr a{};
    uint64_t p = d.arg(0), addr = d.arg(1), size = d.arg(2);
    d.m->read(p, &a, sizeof a);
    uint64_t min = d.m->cpu() == Cpu::arm64 ? 16384 : 8192;  // limits.h PTHREAD_STACK_MIN
    if (a.sig != kPTHREAD_ATTR_SIG || addr % d.page || size % d.page || size < min)
      return d.ret(kEINVAL);
    a.stackaddr = addr + size;
    a.stacksize = size;
    d.m->write(p, &a, sizeof a);
    d.ret(0);
  });
  d.add_stub("_pthread_attr_setdetachstate", "xx", [](Darwin& d) {
    Attr a{};
    uint64_t p = d.arg(0);
    int st = int(d.arg(1));
    d.m->read(p, &a, sizeof a);
    if (a.sig != kPTHREAD_ATTR_SIG ||
        (st != kPTHREAD_CREATE_JOINABLE && st != kPTHREAD_CREATE_DETACHED))
      return d.ret(kEINVAL);
    a.detached = uint64_t(st);
    d.m->write(p, &a, sizeof a);
    d.ret(0);
  });
  d.add_stub("_pthread_create", "xxxx", [](Darwin& d) {
    uint64_t out = d.arg(0), attrp = d.arg(1), fn = d.arg(2), a0 = d.arg(3);
    Attr a{kPTHREAD_ATTR_SIG, 0, 0, uint64_t(kPTHREAD_CREATE_JOINABLE)};
    if (attrp) {
      d.m->read(attrp, &a, sizeof a);
      if (a.sig != kPTHREAD_ATTR_SIG) return d.ret(kEINVAL);
    }
    uint64_t top = a.stackaddr, own_lo = 0, own_len = 0;
    if (!top) {  // libpthread allocates the stack, a guard page below it
      uint64_t len = kDefaultStack + d.page;
      uint64_t lo = d.m->map_anywhere(0, len, kRead | kWrite);
      if (!lo) return d.ret(kEAGAIN);
      d.m->protect(lo, d.page, kProtNone);
      top = lo + len;
      // A detached thread frees it as it ends; a joinable one's would be
      // freed by pthread_join, which the model lacks: it stays.
      if (a.detached == uint64_t(kPTHREAD_CREATE_DETACHED)) own_lo = lo, own_len = len;
    }
    uint64_t ret_stub = d.stub("thread return");
    Thread& t = d.m->spawn([&](Machine& m, Thread& th) {
      DThread& n = d.new_dthread(th);
      n.own_stack_lo = own_lo, n.own_stack_len = own_len;
      d.set_thread_pointer(n);
      uint64_t sp = top & ~uint64_t(15);
      if (m.cpu() == Cpu::amd64) {
        sp -= 8;  // fn is entered as if called from thread_start
        m.write_u64(sp, ret_stub);
        m.set_reg(UC_X86_REG_RDI, a0);
        m.set_reg(UC_X86_REG_RBP, 0);
      } else {
        m.set_reg(UC_ARM64_REG_X0, a0);
        m.set_reg(UC_ARM64_REG_LR, ret_stub);
        m.set_reg(UC_ARM64_REG_FP, 0);
      }
      m.set_sp(sp);
      m.set_pc(fn);
    });
    if (out) d.m->write_u64(out, d.dt(t).self);
    d.ret(0);
  });
  d.add_stub("thread return", nullptr, [](Darwin& d) { d.finish_thread(); });
  d.add_stub("_pthread_exit", "x", [](Darwin& d) { d.finish_thread(); });
  d.add_stub("_pthread_self", "", [](Darwin& d) { d.ret(d.cur().self); });
  d.add_stub("_pthread_kill", "xx", [](Darwin& d) {
    Thread* t = d.thread_of(d.arg(0));
    int sig = int(d.arg(1));
    if (!t) return d.ret(kESRCH);
    if (sig < 0 || sig >= kNSIG) return d.ret(kEINVAL);
    if (sig) d.m->post_signal(*t, PendingSig{sig, 0, 0, d.m->current().tid});
    d.ret(0);
  });
  d.add_stub("_pthread_sigmask", "xxx", [](Darwin& d) {
    int how = int(d.arg(0));
    uint64_t set = d.arg(1), old = d.arg(2);
    Thread& t = d.m->current();
    uint32_t prev = uint32_t(t.sigmask);
    if (set) {
      uint32_t s = d.m->read_u32(set);
      switch (how) {
        case kSIG_BLOCK: t.sigmask |= s; break;
        case kSIG_UNBLOCK: t.sigmask &= ~uint64_t(s); break;
        case kSIG_SETMASK: t.sigmask = s; break;
        default: return d.ret(kEINVAL);
      }
      t.sigmask &= ~kCantMask;
    }
    if (old) d.m->write_u32(old, prev);
    d.ret(0);
  });
  d.add_stub("_pthread_key_create", "xx", [](Darwin& d) {
    uint64_t out = d.arg(0), dtor = d.arg(1);
    if (d.next_key >= uint32_t(kTsdSlots)) return d.ret(kEAGAIN);
    uint32_t k = d.next_key++;
    d.key_dtor[k] = dtor;
    d.m->write_u64(out, k);  // pthread_key_t: unsigned long
    d.ret(0);
  });
  d.add_stub("_pthread_setspecific", "xx", [](Darwin& d) {
    uint64_t k = d.arg(0);
    if (!d.key_dtor.count(uint32_t(k)) || k >= uint64_t(kTsdSlots)) return d.ret(kEINVAL);
    d.m->write_u64(d.cur().tsd + 8 * k, d.arg(1));
    d.ret(0);
  });
  d.add_stub("_pthread_getspecific", "x", [](Darwin& d) {
    uint64_t k = d.arg(0);
    d.ret(k < uint64_t(kTsdSlots) ? d.m->read_u64(d.cur().tsd + 8 * k) : 0);
  });
}

void tlv_calls(Darwin& d) {
  // dyld's tlv_get_addr: preserves every register but the result's.
  d.add_stub("tlv_get_addr", nullptr, [](Darwin& d) { d.ret(d.tlv_get_addr(d.arg(0))); });
  // What the descriptors' thunks hold before dyld sets them: never called.
  d.add_stub("__tlv_bootstrap", nullptr,
             [](Darwin&) { fatal("darwin: _tlv_bootstrap called (an unset TLV descriptor)"); });
  d.add_stub("__tlv_atexit", "xx", [](Darwin& d) {
    d.cur().tlv_dtors.push_back({d.arg(0), d.arg(1)});
    d.ret(0);
  });
  // Lazy binding never happens: every pointer is bound at load.
  d.add_stub("dyld_stub_binder", nullptr,
             [](Darwin&) { fatal("darwin: dyld_stub_binder called (a lazy pointer not bound)"); });
}

}  // namespace

void install_thread_calls(Darwin& d) {
  ulock_calls(d);
  pthread_calls(d);
  tlv_calls(d);
}

}  // namespace sim::darwin
