// for_each_relr (loader/relr.h): the places a DT_RELR table encodes.
#include <doctest/doctest.h>

#include <vector>

#include "relr.h"

using staticdl::for_each_relr;

namespace {
std::vector<uintptr_t> places(const std::vector<uint64_t>& t, uintptr_t bias, bool* ok) {
  std::vector<uintptr_t> out;
  *ok = for_each_relr(t.data(), t.size(), bias, [&](uintptr_t p) { return out.push_back(p), true; });
  return out;
}
}  // namespace

TEST_CASE("relr.decode") {
  bool ok;
  // An address, then a bitmap of the words after it: bits 1 and 3 are the
  // first and third; a second bitmap covers the 63 words after those.
  std::vector<uint64_t> t = {0x1000, (1u << 1 | 1u << 3) | 1, (1ull << 63) | 1, 0x2000};
  std::vector<uintptr_t> want = {0x10000 + 0x1000, 0x10000 + 0x1008, 0x10000 + 0x1018, 0x10000 + 0x1008 + 63 * 8 + 62 * 8,
                                 0x10000 + 0x2000};
  CHECK(places(t, 0x10000, &ok) == want);
  CHECK(ok);
  CHECK(places({}, 0, &ok).empty());
  CHECK(ok);
}

TEST_CASE("relr.malformed_and_stop") {
  bool ok;
  CHECK(places({0x5}, 0x10000, &ok).empty());  // a bitmap before any address
  CHECK_FALSE(ok);
  std::vector<uint64_t> t = {0x1000, 0x2000, 0x3000};
  int seen = 0;
  CHECK_FALSE(for_each_relr(t.data(), t.size(), 0, [&](uintptr_t) { return ++seen < 2; }));
  CHECK(seen == 2);  // stopped at the second place
}
