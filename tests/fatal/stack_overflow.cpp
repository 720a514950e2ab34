// tests/fatal/stack_overflow.cpp — a stack overflow is reported for the
// goroutine that overflowed, before any other goroutine's memory is written.
//
//   stack_overflow MODE [N]
//     small     unbounded recursion, small frames, on a goroutine
//     big       one 64 KiB local array on a goroutine
//     alloca    one 64 KiB alloca on a goroutine
//     frame8k   recursion with 8 KiB frames on a goroutine
//     main8k    recursion with 8 KiB frames on the main goroutine
//     many N    N other goroutines hold stacks; then "small" on one more
//     deep N    recursion N frames of 1 KiB deep on a goroutine, then returns
//
// Every mode but "deep" first starts 16 neighbour goroutines whose stacks
// carry canaries near their tops (where an overflow from the slot above
// lands), and prints the culprit's id. Had the culprit returned, main checks
// the canaries and says so: the test expects exit 2 and the overflow report
// naming the culprit instead, which proves the fault came first.
#include <gort/gort.h>

#include "runtime2.h"
#include "strutil.h"

namespace {
constexpr int kNeighbours = 16;
constexpr int kCanary = 2048;
constexpr char kPattern = 0x5a;

gort::WaitGroup ready, culprit;
volatile char* canaries[kNeighbours];
int64_t depth_reached;
volatile bool forever = true;  // recursion the compiler cannot prove infinite

// Keeps a frame from being merged or turned into a loop.
__attribute__((noinline)) void touch(volatile char* p, size_t n) {
  p[0] = 1;
  p[n - 1] = 1;
}

__attribute__((noinline)) int small(int d) {
  volatile char frame[128];
  touch(frame, sizeof frame);
  return forever ? small(d + 1) + frame[1] : d;
}

// Recursion with 8 KiB frames, each written first at its lowest byte. A
// frame's bottom is recorded at depths 0 and 1 (stop = 2: a dry run that
// measures where the frames fall).
uintptr_t bottom[2];
__attribute__((noinline)) int frame8k(int d, int stop) {
  volatile char frame[8192];
  if (d < 2) bottom[d] = uintptr_t(&frame[0]);
  touch(frame, sizeof frame);
  return d + 1 < stop ? frame8k(d + 1, stop) + frame[1] : d;
}
__attribute__((noinline)) int frame8k_from(size_t pad, int stop) {
  auto* p = static_cast<volatile char*>(__builtin_alloca(pad + 16));
  p[0] = 0;
  return frame8k(0, stop) + p[0];
}
// Recurses with 8 KiB frames until the stack runs out, phased (by an alloca
// below the first frame) so that the first frame to cross the stack's low
// end has its bottom about 6 KiB below it: past a 4 KiB guard, for a
// compiler that does not probe.
void frame8k_overflow() {
  frame8k_from(0, 2);
  uintptr_t f = bottom[0] - bottom[1], lo = gort::getg()->stack_lo;
  uintptr_t r = (bottom[0] - lo) % f, want = 2048;
  frame8k_from(((r + f - want) % f) & ~uintptr_t(15), 1 << 30);
}

// The bytes of p[0..n) that lie below the running goroutine's own 64 KiB slot
// (the neighbour's), at most 128 of them: what an unprobed big frame writes
// after stepping over the guard.
void write_below_slot(volatile char* p) {
  uintptr_t slot = gort::getg()->stack_lo & ~uintptr_t(0xffff);
  for (int i = 0; i < 128 && uintptr_t(p + i) < slot; i++) p[i] = char(i);
}

// These frames exist to overflow. Ports whose compiler has no stack probes
// (clang before 19 for arm64, before 22 for riscv64) refuse frames larger
// than their guard at build time; this file must still build there (the
// tests then show the hole: sim_known in tests/meson.build), so it allows
// them.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wframe-larger-than"
#endif

// Writes at the bottom of a 64 KiB frame: below a 60 KiB stack.
__attribute__((noinline)) void big() {
  volatile char frame[65536];
  write_below_slot(frame);
  frame[65535] = 1;
}

__attribute__((noinline)) void big_alloca(size_t n) {
  auto* p = static_cast<volatile char*>(__builtin_alloca(n));
  write_below_slot(p);
  p[n - 1] = 1;
}

__attribute__((noinline)) int deep(int64_t d) {
  volatile char frame[1024];
  touch(frame, sizeof frame);
  if (d <= 1) return frame[1];
  depth_reached++;
  return deep(d - 1) + frame[1];
}

__attribute__((noinline)) void neighbour(int i) {
  volatile char canary[kCanary];
  for (int k = 0; k < kCanary; k++) canary[k] = kPattern;
  canaries[i] = canary;
  ready.done();
  gort::gopark(nullptr, nullptr, "test wait");  // for good: canary live until the exit
}

int count_corrupted() {
  int bad = 0;
  for (int i = 0; i < kNeighbours; i++)
    for (int k = 0; k < kCanary; k++) bad += canaries[i][k] != kPattern;
  return bad;
}
}  // namespace

int main(int argc, char** argv) {
  gort::Str mode(argc > 1 ? argv[1] : "small");
  int64_t n = 0;
  if (argc > 2) gort::parse_int(gort::Str(argv[2]), &n);
  if (mode == gort::Str("main8k")) {
    gort::println("culprit is goroutine ", gort::getg()->goid);
    frame8k_overflow();
    return 0;
  }
  if (mode == gort::Str("deep")) {
    culprit.add(1);
    gort::go([n] {
      deep(n);
      culprit.done();
    });
    culprit.wait();
    gort::println("depth ", depth_reached + 1, " reached");
    return 0;
  }
  ready.add(kNeighbours / 2);
  culprit.add(1);
  for (int i = 0; i < kNeighbours / 2; i++) gort::go([i] { neighbour(i); });
  ready.wait();  // their stacks are taken (a goroutine gets one when it first runs)
  if (mode == gort::Str("many")) {
    gort::WaitGroup others;
    others.add(n);
    for (int64_t i = 0; i < n; i++)
      gort::go([&others] {
        others.done();
        gort::gopark(nullptr, nullptr, "test wait");
      });
    others.wait();
  }
  ready.add(kNeighbours / 2);  // the culprit starts once the rest have their stacks too
  gort::go([mode] {
    ready.wait();
    gort::println("culprit is goroutine ", gort::getg()->goid);
    if (mode == gort::Str("big")) big();
    if (mode == gort::Str("alloca")) big_alloca(65536);
    if (mode == gort::Str("frame8k")) frame8k_overflow();
    if (mode == gort::Str("small") || mode == gort::Str("many")) small(0);
    gort::println("culprit returned");
    culprit.done();
  });
  for (int i = kNeighbours / 2; i < kNeighbours; i++) gort::go([i] { neighbour(i); });
  culprit.wait();
  int bad = count_corrupted();
  gort::println(bad ? "neighbour canaries corrupted: " : "neighbour canaries intact: ", bad);
  return 0;
}
