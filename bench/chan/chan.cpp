// bench/chan — channels and select beside Go's (twin: bench/chan/chan.go):
//   pingpong  n round trips over two unbuffered channels: ns per round trip
//   skynet    a tree of 1M goroutines, 10 children each, summing over
//             channels (result 499999500000): ms
//   chanbuf   4 producers, 4 consumers, one channel of capacity 128, 10M
//             ints: ns per int
//   select    a loop selecting over 4 unbuffered channels a sender fills in
//             turn: ns per select
//
//   chan [small] [pingpong|skynet|chanbuf|select]...
//
// No names runs all four; "small" divides every n by 100 (the test's run).
// Every result is checked: a wrong sum exits with status 2.
#include <gort/chan.h>
#include <gort/gort.h>
#include <gort/sync.h>

#include "../bench.h"

namespace {
int64_t scale = 1;

void check(const char* what, int64_t got, int64_t want) {
  if (got == want) return;
  gort::eprint(what, ": got ", got, ", want ", want, "\n");
  gort::fatal("wrong result");
}

// a/b with one decimal, as the Go side prints it.
struct Tenths {
  int64_t a, b;
};
void print_arg(gort::Printer& p, Tenths t) {
  int64_t x = t.a * 10 / t.b;
  gort::print_arg(p, x / 10);
  gort::print_arg(p, '.');
  gort::print_arg(p, x % 10);
}

// pingpong: main sends i on ping, the echo goroutine answers i+1 on pong.
void pingpong() {
  const int64_t n = 1000000 / scale;
  auto ping = gort::make_chan<int64_t>(), pong = gort::make_chan<int64_t>();
  gort::go([ping, pong]() mutable {
    for (int64_t v : ping) pong.send(v + 1);
  });
  int64_t sum = 0;
  int64_t t0 = gort::nanotime();
  for (int64_t i = 0; i < n; i++) {
    ping.send(i);
    sum += pong.recv();
  }
  int64_t ns = gort::nanotime() - t0;
  ping.close();
  check("pingpong sum", sum, n * (n + 1) / 2);
  gort::println("pingpong n=", n, " sum=", sum, " ns/roundtrip=", Tenths{ns, n});
}

// skynet: a leaf sends its number, a parent the sum of its children's.
void skynet(gort::Chan<int64_t> c, int64_t num, int64_t size, int64_t div) {
  if (size == 1) {
    c.send(num);
    return;
  }
  auto rc = gort::make_chan<int64_t>();
  for (int64_t i = 0; i < div; i++) {
    int64_t sub = num + i * (size / div);
    gort::go([rc, sub, size, div] { skynet(rc, sub, size / div, div); });
  }
  int64_t sum = 0;
  for (int64_t i = 0; i < div; i++) sum += rc.recv();
  c.send(sum);
}

void skynet_bench() {
  const int64_t size = 1000000 / scale;
  auto c = gort::make_chan<int64_t>();
  int64_t t0 = gort::nanotime();
  gort::go([c, size] { skynet(c, 0, size, 10); });
  int64_t result = c.recv();
  int64_t ns = gort::nanotime() - t0;
  check("skynet result", result, size * (size - 1) / 2);
  gort::println("skynet size=", size, " div=10 result=", result, " ms=", Tenths{ns, 1000000});
}

// chanbuf: 4 producers send 0..n-1 between them; 4 consumers drain the
// channel until it is closed and send their sums.
void chanbuf() {
  const int64_t producers = 4, consumers = 4, n = 10000000 / scale;
  auto ch = gort::make_chan<int64_t>(128);
  auto sums = gort::make_chan<int64_t>(consumers);
  gort::WaitGroup wg;
  wg.add(producers);
  int64_t t0 = gort::nanotime();
  for (int64_t p = 0; p < producers; p++) {
    int64_t lo = p * n / producers, hi = (p + 1) * n / producers;
    gort::go([ch, lo, hi, &wg]() mutable {
      for (int64_t v = lo; v < hi; v++) ch.send(v);
      wg.done();
    });
  }
  for (int64_t c = 0; c < consumers; c++)
    gort::go([ch, sums]() mutable {
      int64_t s = 0;
      for (int64_t v : ch) s += v;
      sums.send(s);
    });
  wg.wait();
  ch.close();
  int64_t sum = 0;
  for (int64_t c = 0; c < consumers; c++) sum += sums.recv();
  int64_t ns = gort::nanotime() - t0;
  check("chanbuf sum", sum, n * (n - 1) / 2);
  gort::println("chanbuf producers=", producers, " consumers=", consumers, " cap=128 n=", n,
                " sum=", sum, " ns/int=", Tenths{ns, n});
}

// select: the sender sends i on c[i%4], so one case at a time is ready.
void select_bench() {
  const int64_t n = 1000000 / scale;
  gort::Chan<int64_t> c[4];
  for (auto& ci : c) ci = gort::make_chan<int64_t>();
  gort::go([c, n]() mutable {
    for (int64_t i = 0; i < n; i++) c[i % 4].send(i);
  });
  int64_t sum = 0, hits[4] = {};
  int64_t t0 = gort::nanotime();
  for (int64_t i = 0; i < n; i++) {
    int64_t v = 0;
    int k = gort::select(gort::on_recv(c[0], &v), gort::on_recv(c[1], &v), gort::on_recv(c[2], &v),
                         gort::on_recv(c[3], &v));
    hits[k]++;
    sum += v;
  }
  int64_t ns = gort::nanotime() - t0;
  for (int64_t h : hits) check("select hits of one case", h, n / 4);
  check("select sum", sum, n * (n - 1) / 2);
  gort::println("select cases=4 n=", n, " sum=", sum, " ns/op=", Tenths{ns, n});
}
}  // namespace

int main(int, char**) {
  if (bench::small()) scale = 100;
  static const bench::Bench benches[] = {{"pingpong", pingpong},
                                         {"skynet", skynet_bench},
                                         {"chanbuf", chanbuf},
                                         {"select", select_bench}};
  bench::run_named(benches);
  return 0;
}
