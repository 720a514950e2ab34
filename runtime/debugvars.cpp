// runtime/debugvars.cpp — the GORTDEBUG parser (portable, no port calls).
#include "debugvars.h"

namespace gort {

namespace {
struct Key {
  const char* name;
  int64_t DebugVars::*field;
  int64_t min, max;
};
constexpr Key kKeys[] = {
    {"inittrace", &DebugVars::inittrace, 0, 1},
    {"stackguards", &DebugVars::stackguards, 0, 1 << 30},
    {"schedtrace", &DebugVars::schedtrace, 0, 3600000},
    {"gctrace", &DebugVars::gctrace, 0, 1},
    {"gcpoison", &DebugVars::gcpoison, 0, 1},
    {"gccheckmark", &DebugVars::gccheckmark, 0, 1},
    {"pagesize", &DebugVars::pagesize, 0, 64 << 10},
};
}  // namespace

void parse_debugvars(Str s, DebugVars* dv, DebugWarn warn, void* ctx) {
  size_t i = 0;
  while (i < s.n) {
    size_t j = i;
    while (j < s.n && s.p[j] != ',') j++;
    Str item(s.p + i, j - i);
    i = j + 1;
    if (item.n == 0) continue;  // "a=1,,b=2" and a trailing comma are fine
    size_t eq = 0;
    while (eq < item.n && item.p[eq] != '=') eq++;
    if (eq == item.n) {
      warn(ctx, item, "missing '='");
      continue;
    }
    Str key(item.p, eq), val(item.p + eq + 1, item.n - eq - 1);
    const Key* k = nullptr;
    for (const Key& c : kKeys)
      if (key == Str(c.name)) k = &c;
    if (!k) {
      warn(ctx, item, "unknown key");
      continue;
    }
    int64_t v;
    if (!parse_int(val, &v)) {
      warn(ctx, item, "value is not an integer");
      continue;
    }
    if (v < k->min || v > k->max) {
      warn(ctx, item, "value out of range");
      continue;
    }
    dv->*(k->field) = v;
  }
}

}  // namespace gort
