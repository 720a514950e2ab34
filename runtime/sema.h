// runtime/sema.h — the runtime's semaphores and notify lists (Go's sema.go),
// on which the sync package parks goroutines. See docs/ARCHITECTURE.md,
// "Semaphores and sync".
#pragma once

#include "gort/sync.h"
#include "runtime2.h"

namespace gort {

// Waits until *addr > 0, then decrements it. Only goroutines wait: a parked
// waiter's Sudog lives on its own stack. lifo queues it at the head of the
// address's waiters (a Mutex waiter that already waited once); reason is
// what tracebacks show.
void semacquire(uint32_t* addr, bool lifo, const char* reason);
// Increments *addr and wakes one waiter, if any. handoff (a starving Mutex)
// gives the count straight to the woken waiter and yields to it.
void semrelease(uint32_t* addr, bool handoff);
// Goroutines parked on addr's root (tests: have they all arrived?).
uint32_t semwaiters(uint32_t* addr);

// Go's notifyList, under sync::Cond: a ticket per waiter, woken in ticket
// order. The struct is the public detail::NotifyList.
uint32_t notify_list_add(detail::NotifyList* l);
void notify_list_wait(detail::NotifyList* l, uint32_t ticket);
void notify_list_notify_one(detail::NotifyList* l);
void notify_list_notify_all(detail::NotifyList* l);

// Mutex spinning (Go's sync_runtime_canSpin/doSpin): may round i of
// spinning go ahead; one round of it.
bool sync_can_spin(int i);
void sync_do_spin();

}  // namespace gort
