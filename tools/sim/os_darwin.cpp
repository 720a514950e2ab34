// gort-sim: the Darwin model's loader, calling convention, threads, TSD and
// thread-local variables (see os_darwin.h). What dyld does for an LC_MAIN
// executable is done here at load: map the segments (slid), apply every
// rebase, bind every import to the stub page eagerly (as dyld 4 does, so
// __stub_helper never runs), hand out the image's thread-local-variable key,
// and call main(argc, argv, envp, apple) with exit() as its return.
#include "os_darwin.h"

#include <cstdio>
#include <cstring>

namespace sim::darwin {

namespace {

// Where the model puts what the kernel and the shared cache would: the
// main stack just below the shared cache region on each CPU (macOS's
// USRSTACK64 neighbourhood), libSystem's stubs where the cache begins.
struct Layout {
  uint64_t stub_base, stack_top, mmap_lo, mmap_hi;
};
Layout layout(Cpu c) {
  if (c == Cpu::amd64) return {0x7ff800000000, 0x7ff7c0000000, 0x200000000, 0x7ff000000000};
  return {0x180000000, 0x170000000, 0x200000000, 0x7f0000000000};
}
constexpr uint64_t kStubSize = 16;
constexpr uint64_t kMainStack = 8 << 20;      // macOS's default main stack (ulimit -s)
constexpr uint64_t kThreadStack = 512 << 10;  // libpthread's default secondary stack
constexpr uint64_t kPthreadBytes = 0x100 + kTsdSlots * 8 + 16;

std::string hex(uint64_t v) {
  char b[24];
  snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

}  // namespace

uint64_t Darwin::stub(const std::string& name) const {
  auto it = stub_addr.find(name);
  if (it == stub_addr.end()) fatal("darwin: no libSystem function " + name);
  return it->second;
}

uint64_t Darwin::add_stub(const std::string& name, const char* fmt, Fn fn) {
  uint64_t a = stub_base + kStubSize * stub_names.size();
  if (a + kStubSize > stub_base + page) fatal("darwin: the libSystem stub page is full");
  stub_names.push_back(name);
  stub_fns.push_back(std::move(fn));
  stub_fmt.push_back(fmt);
  stub_addr[name] = a;
  return a;
}

void Darwin::on_stub(uint64_t pc) {
  uint64_t off = pc - stub_base;
  if (off % kStubSize || off / kStubSize >= stub_fns.size())
    fatal("darwin: jump into libSystem at " + hex(pc) + ", not a function's entry");
  size_t idx = off / kStubSize;
  if (!m->trace_syscalls || !stub_fmt[idx]) return stub_fns[idx](*this);
  std::string line = trace_line(idx);
  call_err = 0;
  stub_fns[idx](*this);
  Thread& t = m->current();
  if (t.state == ThreadState::blocked && t.on_resume) {
    // The result comes when the thread resumes (unless the call restarts).
    auto f = std::move(t.on_resume);
    t.on_resume = [this, f, line, pc](Thread& th) {
      call_err = 0;
      f(th);
      if (m->pc() != pc) trace_result(line, th);
    };
  } else if (t.state == ThreadState::runnable && m->pc() != pc) {
    trace_result(line, t);
  }
}

std::string Darwin::trace_line(size_t idx) {
  std::string s = stub_names[idx];
  if (s[0] == '_') s.erase(0, 1);
  s += "(";
  const char* f = stub_fmt[idx];
  for (int i = 0; f[i]; i++) {
    if (i) s += ", ";
    uint64_t v = arg(i);
    if (f[i] == 's') {
      s += '"';
      s += m->read_cstr(v, 256);
      s += '"';
    } else if (f[i] == 'b') {
      uint64_t n = std::min<uint64_t>(arg(i + 1), 64);
      std::string b(n, '\0');
      if (!m->read(v, b.data(), n)) b.clear();
      std::string q;
      for (char c : b) {
        if (c == '\n')
          q += "\\n";
        else if (c == '\t')
          q += "\\t";
        else if (c == '"' || c == '\\')
          q.append(1, '\\').append(1, c);
        else if (c >= 32 && c < 127)
          q += c;
        else
          q.append(1, '\\').append(std::to_string(uint8_t(c)));
      }
      s += '"';
      s += q;
      s += "\\0\"";
    } else {
      s += hex(v);
    }
  }
  return s + ")";
}

void Darwin::trace_result(const std::string& line, Thread&) {
  uint64_t r = m->reg(m->cpu() == Cpu::amd64 ? int(UC_X86_REG_RAX) : int(UC_ARM64_REG_X0));
  m->trace(line + " = " + std::to_string(int64_t(r)) + " " + std::to_string(call_err));
}

// ---- calling convention ----

uint64_t Darwin::arg(int i) {
  static const int x86[] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX,
                            UC_X86_REG_RCX, UC_X86_REG_R8,  UC_X86_REG_R9};
  if (m->cpu() == Cpu::amd64) return m->reg(x86[i]);
  return m->reg(UC_ARM64_REG_X0 + i);
}

// Apple's arm64 ABI passes every variadic argument on the stack, in 8-byte
// slots from sp; x86_64 continues in the argument registers.
uint64_t Darwin::vararg(int fixed, int i) {
  if (m->cpu() == Cpu::amd64) return arg(fixed + i);
  return m->read_u64(m->sp() + 8 * uint64_t(i));
}

uint64_t Darwin::ret_addr() {
  return m->cpu() == Cpu::amd64 ? m->read_u64(m->sp()) : m->reg(UC_ARM64_REG_LR);
}

void Darwin::ret(uint64_t v) {
  if (m->cpu() == Cpu::amd64) {
    uint64_t sp = m->sp();
    m->set_reg(UC_X86_REG_RAX, v);
    m->set_pc(m->read_u64(sp));
    m->set_sp(sp + 8);
  } else {
    m->set_reg(UC_ARM64_REG_X0, v);
    m->set_pc(m->reg(UC_ARM64_REG_LR));
  }
}

void Darwin::set_errno(int e) {
  m->write_u32(cur().errno_addr, uint32_t(e));
  call_err = e;
}

void Darwin::ret_errno(int e) {
  set_errno(e);
  ret(uint64_t(-1));
}

void Darwin::call_guest(uint64_t fn, uint64_t a0, uint64_t back) {
  if (m->cpu() == Cpu::amd64) {
    uint64_t sp = (m->sp() & ~uint64_t(15)) - 8;  // as after a call
    m->write_u64(sp, back);
    m->set_sp(sp);
    m->set_reg(UC_X86_REG_RDI, a0);
  } else {
    m->set_sp(m->sp() & ~uint64_t(15));
    m->set_reg(UC_ARM64_REG_X0, a0);
    m->set_reg(UC_ARM64_REG_LR, back);
  }
  m->set_pc(fn);
}

// ---- threads ----

DThread& Darwin::new_dthread(Thread& t) {
  auto d = std::make_unique<DThread>();
  uint64_t len = (kPthreadBytes + page - 1) & ~(page - 1);
  d->self = m->map_anywhere(0, len, kRead | kWrite);
  if (!d->self) fatal("darwin: no room for a thread's pthread block");
  d->tsd = d->self + 0x100;
  d->errno_addr = d->tsd + kTsdSlots * 8;
  m->write_u64(d->tsd + 8 * kTsdThreadSelf, d->self);
  m->write_u64(d->tsd + 8 * kTsdErrno, d->errno_addr);
  t.os_data = d.get();
  dthreads.push_back(std::move(d));
  return *dthreads.back();
}

void Darwin::set_thread_pointer(const DThread& d) {
  if (m->cpu() == Cpu::amd64)
    m->set_reg(UC_X86_REG_GS_BASE, d.tsd);
  else
    m->set_reg(UC_ARM64_REG_TPIDRRO_EL0, d.tsd);
}

Thread* Darwin::thread_of(uint64_t pthread) {
  for (auto& t : m->threads())
    if (t->state != ThreadState::exited && t->os_data && dt(*t).self == pthread) return t.get();
  return nullptr;
}

// dyld's tlv_get_addr: the thread's block for the image, made from the
// template (__thread_data, then zeros for __thread_bss) on first use.
uint64_t Darwin::tlv_get_addr(uint64_t desc) {
  TlvDescriptor d{};
  if (!m->read(desc, &d, sizeof d)) fatal("darwin: tlv_get_addr: descriptor " + hex(desc));
  if (d.key != tlv_key || !tlv_key) fatal("darwin: tlv_get_addr: descriptor without dyld's key");
  uint64_t slot = cur().tsd + 8 * d.key, block = m->read_u64(slot);
  if (!block) {
    uint64_t len = (tlv_size + page - 1) & ~(page - 1);
    block = m->map_anywhere(0, len, kRead | kWrite);
    if (!block) fatal("darwin: no room for a thread's thread-local variables");
    std::vector<uint8_t> init(tlv_init_size);
    m->read(tlv_init_addr, init.data(), init.size());
    m->write(block, init.data(), init.size());
    m->write_u64(slot, block);
  }
  if (d.offset >= tlv_size) fatal("darwin: tlv_get_addr: offset past the thread-local block");
  return block + d.offset;
}

// A thread ends (pthread_exit, or its function returned) or the process
// does (exit): first the guest calls libSystem makes on the way, one at a
// time, each returning to "exit continue" — __tlv_atexit destructors,
// newest first, then pthread key destructors for non-null values.
void Darwin::finish_thread() {
  DThread& d = cur();
  if (!d.exiting) {
    d.exiting = true;
    for (auto it = d.tlv_dtors.rbegin(); it != d.tlv_dtors.rend(); ++it)
      d.exit_calls.push_back(*it);
    d.tlv_dtors.clear();
    if (!d.process_exit) {
      for (auto& [key, dtor] : key_dtor) {
        uint64_t v = m->read_u64(d.tsd + 8 * key);
        if (dtor && v) {
          m->write_u64(d.tsd + 8 * key, 0);
          d.exit_calls.push_back({dtor, v});
        }
      }
    }
  }
  if (!d.exit_calls.empty()) {
    auto [fn, a] = d.exit_calls.front();
    d.exit_calls.pop_front();
    call_guest(fn, a, stub("exit continue"));
    return;
  }
  if (d.process_exit) m->exit_process(d.exit_status);
  // The thread is gone: dyld's key destructor has freed its thread-local
  // block, and libpthread frees what it allocated for a detached thread
  // (bsdthread_terminate unmaps the stack once the thread is off it).
  // Guest code still holding these addresses faults, as it would on macOS.
  if (tlv_key) {
    uint64_t block = m->read_u64(d.tsd + 8 * tlv_key);
    if (block) m->unmap(block, (tlv_size + page - 1) & ~(page - 1));
  }
  if (d.own_stack_len) m->unmap(d.own_stack_lo, d.own_stack_len);
  m->exit_thread();
}

// ---- loading ----

void Darwin::load(Machine& mm, const Program& p) {
  m = &mm;
  image = macho::parse(read_file(p.path));
  if (image.cpu != m->cpu()) fatal("darwin: the binary's CPU is not the machine's");
  page = image.cpu == Cpu::arm64 ? 16384 : 4096;
  if (m->page_size() != page)
    fatal("darwin: the machine's page size is " + std::to_string(m->page_size()) + ", Darwin's " +
          std::to_string(page));
  slide = p.slide;
  if (slide % page) fatal("darwin: --slide must be a multiple of the page size");
  exe_path = p.path;
  Layout lay = layout(image.cpu);
  m->set_mmap_area(lay.mmap_lo, lay.mmap_hi);
  if (image.lo + slide < image.lo || image.hi + slide > lay.mmap_lo)
    fatal("darwin: the slid image does not fit below the mmap area");

  // libSystem: every function the model has, on one page of stub entries.
  stub_base = lay.stub_base;
  install_calls();
  install_signal_calls();
  // Each entry is a breakpoint (int3 / brk #0xdead): calling one stops the
  // emulator cleanly with pc at the entry, and fault() serves the call
  // outside it. (A code hook that moves pc cannot stop Unicorn 2.0.1 at
  // once: the thread would run on past a blocking call.)
  std::vector<uint8_t> traps(page);
  for (uint64_t i = 0; i + 4 <= page; i += 4) {
    uint32_t w = image.cpu == Cpu::amd64 ? 0xccccccccu : 0xd43bd5a0u;
    memcpy(&traps[i], &w, 4);
  }
  m->map(stub_base, page, kRead | kExec);
  m->write(stub_base, traps.data(), traps.size());

  // The segments, at their addresses plus the slide; __PAGEZERO stays
  // unmapped (reserved: nothing else is placed below the image).
  std::vector<uint8_t> file = read_file(p.path);
  for (const macho::Segment& s : image.segments) {
    if (s.initprot == 0 && s.filesize == 0) continue;
    if (s.vmaddr % page) fatal("darwin: segment " + s.name + " not page-aligned");
    uint64_t len = (s.vmsize + page - 1) & ~(page - 1);
    unsigned prot = (s.initprot & macho::kVmProtRead ? unsigned(kRead) : 0u) |
                    (s.initprot & macho::kVmProtWrite ? unsigned(kWrite) : 0u) |
                    (s.initprot & macho::kVmProtExec ? unsigned(kExec) : 0u);
    m->map(s.vmaddr + slide, len, prot);
    if (s.filesize) m->write(s.vmaddr + slide, file.data() + s.fileoff, s.filesize);
  }
  for (const macho::Rebase& r : image.rebases) m->write_u64(r.addr + slide, r.target + slide);
  for (const macho::Bind& b : image.binds) {
    if (b.ordinal != 1 && b.ordinal != -2)  // libSystem, or a flat lookup
      fatal("darwin: " + b.symbol + " bound to dylib ordinal " + std::to_string(b.ordinal) +
            " (only libSystem exists here)");
    uint64_t v = 0;
    if (stub_addr.count(b.symbol))
      v = stub_addr[b.symbol] + uint64_t(b.addend);
    else if (!b.weak_import)
      fatal("darwin: no libSystem function " + b.symbol);
    m->write_u64(b.addr + slide, v);
  }

  // Thread-local variables: dyld gives the image one pthread key and points
  // every descriptor's thunk at tlv_get_addr.
  uint64_t tlo = UINT64_MAX, thi = 0, init_hi = 0;
  for (const macho::Section& s : image.sections) {
    if (s.type() == macho::kSThreadLocalRegular || s.type() == macho::kSThreadLocalZerofill) {
      tlo = std::min(tlo, s.addr);
      thi = std::max(thi, s.addr + s.size);
      if (s.type() == macho::kSThreadLocalRegular) init_hi = std::max(init_hi, s.addr + s.size);
    }
  }
  for (const macho::Section& s : image.sections) {
    if (s.type() != macho::kSThreadLocalVariables) continue;
    if (!tlv_key) {
      tlv_key = next_key++;
      key_dtor[tlv_key] = 0;
      if (tlo == UINT64_MAX) tlo = thi = init_hi = s.addr;
      tlv_init_addr = tlo + slide;
      tlv_init_size = init_hi > tlo ? init_hi - tlo : 0;
      tlv_size = thi - tlo;
    }
    for (uint64_t a = s.addr; a + sizeof(TlvDescriptor) <= s.addr + s.size; a += 24) {
      m->write_u64(a + slide, stub("tlv_get_addr"));
      m->write_u64(a + slide + 8, tlv_key);
    }
  }

  // The main thread, its stack, and main(argc, argv, envp, apple).
  Thread& t = m->current();
  DThread& d = new_dthread(t);
  set_thread_pointer(d);
  uint64_t ssize = image.stacksize ? (image.stacksize + page - 1) & ~(page - 1) : kMainStack;
  uint64_t top = lay.stack_top;
  m->map(top - ssize, ssize, kRead | kWrite);  // the page below stays unmapped: the guard
  uint64_t sp = top;
  auto push_str = [&](const std::string& s) {
    sp -= s.size() + 1;
    m->write(sp, s.c_str(), s.size() + 1);
    return sp;
  };
  uint64_t rnd[4];
  m->random_bytes(rnd, sizeof rnd);
  std::vector<std::string> apple = {
      "executable_path=" + p.path,
      "stack_guard=" + hex(rnd[0]),
      "malloc_entropy=" + hex(rnd[1]) + "," + hex(rnd[2]),
      "ptr_munge=" + hex(rnd[3]),
      "main_stack=" + hex(top) + "," + hex(ssize) + "," + hex(top - ssize - page) + "," + hex(page),
  };
  std::vector<uint64_t> argv, envp, applev;
  for (auto& s : p.argv) argv.push_back(push_str(s));
  for (auto& s : p.envp) envp.push_back(push_str(s));
  for (auto& s : apple) applev.push_back(push_str(s));
  sp &= ~uint64_t(15);
  uint64_t words = argv.size() + envp.size() + applev.size() + 3;
  sp -= words * 8;
  sp &= ~uint64_t(15);
  uint64_t w = sp;
  auto put = [&](const std::vector<uint64_t>& v) {
    uint64_t at = w;
    for (uint64_t x : v) m->write_u64(w, x), w += 8;
    m->write_u64(w, 0), w += 8;
    return at;
  };
  uint64_t av = put(argv), ev = put(envp), ap = put(applev);
  // dyld's ProgramVars (mach-o/dyld_priv.h): the header, then where argc,
  // argv, environ and the program's name live (here: the words below).
  uint64_t vars = sp - 10 * 8;
  uint64_t cells[] = {uint64_t(argv.size()), av, ev, argv.empty() ? 0 : argv[0]};
  for (int i = 0; i < 4; i++) m->write_u64(vars + 40 + 8 * i, cells[i]);
  uint64_t pv[] = {image.header + slide, vars + 40, vars + 48, vars + 56, vars + 64};
  m->write(vars, pv, sizeof pv);
  main_sp = vars & ~uint64_t(15);
  main_args[0] = argv.size(), main_args[1] = av, main_args[2] = ev, main_args[3] = ap;
  main_args[4] = vars;

  // The initialisers (C++ static constructors), as dyld runs them before
  // main: every S_MOD_INIT_FUNC_POINTERS pointer (rebased above) and
  // S_INIT_FUNC_OFFSETS offset, in section order, each called as
  // init(argc, argv, envp, apple, &ProgramVars).
  for (const macho::Section& s : image.sections) {
    if (s.type() == macho::kSModInitFuncPointers)
      for (uint64_t a = s.addr; a + 8 <= s.addr + s.size; a += 8)
        inits.push_back(m->read_u64(a + slide));
    else if (s.type() == macho::kSInitFuncOffsets)
      for (uint64_t a = s.addr; a + 4 <= s.addr + s.size; a += 4)
        inits.push_back(image.header + slide + m->read_u32(a + slide));
  }
  next_init_or_main();
}

// Each initialiser returns to "init continue", which calls the next, then
// main with exit(main(...)) as its return (the "main return" stub).
void Darwin::next_init_or_main() {
  uint64_t fn = image.entry + slide, back = stub("main return");
  if (!inits.empty()) {
    fn = inits.front();
    inits.pop_front();
    back = stub("init continue");
  }
  if (m->cpu() == Cpu::amd64) {
    m->set_sp(main_sp - 8);
    m->write_u64(main_sp - 8, back);
    m->set_reg(UC_X86_REG_RBP, 0);
  } else {
    m->set_sp(main_sp);
    m->set_reg(UC_ARM64_REG_LR, back);
    m->set_reg(UC_ARM64_REG_FP, 0);
  }
  static const int x86[] = {UC_X86_REG_RDI, UC_X86_REG_RSI, UC_X86_REG_RDX, UC_X86_REG_RCX,
                            UC_X86_REG_R8};
  for (int i = 0; i < 5; i++)
    m->set_reg(m->cpu() == Cpu::amd64 ? x86[i] : int(UC_ARM64_REG_X0) + i, main_args[i]);
  m->set_pc(fn);
}

std::unique_ptr<OsModel> make_darwin_model() { return std::make_unique<Darwin>(); }

}  // namespace sim::darwin

namespace sim {
std::unique_ptr<OsModel> make_darwin() { return darwin::make_darwin_model(); }
}  // namespace sim
