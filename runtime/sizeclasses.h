// runtime/sizeclasses.h — Go's size classes, derived at compile time with the
// algorithm of Go's runtime/mksizeclasses.go (makeClasses): 68 classes (0 is
// unused), objects up to 32 KiB, 8 KiB pages, at most 12.5% tail waste per
// span. tests/unit/sizeclasses_test.cpp checks every row against Go's table.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace gort {

inline constexpr uintptr_t kPageShift = 13;
inline constexpr uintptr_t kPageSize = uintptr_t(1) << kPageShift;  // 8 KiB
inline constexpr uintptr_t kMaxSmallSize = 32 << 10;
inline constexpr uintptr_t kSmallSizeDiv = 8, kSmallSizeMax = 1024, kLargeSizeDiv = 128;
inline constexpr int kNumSizeClasses = 68;
inline constexpr uintptr_t kTinySize = 16;

struct SizeClass {
  uint32_t size;    // bytes per object
  uint32_t npages;  // pages per span
};

struct SizeClassTable {
  SizeClass c[kNumSizeClasses];
  uint8_t to_class8[kSmallSizeMax / kSmallSizeDiv + 1];  // sizes <= 1024, by (size+7)/8
  uint8_t to_class128[(kMaxSmallSize - kSmallSizeMax) / kLargeSizeDiv + 1];
  int n;  // classes produced (must be kNumSizeClasses)
};

constexpr bool power_of_two(uintptr_t x) { return x != 0 && (x & (x - 1)) == 0; }

constexpr SizeClassTable make_size_classes() {
  SizeClassTable t{};
  t.n = 1;  // class 0 is a dummy entry
  uintptr_t align = 8;
  for (uintptr_t size = align; size <= kMaxSmallSize; size += align) {
    if (power_of_two(size)) {  // bump alignment once in a while
      if (size >= 2048)
        align = 256;
      else if (size >= 128)
        align = size / 8;
      else if (size >= 32)
        align = 16;
    }
    // Enough pages that the leftover is at most 1/8 of the span.
    uintptr_t allocsize = kPageSize;
    while (allocsize % size > allocsize / 8) allocsize += kPageSize;
    uintptr_t npages = allocsize / kPageSize;
    // Same span size and object count as the previous class: widen it instead.
    SizeClass& prev = t.c[t.n - 1];
    if (t.n > 1 && npages == prev.npages && allocsize / size == allocsize / prev.size) {
      prev.size = uint32_t(size);
      continue;
    }
    if (t.n == kNumSizeClasses) return t.n++, t;  // more classes than Go: caught below
    t.c[t.n++] = {uint32_t(size), uint32_t(npages)};
  }
  // Grow each object to the largest size that still fits as many per span.
  for (int i = 1; i < t.n; i++) {
    uintptr_t psize = t.c[i].npages * kPageSize;
    uintptr_t grown = (psize / (psize / t.c[i].size)) & ~(kLargeSizeDiv - 1);
    if (grown > t.c[i].size) t.c[i].size = uint32_t(grown);
  }
  // Lookup tables: the smallest class that holds a size.
  int cls = 1;
  for (uintptr_t i = 0; i <= kSmallSizeMax / kSmallSizeDiv; i++) {
    while (t.c[cls].size < i * kSmallSizeDiv) cls++;
    t.to_class8[i] = uint8_t(cls);
  }
  for (uintptr_t i = 0; i <= (kMaxSmallSize - kSmallSizeMax) / kLargeSizeDiv; i++) {
    while (t.c[cls].size < kSmallSizeMax + i * kLargeSizeDiv) cls++;
    t.to_class128[i] = uint8_t(cls);
  }
  return t;
}

inline constexpr SizeClassTable kSizeClasses = make_size_classes();
static_assert(kSizeClasses.n == kNumSizeClasses, "Go has 68 size classes");
static_assert(kSizeClasses.c[kNumSizeClasses - 1].size == kMaxSmallSize);

// The size class for an object of size bytes (0 < size <= kMaxSmallSize).
constexpr uint8_t size_to_class(uintptr_t size) {
  if (size <= kSmallSizeMax - 8)
    return kSizeClasses.to_class8[(size + kSmallSizeDiv - 1) / kSmallSizeDiv];
  return kSizeClasses.to_class128[(size - kSmallSizeMax + kLargeSizeDiv - 1) / kLargeSizeDiv];
}

// Go's divMul: for an offset o into a span of objects of this size,
// o * divmul >> 32 == o / size, exactly, for every offset a span of the
// class has (the unit tests check each class). A multiply instead of a
// divide on the marker's hot path.
constexpr uint32_t span_divmul(uint32_t size) { return ~uint32_t(0) / size + 1; }

}  // namespace gort
