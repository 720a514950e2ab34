// runtime/memory.h — byte copies and fills for the freestanding runtime. The
// C names (memcpy...) are defined over these in libc.cpp; the hosted unit tests
// test these directly, since a hosted test already has libc's.
#pragma once
#include <stddef.h>

namespace gort {
void* mem_move(void* dst, const void* src, size_t n);
void* mem_set(void* dst, int c, size_t n);
int mem_cmp(const void* a, const void* b, size_t n);
}  // namespace gort
