// runtime/atomic.h — atomics on 32- and 64-bit words.
//
// gcc and clang lower the __atomic builtins inline on amd64 (lock-prefixed
// instructions), arm64 (ldaxr/stlxr, or LSE) and riscv64 (lr/sc, amo*) for 4- and
// 8-byte words, so no libatomic is needed. An arch may define
// GORT_ARCH_HAS_ATOMICS in its arch_port.h and supply these names itself.
#pragma once

#include <stdint.h>

#include "gort/traits.h"

namespace gort::atomic {

template <typename T>
concept Word = (sizeof(T) == 4 || sizeof(T) == 8) && is_trivially_copyable_v<T>;

#ifndef GORT_ARCH_HAS_ATOMICS
template <Word T>
inline T load(const T* p) {  // acquire
  return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
template <Word T>
inline T load_relaxed(const T* p) {
  return __atomic_load_n(p, __ATOMIC_RELAXED);
}
template <Word T>
inline void store(T* p, T v) {  // release
  __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
template <Word T>
inline void store_relaxed(T* p, T v) {
  __atomic_store_n(p, v, __ATOMIC_RELAXED);
}
// Sequentially consistent compare-and-swap: true if *p was old and is now new_.
template <Word T>
inline bool cas(T* p, T old, T new_) {
  return __atomic_compare_exchange_n(p, &old, new_, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}
// Adds delta and returns the new value, as Go's atomic.Xadd.
template <Word T>
inline T xadd(T* p, T delta) {
  return __atomic_add_fetch(p, delta, __ATOMIC_SEQ_CST);
}
// Stores v and returns the old value.
template <Word T>
inline T xchg(T* p, T v) {
  return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);
}
inline void fence() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
#endif

}  // namespace gort::atomic
