// runtime/new.cpp — the public allocation entry points and C++'s global
// operator new/delete, all onto the gort heap. new never returns null: out of
// memory is a fatal error, as in Go (there are no exceptions to throw).
#include "gort/gort.h"
#include "malloc.h"

namespace gort {
void* alloc(size_t size, bool noscan) { return mallocgc(size, noscan); }
void free(void* p) { freegc(p); }
}  // namespace gort

// Without RTTI the compiler cannot know what a new'd type holds: scan it.
void* operator new(size_t n) { return gort::mallocgc(n, false); }
void* operator new[](size_t n) { return gort::mallocgc(n, false); }
void operator delete(void* p) noexcept { gort::freegc(p); }
void operator delete[](void* p) noexcept { gort::freegc(p); }
void operator delete(void* p, size_t) noexcept { gort::freegc(p); }
void operator delete[](void* p, size_t) noexcept { gort::freegc(p); }
