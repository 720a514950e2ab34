// runtime/new.cpp — the public allocation entry points and C++'s global
// operator new/delete, all onto the gort heap. new never returns null: out of
// memory is a fatal error, as in Go (there are no exceptions to throw), so the
// nothrow forms behave as the plain ones.
//
// operator delete frees nothing: the destructor has run, and the memory is
// the collector's once no pointer to it is left (docs/GC.md). An early free
// would turn every pointer the program forgot into a use after free; Go has
// no free at all.
#include "gort/gort.h"
#include "malloc.h"

namespace gort {
void* alloc(size_t size, bool noscan) { return mallocgc(size, noscan); }
void* alloc_aligned(size_t size, size_t align, bool noscan) {
  return mallocgc_aligned(size, align, noscan);
}
}  // namespace gort

namespace {
// Without RTTI the compiler cannot know what a new'd type holds: scan it.
// C++ wants distinct pointers even for zero bytes (Go's zero-size objects
// all share one address): allocate one byte.
void* new_object(size_t n) { return gort::mallocgc(n ? n : 1, false); }
void* new_aligned(size_t n, std::align_val_t a) {
  return gort::mallocgc_aligned(n ? n : 1, size_t(a), false);
}
}  // namespace

const std::nothrow_t std::nothrow{};

void* operator new(size_t n) { return new_object(n); }
void* operator new[](size_t n) { return new_object(n); }
void* operator new(size_t n, const std::nothrow_t&) noexcept { return new_object(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return new_object(n); }
void operator delete(void*) noexcept {}
void operator delete[](void*) noexcept {}
void operator delete(void*, size_t) noexcept {}
void operator delete[](void*, size_t) noexcept {}
void operator delete(void*, const std::nothrow_t&) noexcept {}
void operator delete[](void*, const std::nothrow_t&) noexcept {}

// Types with alignas above 16 (__STDCPP_DEFAULT_NEW_ALIGNMENT__).
void* operator new(size_t n, std::align_val_t a) { return new_aligned(n, a); }
void* operator new[](size_t n, std::align_val_t a) { return new_aligned(n, a); }
void* operator new(size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return new_aligned(n, a);
}
void* operator new[](size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return new_aligned(n, a);
}
void operator delete(void*, std::align_val_t) noexcept {}
void operator delete[](void*, std::align_val_t) noexcept {}
void operator delete(void*, size_t, std::align_val_t) noexcept {}
void operator delete[](void*, size_t, std::align_val_t) noexcept {}
void operator delete(void*, std::align_val_t, const std::nothrow_t&) noexcept {}
void operator delete[](void*, std::align_val_t, const std::nothrow_t&) noexcept {}
