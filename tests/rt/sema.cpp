// tests/rt/sema.cpp — the runtime's semaphore table directly: many
// addresses hashed to one root (its treap), several waiters per address;
// a release wakes a waiter of its own address, FIFO (LIFO for a lifo
// waiter); counts released before anyone waits are taken without parking.
#include "sema.h"

#include "atomic.h"
#include "runtime2.h"
#include "tap.h"

namespace {

using gort::atomic::load;
using gort::atomic::xadd;

constexpr int kAddrs = 64;        // distinct addresses, all on one root
constexpr int kPerAddr = 4;       // waiters on each
constexpr int kStride = 251 * 2;  // words apart: (addr >> 3) % 251 is the same
uint32_t* sems;
uint32_t woken[kAddrs];       // per address: waiters woken so far
int order[kAddrs][kPerAddr];  // per address: who woke, in order
uint32_t total_woken = 0;

using tap::wait_until;

}  // namespace

int main(int, char**) {
  tap::plan(6);
  sems = gort::make_array<uint32_t>(size_t(kAddrs) * kStride);
  auto sem = [](int a) { return &sems[size_t(a) * kStride]; };

  // Waiters arrive one at a time (each is queued before the next starts);
  // on odd addresses the last one queues LIFO, at the head.
  gort::WaitGroup all;
  all.add(kAddrs * kPerAddr);
  uint32_t queued = 0;
  for (int i = 0; i < kPerAddr; i++)
    for (int a = 0; a < kAddrs; a++) {
      bool lifo = a % 2 == 1 && i == kPerAddr - 1;
      gort::go([&all, a, i, lifo, &sem] {
        gort::semacquire(sem(a), lifo, gort::waitreason::SemAcquire);
        order[a][xadd(&woken[a], 1u) - 1] = i;
        xadd(&total_woken, 1u);
        all.done();
      });
      queued++;
      wait_until([&] { return gort::semwaiters(sem(0)) == queued; });
    }
  tap::ok(gort::semwaiters(sem(0)) == kAddrs * kPerAddr,
          "256 waiters on 64 addresses parked in one root");

  // Release the addresses in a scrambled order, one count at a time: only
  // a waiter of that address may wake, and in queue order.
  bool own_only = true, fifo = true;
  uint32_t released = 0;
  for (int n = 0; n < kAddrs; n++) {
    int a = (n * 37) % kAddrs;  // 37 is coprime to 64: a permutation
    for (int k = 0; k < kPerAddr; k++) {
      gort::semrelease(sem(a), false);
      released++;
      wait_until([&] { return load(&total_woken) == released; });  // someone woke
      own_only = own_only && load(&woken[a]) == uint32_t(k + 1) && load(&total_woken) == released;
    }
    if (!own_only) {  // the rest may never wake: report and go
      tap::ok(false, "each release woke one waiter of its own address");
      tap::diag("address ", a, ": ", load(&woken[a]), " of its waiters woke, ", load(&total_woken),
                " in all after ", released, " releases");
      return 1;
    }
    for (int k = 0; k < kPerAddr; k++) {
      int want = a % 2 == 1 ? (k == 0 ? kPerAddr - 1 : k - 1) : k;
      fifo = fifo && order[a][k] == want;
    }
  }
  all.wait();
  tap::ok(own_only, "each release woke one waiter of its own address");
  tap::ok(fifo, "waiters on an address woke in queue order, a lifo one first");
  tap::ok(gort::semwaiters(sem(0)) == 0, "the root is empty again");

  // Counts released ahead are taken without parking.
  uint32_t s = 0;
  gort::semrelease(&s, false);
  gort::semrelease(&s, false);
  gort::semacquire(&s, false, gort::waitreason::SemAcquire);
  gort::semacquire(&s, false, gort::waitreason::SemAcquire);
  tap::ok(s == 0, "released counts are acquired at once");

  // Ping-pong: each side releases the other's semaphore and waits on its
  // own, so every acquire races a release on another P; a release that
  // slips between a waiter's failed try and its being counted must still
  // wake it (else both park: checkdead ends the test).
  constexpr int kRounds = 200000;
  uint32_t ping = 0, pong = 0;
  gort::WaitGroup pp;
  pp.add(1);
  gort::go([&] {
    for (int i = 0; i < kRounds; i++) {
      gort::semacquire(&ping, false, gort::waitreason::SemAcquire);
      gort::semrelease(&pong, false);
    }
    pp.done();
  });
  for (int i = 0; i < kRounds; i++) {
    gort::semrelease(&ping, false);
    gort::semacquire(&pong, false, gort::waitreason::SemAcquire);
  }
  pp.wait();
  tap::ok(ping == 0 && pong == 0, "200000 ping-pong rounds between two goroutines, no wakeup lost");
  return tap::done();
}
