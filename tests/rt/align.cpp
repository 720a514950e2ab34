// tests/rt/align.cpp — every alignment is honoured: make<T>, make_array<T>,
// new and new[] of alignas(16 .. 16384) and 1 MiB types, and alloc_aligned
// of sizes that are not multiples of the alignment; the memory is usable
// and freeable; new of zero bytes gives distinct pointers.
#include "malloc.h"
#include "runtime.h"
#include "tap.h"

namespace {

template <size_t A, size_t K>
struct alignas(A) Blob {
  unsigned char b[A * K];
};

bool aligned(const void* p, size_t a) { return p && uintptr_t(p) % a == 0; }

// Writes every byte and reads it back; the memory must have come zeroed.
bool usable(void* p, size_t n, unsigned char v) {
  auto* b = static_cast<unsigned char*>(p);
  for (size_t i = 0; i < n; i++)
    if (b[i]) return false;
  for (size_t i = 0; i < n; i++) b[i] = v;
  for (size_t i = 0; i < n; i++)
    if (b[i] != v) return false;
  return gort::span_of(p) != nullptr;
}

uint64_t frees() {
  gort::MemStats s;
  gort::read_mem_stats(&s);
  return s.Frees;
}

constexpr int kEach = 24;  // objects of each kind at once: several per span

// make<T>, make_array<T>(3), new T, new T[3] of one aligned type; every
// pointer aligned and usable.
template <size_t A, size_t K>
bool check_type(int each) {
  using T = Blob<A, K>;
  static_assert(alignof(T) == A);
  T* made[kEach];
  T* arrays[kEach];
  T* newed[kEach];
  T* newed_arrays[kEach];
  bool ok = true;
  for (int i = 0; i < each; i++) {
    made[i] = gort::make<T>();
    arrays[i] = gort::make_array<T>(3);
    newed[i] = new T();
    newed_arrays[i] = new T[3]();
    ok &= aligned(made[i], A) && aligned(arrays[i], A) && aligned(newed[i], A) &&
          aligned(newed_arrays[i], A);
    ok &= usable(made[i], sizeof(T), 1) && usable(arrays[i], 3 * sizeof(T), 2) &&
          usable(newed[i], sizeof(T), 3) && usable(newed_arrays[i], 3 * sizeof(T), 4);
  }
  // delete runs destructors and frees nothing: still there until collected.
  for (int i = 0; i < each; i++) {
    delete newed[i];
    delete[] newed_arrays[i];
    ok &= gort::span_of(newed[i]) != nullptr;
  }
  if (!ok) tap::diag("alignas(", A, ") of ", sizeof(T), " bytes failed");
  return ok;
}

// alloc_aligned of sizes that are no multiple of the alignment.
bool check_sizes(size_t a) {
  const size_t sizes[] = {1, a - 1, a + 1, 3 * a + 5, 40000};
  const int each = a > 65536 ? 4 : kEach;
  bool ok = true;
  for (size_t n : sizes) {
    void* p[kEach];
    for (int i = 0; i < each; i++) {
      p[i] = gort::alloc_aligned(n, a, (n & 1) != 0);
      ok &= aligned(p[i], a) && usable(p[i], n, 0x5a);
    }
    if (!ok) {
      tap::diag("alloc_aligned(", n, ", ", a, ") failed");
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int, char**) {
  tap::plan(9);
  gort::set_gc_percent(-1);  // no cycle: Frees stays put unless delete frees
  tap::ok(check_type<16, 1>(kEach) && check_type<16, 3>(kEach) && check_type<32, 5>(kEach) &&
              check_type<64, 1>(kEach) && check_type<64, 5>(kEach) && check_type<128, 3>(kEach),
          "alignas(16..128): make, make_array, new, new[] aligned, usable");
  tap::ok(check_type<256, 1>(kEach) && check_type<256, 5>(kEach) && check_type<512, 5>(kEach) &&
              check_type<1024, 5>(kEach) && check_type<2048, 3>(kEach),
          "alignas(256..2048): aligned, usable (size classes no multiple of 2^k skipped)");
  tap::ok(check_type<4096, 1>(kEach) && check_type<4096, 3>(kEach) && check_type<8192, 1>(kEach) &&
              check_type<8192, 3>(kEach),
          "alignas(4096), alignas(8192): aligned, usable");
  tap::ok(check_type<16384, 1>(kEach) && check_type<16384, 5>(kEach),
          "alignas(16384), beyond the page: aligned, usable");
  tap::ok(check_type<(1 << 20), 1>(4), "alignas(1 MiB): aligned, usable");
  bool sizes = true;
  for (size_t a = 16; a <= (size_t(1) << 20); a *= 2) sizes &= check_sizes(a);
  tap::ok(sizes, "alloc_aligned: sizes 1, a-1, a+1, 3a+5, 40000 at every a from 16 to 1 MiB");

  // C++ wants distinct pointers even for zero bytes.
  char* z1 = new char[0];
  char* z2 = new char[0];
  void* o1 = operator new(0);
  void* o2 = operator new(0);
  tap::ok(z1 && z2 && z1 != z2 && o1 && o2 && o1 != o2 && o1 != z1 && o2 != z2,
          "new char[0] and operator new(0) return distinct non-null pointers");
  uint64_t before = frees();
  delete[] z1;
  delete[] z2;
  operator delete(o1);
  operator delete(o2);
  tap::ok(frees() == before, "operator delete frees nothing (the collector does)");

  auto* nt = new (std::nothrow) Blob<64, 1>();
  tap::ok(aligned(nt, 64) && usable(nt, sizeof *nt, 9), "nothrow new of an alignas(64) type");
  delete nt;
  return tap::done();
}
