// tests/rt/pagesize.cpp — the allocator and the stack pool on larger OS
// pages than this machine's: tests/meson.build runs it with
// GORTDEBUG=pagesize=16384 and 65536 (arm64 and POWER kernels use both)
// and without. Every guard, madvise and M mapping must be whole pages of that
// size (runtime/mheap.cpp's whole_pages dies otherwise), a goroutine keeps
// a usable stack as large as the build promises, and the scavenger returns
// free spans that share an OS page with live objects without touching them.
#include <gort/gort.h>

#include "malloc.h"
#include "runtime.h"
#include "stack.h"
#include "tap.h"

namespace {

uint64_t pattern(uint64_t i, uint64_t w) { return (i + 1) * 0x9e3779b97f4a7c15ull ^ w; }

// Uses `depth` frames of 512 bytes of stack, each checking its own words
// after the ones below it returned.
__attribute__((noinline)) bool deep(int depth) {
  volatile uint64_t frame[64];
  for (int i = 0; i < 64; i++) frame[i] = pattern(uint64_t(depth), uint64_t(i));
  bool ok = depth == 0 || deep(depth - 1);
  for (int i = 0; i < 64; i++) ok = ok && frame[i] == pattern(uint64_t(depth), uint64_t(i));
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t want = 0;  // the page size GORTDEBUG asks for (argv[1]), or 0
  for (const char* c = argc > 1 ? argv[1] : ""; *c >= '0' && *c <= '9'; c++)
    want = want * 10 + uint64_t(*c - '0');
  tap::plan(5);
  uintptr_t ps = gort::pagesize();
  if (!tap::ok(want == 0 || ps == want, "the runtime uses the page size GORTDEBUG asks for"))
    tap::diag("pagesize() = ", uint64_t(ps), ", want ", want);

  // Stacks: the guard is whole pages, and what is left of a slot is at
  // least as much as the build's slot less a 16 KiB guard.
  bool started = false;
  gort::go([&started] { started = true; });
  while (!started) gort::gosched();
  uintptr_t slot = gort::stack_slot(), guard = gort::stack_guard();
  tap::ok(guard % ps == 0 && slot >= 2 * guard && slot % ps == 0,
          "stack guards and slots are whole pages, a slot at least twice its guard");
  if (guard % ps || slot < 2 * guard)
    tap::diag("slot ", uint64_t(slot), " guard ", uint64_t(guard), " page ", uint64_t(ps));

  // 3/4 of the usable stack, in 512-byte frames, on a goroutine.
  int depth = int((slot - guard) / 4 * 3 / 600);
  auto done = gort::make_chan<bool>(1);
  gort::go([done, depth]() mutable { done.send(deep(depth)); });
  tap::ok(done.recv(), "a goroutine uses three quarters of its usable stack intact");

  // Heap: large objects of 1 to 7 runtime pages, every other one dropped,
  // so freed spans start and end inside OS pages that live objects share.
  constexpr int kN = 600;
  static uint64_t* keep[kN];
  static size_t keep_words[kN];
  for (int i = 0; i < kN; i++) {
    size_t bytes = size_t(1 + i % 7) * gort::kPageSize + 8 * size_t(i % 3);
    auto* p = static_cast<uint64_t*>(gort::alloc(bytes, true));
    for (size_t w = 0; w < bytes / 8; w++) p[w] = pattern(uint64_t(i), w);
    if (i % 2 == 0) {
      keep[i] = p;
      keep_words[i] = bytes / 8;
    }
  }
  gort::gc();
  gort::gc();
  uintptr_t released = gort::mheap_scavenge(0);  // every free span, now
  bool intact = true;
  for (int i = 0; i < kN; i += 2)
    for (size_t w = 0; w < keep_words[i]; w++)
      intact = intact && keep[i][w] == pattern(uint64_t(i), w);
  if (!tap::ok(intact, "the scavenger leaves live objects beside released spans intact"))
    tap::diag("released ", uint64_t(released), " bytes");

  bool zero = true;
  for (int i = 0; i < kN; i++) {
    size_t bytes = size_t(1 + i % 7) * gort::kPageSize;
    auto* p = static_cast<uint64_t*>(gort::alloc(bytes, true));
    for (size_t w = 0; w < bytes / 8; w++) zero = zero && p[w] == 0;
  }
  tap::ok(zero, "memory allocated again after the scavenger reads as zero");
  return tap::done();
}
