// bench/bintree — the benchmarks game's binary-trees beside Go's (twin:
// bench/bintree/bintree.go): a stretch tree of depth D+1, a long-lived tree
// of depth D, and for d = 4, 6, ... D, 2^(D-d+4) trees of depth d built
// and walked, one goroutine per d (as the game's Go program). Prints
//
//   bintree depth=D check=C ms=... gcs=... maxpause_us=... peak_rss_kb=...
//
// check is the number of nodes walked in all (the game's check lines added
// up, verified against their formula); gcs the cycles run, maxpause_us the
// longest stop-the-world pause among them; peak_rss_kb the process's peak so
// far (bench/run runs one depth per process).
//
//   bintree [small] [DEPTH]...     (default: 18 then 21; small: 12)
#include <gort/gort.h>
#include <gort/sync.h>

#include "../bench.h"
#include "../gcbench.h"

namespace {
struct Node {
  Node* left;
  Node* right;
};

Node* bottom_up(int depth) {
  Node* n = gort::make<Node>();
  if (depth > 0) {
    n->left = bottom_up(depth - 1);
    n->right = bottom_up(depth - 1);
  }
  return n;
}

int64_t check(const Node* n) {
  if (n->left == nullptr) return 1;
  return 1 + check(n->left) + check(n->right);
}

constexpr int kMinDepth = 4;

void bintree(int depth) {
  const int max_depth = depth < kMinDepth + 2 ? kMinDepth + 2 : depth;
  gort::MemStats before, after;
  gort::read_mem_stats(&before);
  int64_t t0 = gort::nanotime();

  int64_t total = check(bottom_up(max_depth + 1));  // the stretch tree
  Node* long_lived = bottom_up(max_depth);
  const int levels = (max_depth - kMinDepth) / 2 + 1;
  int64_t* sums = gort::make_array<int64_t>(levels);
  gort::WaitGroup wg;
  wg.add(levels);
  for (int l = 0; l < levels; l++)
    gort::go([&wg, sums, l, max_depth] {
      int d = kMinDepth + 2 * l;
      int64_t sum = 0;
      for (int64_t i = int64_t(1) << (max_depth - d + kMinDepth); i > 0; i--)
        sum += check(bottom_up(d));
      sums[l] = sum;
      wg.done();
    });
  wg.wait();
  for (int l = 0; l < levels; l++) total += sums[l];
  total += check(long_lived);

  int64_t ns = gort::nanotime() - t0;
  gort::read_mem_stats(&after);
  int64_t want = (int64_t(1) << (max_depth + 2)) - 1 + (int64_t(1) << (max_depth + 1)) - 1;
  for (int d = kMinDepth; d <= max_depth; d += 2)
    want += (int64_t(1) << (max_depth - d + kMinDepth)) * ((int64_t(1) << (d + 1)) - 1);
  if (total != want) bench::fail("bintree check", total, want);
  bench::Cycles c = bench::cycles(before, after);
  gort::println("bintree depth=", max_depth, " check=", total, " ms=", bench::Tenths{ns, 1000000},
                " gcs=", c.n, " maxpause_us=", bench::Tenths{int64_t(c.maxpause_ns), 1000},
                " peak_rss_kb=", bench::peak_rss_kb());
}
}  // namespace

int main(int, char**) {
  int depths = 0;
  for (int i = 1; i < gort::nargs(); i++) {
    const char* a = gort::arg(i);
    if (bench::streq(a, "small")) continue;
    int d = 0;
    for (; *a >= '0' && *a <= '9' && d < 100; a++) d = d * 10 + (*a - '0');
    if (*a != 0 || d < 1 || d > 30) {
      gort::eprint("bintree: bad depth ", gort::arg(i), " (want 1 to 30)\n");
      return 2;
    }
    bintree(d);
    depths++;
  }
  if (depths == 0 && bench::small()) {
    bintree(12);
  } else if (depths == 0) {
    bintree(18);
    bintree(21);
  }
  return 0;
}
