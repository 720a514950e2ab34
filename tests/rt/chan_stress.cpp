// tests/rt/chan_stress.cpp — channels under load, bounded by counts:
// N producers x M consumers over unbuffered and buffered channels (exact
// sums and counts), thousands of goroutines selecting over 3 shared
// channels, and a daisy chain of goroutines passing one value along.
// Arguments: items per producer, selecting goroutines, chain length.
#include <gort/time.h>

#include "chanutil.h"

namespace {

using gort::Chan;
using gort::make_chan;
using gort::on_recv;
using gort::on_send;
using gort::select;

void producers_consumers(int64_t cap, int np, int nc, int64_t items) {
  auto data = make_chan<int64_t>(cap);
  auto done = make_chan<bool>();
  auto sums = make_chan<int64_t>(nc);
  auto counts = make_chan<int64_t>(nc);
  for (int p = 0; p < np; p++)
    gort::go([data, done, p, items]() mutable {
      for (int64_t i = 0; i < items; i++) data.send(int64_t(p) * items + i + 1);
      done.send(true);
    });
  for (int c = 0; c < nc; c++)
    gort::go([data, sums, counts]() mutable {
      int64_t sum = 0, n = 0;
      for (int64_t v : data) {
        sum += v;
        n++;
      }
      sums.send(sum);
      counts.send(n);
    });
  for (int p = 0; p < np; p++) done.recv();
  data.close();
  int64_t sum = 0, n = 0;
  for (int c = 0; c < nc; c++) {
    sum += sums.recv();
    n += counts.recv();
  }
  int64_t total = int64_t(np) * items;
  tap::diag("cap ", cap, ": ", np, " producers x ", nc, " consumers, ", n, " values");
  tap::ok(n == total && sum == total * (total + 1) / 2,
          cap ? "buffered: N producers x M consumers, every value received once"
              : "unbuffered: N producers x M consumers, every value received once");
}

// Each worker runs one select over a and b (receive) and c (send its id);
// the driver runs as many selects over the other ends. Every worker's
// select pairs with exactly one of the driver's, so the counts must agree.
void many_selects(int64_t nworkers) {
  auto a = make_chan<int64_t>(), b = make_chan<int64_t>(), c = make_chan<int64_t>();
  auto results = make_chan<int64_t>(nworkers);
  // Each also waits on a timer that does not fire during the test: its
  // case is enqueued and dequeued like the others.
  for (int64_t id = 1; id <= nworkers; id++)
    gort::go([a, b, c, results, id]() mutable {
      int64_t v = 0;
      int k =
          select(on_recv(a, &v), on_recv(b, &v), on_send(c, id), on_recv(gort::after(gort::Hour)));
      results.send(k == 0 ? v : k == 1 ? 1000000000 + v : k == 2 ? -id : 0);
    });
  int64_t sent_a = 0, sent_b = 0, got_c = 0, nva = 0, nvb = 0, nvc = 0;
  for (int64_t i = 1; i <= nworkers; i++) {
    int64_t id = 0;
    int k = select(on_send(a, i), on_send(b, i), on_recv(c, &id));
    if (k == 0) sent_a += i, nva++;
    if (k == 1) sent_b += i, nvb++;
    if (k == 2) got_c += id, nvc++;
  }
  int64_t ra = 0, rb = 0, rc = 0, n = 0;
  for (int64_t i = 0; i < nworkers; i++) {
    int64_t r = results.recv();
    n++;
    if (r < 0)
      rc += -r;
    else if (r >= 1000000000)
      rb += r - 1000000000;
    else
      ra += r;
  }
  tap::diag(nworkers, " selecting goroutines: ", nva, " via a, ", nvb, " via b, ", nvc, " via c");
  tap::ok(
      n == nworkers && nva + nvb + nvc == nworkers && ra == sent_a && rb == sent_b && rc == got_c,
      "thousands of goroutines selecting over 3 shared channels: every pairing counted once");
}

// The same crowd waiting on channels nobody uses and a timer each: every
// select is won by its timer, no earlier than its time.
void selects_time_out(int64_t nworkers) {
  auto a = make_chan<int64_t>(), b = make_chan<int64_t>(), c = make_chan<int64_t>();
  auto results = make_chan<int64_t>(nworkers);
  for (int64_t id = 0; id < nworkers; id++)
    gort::go([a, b, c, results, id]() mutable {
      int64_t d = (1 + id % 5) * gort::Millisecond, t0 = gort::nanotime(), at = 0, v = 0;
      int k = select(on_recv(a, &v), on_recv(b, &v), on_send(c, id), on_recv(gort::after(d), &at));
      results.send(k == 3 && at >= t0 + d ? 1 : 0);
    });
  int64_t good = 0;
  for (int64_t i = 0; i < nworkers; i++) good += results.recv();
  tap::ok(good == nworkers,
          "thousands of selects over 3 idle channels and a timer: the timer wins each, on time");
}

void daisy_chain(int64_t n) {
  auto leftmost = make_chan<int64_t>();
  Chan<int64_t> left = leftmost, right = leftmost;
  for (int64_t i = 0; i < n; i++) {
    right = make_chan<int64_t>();
    gort::go([left, right]() mutable { left.send(1 + right.recv()); });
    left = right;
  }
  gort::go([right]() mutable { right.send(1); });
  int64_t v = leftmost.recv();
  tap::diag("daisy chain of ", n, " goroutines: ", v);
  tap::ok(v == n + 1, "a daisy chain of goroutines passes one value along");
}

}  // namespace

int main(int argc, char** argv) {
  int64_t items = chantest::count_arg(argc, argv, 1, 20000);
  int64_t selectors = chantest::count_arg(argc, argv, 2, 10000);
  int64_t chain = chantest::count_arg(argc, argv, 3, 100000);
  tap::plan(6);
  tap::diag("GOMAXPROCS=", gort::gomaxprocs_now());
  producers_consumers(0, 4, 3, items);
  producers_consumers(1, 3, 4, items);
  producers_consumers(64, 4, 4, items);
  many_selects(selectors);
  selects_time_out(selectors);
  daisy_chain(chain);
  return tap::done();
}
