// tests/unit/debugvars_test.cpp — the GORTDEBUG parser.
#include "debugvars.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {
struct Warnings {
  std::vector<std::string> items, whys;
};
void collect(void* ctx, gort::Str item, const char* why) {
  auto* w = static_cast<Warnings*>(ctx);
  w->items.emplace_back(item.p, item.n);
  w->whys.emplace_back(why);
}
gort::DebugVars parse(const char* s, Warnings* w) {
  gort::DebugVars dv;
  gort::parse_debugvars(gort::Str(s), &dv, collect, w);
  return dv;
}
}  // namespace

TEST_CASE("GORTDEBUG inittrace=1 turns the boot trace on") {
  Warnings w;
  CHECK(parse("inittrace=1", &w).inittrace == 1);
  CHECK(w.items.empty());
}

TEST_CASE("GORTDEBUG: the last valid setting of a key wins; empty items are skipped") {
  Warnings w;
  CHECK(parse(",inittrace=1,,inittrace=0,", &w).inittrace == 0);
  CHECK(w.items.empty());
}

TEST_CASE("GORTDEBUG: an empty string changes nothing") {
  Warnings w;
  CHECK(parse("", &w).inittrace == 0);
  CHECK(w.items.empty());
}

TEST_CASE("GORTDEBUG: each bad item is reported by name and skipped") {
  Warnings w;
  auto dv = parse("bogus=1,inittrace,inittrace=x,inittrace=2,inittrace=-1,=1,inittrace=1", &w);
  CHECK(dv.inittrace == 1);
  REQUIRE(w.items.size() == 6);
  CHECK(w.items[0] == "bogus=1");
  CHECK(w.whys[0] == std::string("unknown key"));
  CHECK(w.whys[1] == std::string("missing '='"));
  CHECK(w.whys[2] == std::string("value is not an integer"));
  CHECK(w.whys[3] == std::string("value out of range"));
  CHECK(w.whys[4] == std::string("value out of range"));
  CHECK(w.items[5] == "=1");
  CHECK(w.whys[5] == std::string("unknown key"));
}

TEST_CASE("GORTDEBUG: a value too large for int64 is not an integer") {
  Warnings w;
  auto dv = parse("inittrace=99999999999999999999", &w);
  CHECK(dv.inittrace == 0);
  REQUIRE(w.whys.size() == 1);
  CHECK(w.whys[0] == std::string("value is not an integer"));
}
