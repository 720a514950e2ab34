// tests/rt/gcutil.h — helpers shared by the garbage collector's tests.
//
// The collector is conservative: any word that looks like a pointer keeps its
// object alive, stale copies in dead stack slots and registers included. A
// test that wants to see an object freed (or wrongly freed) must therefore
// hold no plain copy of its address outside the one root under test. These
// helpers build probes whose address is kept only hidden (xor'd with a mask),
// check them through that hidden copy, and wipe the stack below the caller.
#pragma once

#include <gort/time.h>

#include "atomic.h"
#include "tap.h"

namespace gctest {

// Not a heap address on any port once xor'd with one (the top bits differ).
inline constexpr uintptr_t kMask = uintptr_t(0x5a5a5a5a5a5a5a5aull);
inline uintptr_t hide(const void* p) { return uintptr_t(p) ^ kMask; }
template <typename T>
inline T* unhide(uintptr_t h) {
  return reinterpret_cast<T*>(h ^ kMask);
}

// The stack below the caller's frame, where the frames of the functions it
// called lay (and their stale pointers), is wiped with tap::clear_stack().

// A probe: a heap object whose every word is a function of its id, so a
// probe freed too early (poisoned by GORTDEBUG=gcpoison=1, reused, or given
// back to the OS) fails check_probe. It carries a finalizer that counts in
// fin_runs[id]: a probe that must stay alive must never see it run.
inline constexpr uint64_t kProbeMagic = 0x70726f6265676f72ull;  // "probegor"
inline constexpr int kMaxProbes = 1024;
inline uint32_t fin_runs[kMaxProbes];

struct Probe {
  uint64_t magic;
  uint64_t id;
  uint64_t nwords;  // payload words after the header
  uint64_t words[1];
};
inline uint64_t probe_word(uint64_t id, uint64_t i) {
  uint64_t x = (id + 1) * 0x9e3779b97f4a7c15ull ^ (i + 1) * 0xbf58476d1ce4e5b9ull;
  return (x ^ (x >> 31)) | 1;  // never 0: a zeroed word shows
}
// bytes: the object's whole size (at least 32).
__attribute__((noinline)) inline Probe* make_probe(uint64_t id, size_t bytes = 128,
                                                   bool finalizer = true) {
  auto* p = static_cast<Probe*>(gort::alloc(bytes, false));
  p->magic = kProbeMagic;
  p->id = id;
  p->nwords = (bytes - 24) / 8;
  for (uint64_t i = 0; i < p->nwords; i++) p->words[i] = probe_word(id, i);
  if (finalizer) gort::set_finalizer(p, [](Probe* q) { gort::atomic::xadd(&fin_runs[q->id], 1u); });
  return p;
}
__attribute__((noinline)) inline bool check_probe(const Probe* p, uint64_t id) {
  if (p->magic != kProbeMagic || p->id != id) return false;
  for (uint64_t i = 0; i < p->nwords; i++)
    if (p->words[i] != probe_word(id, i)) return false;
  return true;
}
__attribute__((noinline)) inline bool check_hidden(uintptr_t h, uint64_t id) {
  return check_probe(unhide<const Probe>(h), id);
}
inline uint32_t fin_count(uint64_t id) { return gort::atomic::load(&fin_runs[id]); }

// Runs fn() on a goroutine of its own and waits for it to end: whatever it
// left in its registers and stack is gone with it, so the caller's frames
// hold no stale copy of the addresses it handled.
template <typename F>
void on_fresh_goroutine(F fn) {
  auto done = gort::make_chan<bool>();
  gort::go([fn, done]() mutable {
    fn();
    done.send(true);
  });
  done.recv();
  tap::clear_stack();
}

// Waiting for the finalizer goroutine (runnable once a cycle queued work)
// is tap::wait_until with kFinalizerNaps: the bound only keeps a run whose
// finalizer never comes from taking minutes.
inline constexpr int kFinalizerNaps = 200;

// Forced cycles until the finalizer of probe id has run (at most `cycles`,
// letting the finalizer goroutine run after each): the probe was freed.
inline bool collected(uint64_t id, int cycles = 10) {
  for (int c = 0; c < cycles; c++) {
    tap::clear_stack();
    gort::gc();
    if (tap::wait_until([id] { return fin_count(id) > 0; }, kFinalizerNaps)) return true;
  }
  return false;
}

// Resident set size in bytes (/proc/self/statm), or -1 without procfs.
inline int64_t rss_bytes() {
  int fd = gort::os_open("/proc/self/statm", false);
  if (fd < 0) return -1;
  char buf[128];
  long n = gort::os_read(fd, buf, sizeof buf - 1);
  gort::os_close(fd);
  if (n <= 0) return -1;
  long i = 0;
  while (i < n && buf[i] != ' ') i++;  // size, then resident
  int64_t pages = 0;
  for (i++; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) pages = pages * 10 + (buf[i] - '0');
  return pages * int64_t(gort::pagesize());
}

// A decimal argument, or def.
inline int64_t int_arg(int argc, char** argv, int i, int64_t def) {
  if (i >= argc) return def;
  int64_t v = 0;
  for (const char* s = argv[i]; *s >= '0' && *s <= '9'; s++) v = v * 10 + (*s - '0');
  return v;
}
inline bool streq(const char* a, const char* b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

}  // namespace gctest
