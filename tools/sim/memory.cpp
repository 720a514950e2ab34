// gort-sim's machine: the guest's memory. Bookkeeping of mappings at the
// OS's page size over host memory the machine maps itself and hands to
// Unicorn (machine_impl.h says why).
#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include "machine_impl.h"

namespace sim {

// Unicorn 2.0.1's address space holds a bounded number of sections (a
// region may take more than one): TARGET_PAGE_SIZE of them, 1024 on arm64
// (1 KiB target pages) and 4096 on x86-64 and riscv64. Past it Unicorn
// aborts on an assertion; the machine stops first, naming the cause.
void check_region_count(Machine& m, size_t backed) {
  size_t limit = m.cpu() == Cpu::arm64 ? 1000 : 4000;
  if (backed > limit)
    fatal("the guest has " + std::to_string(backed) +
          " mappings of distinct protections, more than Unicorn 2.0.1 can hold on " +
          cpu_name(m.cpu()) + " (" + std::to_string(limit) + ")");
}

// ---- memory ----

void Machine::map(uint64_t addr, uint64_t len, unsigned prot) {
  len = (len + kUcPage - 1) & ~(kUcPage - 1);
  if (len == 0) return;
  // Over memory already backed (a MAP_FIXED to zero or re-protect it, as
  // runtimes release memory): zero it in place. Unicorn's address space
  // holds at most a few thousand regions, and unmapping and mapping again
  // would only add more.
  bool backed = impl_->covered(addr, addr + len);
  if (backed)
    for (auto it : impl_->pieces(addr, addr + len)) backed = backed && it->second.backed;
  if (backed) {
    discard(addr, len);
    protect(addr, len, prot);
    return;
  }
  unmap(addr, len);
  Region r{addr + len, prot, false};
  if (prot != kProtNone) impl_->back(addr, r);
  impl_->regions.emplace(addr, r);
}

uint64_t Machine::map_anywhere(uint64_t hint, uint64_t len, unsigned prot) {
  len = (len + page_ - 1) & ~(page_ - 1);
  auto free_at = [&](uint64_t a) {
    if (a < impl_->mmap_lo || a + len > impl_->mmap_hi || a + len < a) return false;
    auto it = impl_->regions.lower_bound(a);
    if (it != impl_->regions.end() && it->first < a + len) return false;
    if (it != impl_->regions.begin() && std::prev(it)->second.end > a) return false;
    return true;
  };
  uint64_t at = 0;
  if (hint && hint % page_ == 0 && free_at(hint)) {
    at = hint;
  } else {
    // Top-down first fit below mmap_hi, as Linux places mappings.
    uint64_t top = impl_->mmap_hi;
    auto it = impl_->regions.lower_bound(top);
    for (;;) {
      uint64_t gap_lo = it == impl_->regions.begin() ? impl_->mmap_lo : std::prev(it)->second.end;
      gap_lo = std::max(gap_lo, impl_->mmap_lo);
      if (top >= gap_lo + len) {
        at = (top - len) & ~(page_ - 1);
        if (at >= gap_lo) break;
      }
      if (it == impl_->regions.begin()) return 0;
      --it;
      top = std::min(top, it->first);
      if (top <= impl_->mmap_lo) return 0;
    }
  }
  map(at, len, prot);
  return at;
}

void Machine::unmap(uint64_t addr, uint64_t len) {
  len = (len + kUcPage - 1) & ~(kUcPage - 1);
  for (auto it : impl_->pieces(addr, addr + len)) {
    if (it->second.backed) {
      if (it->second.prot != kProtNone) impl_->hide(it->first, it->second);
      munmap(it->second.host, it->second.end - it->first);
    }
    impl_->regions.erase(it);
  }
}

void Machine::discard(uint64_t addr, uint64_t len) {
  len = (len + kUcPage - 1) & ~(kUcPage - 1);
  for (auto it : impl_->pieces(addr, addr + len)) {
    if (!it->second.backed) continue;
    // Zeroed pages, and the host gets its memory back.
    madvise(it->second.host, it->second.end - it->first, MADV_DONTNEED);
  }
}

bool Machine::protect(uint64_t addr, uint64_t len, unsigned prot) {
  len = (len + kUcPage - 1) & ~(kUcPage - 1);
  if (!impl_->covered(addr, addr + len)) return false;
  for (auto it : impl_->pieces(addr, addr + len)) {
    unsigned was = it->second.prot;
    Region& r = it->second;
    r.prot = prot;
    if (!r.backed) {
      if (prot != kProtNone) impl_->back(it->first, r);
    } else if (was == kProtNone && prot != kProtNone) {
      impl_->show(it->first, r);
    } else if (was != kProtNone && prot == kProtNone) {
      impl_->hide(it->first, r);
    } else if (was != kProtNone) {
      check(uc_mem_protect(uc_, it->first, r.end - it->first, uc_prot(prot)), "protect");
    }
  }
  impl_->count_regions();
  return true;
}

bool Machine::is_mapped(uint64_t addr, uint64_t len) const {
  return impl_->covered(addr, addr + (len ? len : 1));
}

unsigned Machine::prot_of(uint64_t addr) const {
  auto it = impl_->regions.upper_bound(addr);
  if (it == impl_->regions.begin()) return kProtNone;
  --it;
  return it->second.end > addr ? it->second.prot : kProtNone;
}

std::vector<Machine::Mapping> Machine::mappings() const {
  std::vector<Mapping> out;
  for (auto& [lo, r] : impl_->regions) {
    if (!out.empty() && out.back().hi == lo && out.back().prot == r.prot)
      out.back().hi = r.end;
    else
      out.push_back({lo, r.end, r.prot});
  }
  return out;
}

bool Machine::accessible(uint64_t addr, uint64_t n, unsigned prot) const {
  if (n == 0) return true;
  if (addr + n < addr || !is_mapped(addr, n)) return false;
  for (uint64_t p = addr & ~(kUcPage - 1); p < addr + n;) {
    auto it = std::prev(impl_->regions.upper_bound(p));
    if ((it->second.prot & prot) != prot) return false;
    p = it->second.end;
  }
  return true;
}

bool Machine::read(uint64_t addr, void* out, uint64_t n) {
  if (n == 0) return true;
  if (!is_mapped(addr, n)) return false;
  auto* o = static_cast<uint8_t*>(out);
  for (uint64_t p = addr; p < addr + n;) {
    auto it = std::prev(impl_->regions.upper_bound(p));
    uint64_t k = std::min(it->second.end, addr + n) - p;
    if (it->second.backed)
      memcpy(o + (p - addr), it->second.host + (p - it->first), k);
    else
      memset(o + (p - addr), 0, k);
    p += k;
  }
  return true;
}

// Straight to the host memory behind the guest's, except where code may
// have been translated: uc_mem_write there drops stale translations.
bool Machine::write(uint64_t addr, const void* in, uint64_t n) {
  if (n == 0) return true;
  if (!is_mapped(addr, n)) return false;
  auto* src = static_cast<const uint8_t*>(in);
  for (uint64_t p = addr; p < addr + n;) {
    auto it = std::prev(impl_->regions.upper_bound(p));
    if (!it->second.backed) {
      uint64_t lo = p & ~(kUcPage - 1);
      uint64_t hi = std::min(it->second.end, (addr + n + kUcPage - 1) & ~(kUcPage - 1));
      auto ps = impl_->pieces(lo, hi);
      impl_->back(ps.front()->first, ps.front()->second);
      continue;
    }
    uint64_t k = std::min(it->second.end, addr + n) - p;
    if (it->second.prot & kExec)
      check(uc_mem_write(uc_, p, src + (p - addr), k), "write");
    else
      memcpy(it->second.host + (p - it->first), src + (p - addr), k);
    p += k;
  }
  return true;
}

uint64_t Machine::read_u64(uint64_t addr) {
  uint64_t v;
  if (!read(addr, &v, 8)) fatal("read of unmapped guest address " + std::to_string(addr));
  return v;
}
uint32_t Machine::read_u32(uint64_t addr) {
  uint32_t v;
  if (!read(addr, &v, 4)) fatal("read of unmapped guest address " + std::to_string(addr));
  return v;
}
void Machine::write_u64(uint64_t addr, uint64_t v) {
  if (!write(addr, &v, 8)) fatal("write to unmapped guest address " + std::to_string(addr));
}
void Machine::write_u32(uint64_t addr, uint32_t v) {
  if (!write(addr, &v, 4)) fatal("write to unmapped guest address " + std::to_string(addr));
}
std::string Machine::read_cstr(uint64_t addr, uint64_t max) {
  std::string s;
  char c;
  while (s.size() < max && read(addr + s.size(), &c, 1) && c) s += c;
  return s;
}

}  // namespace sim
