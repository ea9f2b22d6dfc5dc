// ldcache_find (loader/ldcache.h): synthetic caches in ldconfig's format,
// malformed ones, and the machine's own /etc/ld.so.cache.
#include <doctest/doctest.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <algorithm>
#include <string>
#include <vector>

#include "arch.h"
#include "ldcache.h"

using staticdl::ldcache_compare;
using staticdl::ldcache_find;

namespace {

struct Entry {
  int32_t flags;
  std::string key, value;
  uint64_t hwcap = 0;
};

template <typename T>
void put(std::vector<uint8_t>& b, size_t at, T v) {
  memcpy(&b[at], &v, sizeof v);
}

// The "glibc-ld.so.cache1.1" layout ldconfig writes, optionally after an
// old-format ("ld.so-1.7.0") part of `old_entries` entries; entries sorted
// as ldconfig sorts them (descending by name, stable).
std::vector<uint8_t> image(std::vector<Entry> es, size_t old_entries = 0, uint8_t endian = 0) {
  std::stable_sort(es.begin(), es.end(),
                   [](const Entry& a, const Entry& b) { return ldcache_compare(a.key.c_str(), b.key.c_str()) > 0; });
  std::vector<uint8_t> b;
  if (old_entries) {
    b.resize(16 + 12 * old_entries);
    memcpy(b.data(), "ld.so-1.7.0", 11);
    put<uint32_t>(b, 12, static_cast<uint32_t>(old_entries));
    b.resize((b.size() + 7) & ~size_t(7));
  }
  size_t h = b.size();
  b.resize(h + 48 + 24 * es.size());
  memcpy(&b[h], "glibc-ld.so.cache1.1", 20);
  put<uint32_t>(b, h + 20, static_cast<uint32_t>(es.size()));
  b[h + 28] = endian ? endian : (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 2 : 3);
  std::string strings;
  size_t str_base = b.size() - h;
  for (size_t i = 0; i < es.size(); i++) {
    size_t e = h + 48 + 24 * i;
    put<int32_t>(b, e, es[i].flags);
    put<uint32_t>(b, e + 4, static_cast<uint32_t>(str_base + strings.size()));
    strings += es[i].key + '\0';
    put<uint32_t>(b, e + 8, static_cast<uint32_t>(str_base + strings.size()));
    strings += es[i].value + '\0';
    put<uint64_t>(b, e + 16, es[i].hwcap);
  }
  put<uint32_t>(b, h + 24, static_cast<uint32_t>(strings.size()));
  b.insert(b.end(), strings.begin(), strings.end());
  return b;
}

std::string find(const std::vector<uint8_t>& b, const char* name) {
  const char* p = ldcache_find(b.data(), b.size(), name);
  return p ? p : "(none)";
}

constexpr int32_t kMine = staticdl::Arch::kLdCacheFlags;
constexpr int32_t kOther = (kMine & 0xff00) == 0x0300 ? 0x0a03 : 0x0303;  // the other architecture's

}  // namespace

TEST_CASE("ldcache.lookup") {
  std::vector<Entry> es = {
      {kOther, "libbar.so.1", "/other-arch/libbar.so.1"},
      {kMine, "libbar.so.1", "/lib/libbar.so.1"},
      {kMine, "libbaz.so.2", "/lib/glibc-hwcaps/x86-64-v3/libbaz.so.2", 1ull << 62},
      {kMine, "libbaz.so.2", "/lib/libbaz.so.2"},
      {kMine, "librel.so", "relative/librel.so"},
      {kMine & 0xff00, "libnolibc6.so", "/lib/libnolibc6.so"},
      {kMine, "libfoo.so.1", "/usr/local/lib/libfoo.so.1"},
  };
  for (size_t old : {size_t(0), size_t(3)}) {
    std::vector<uint8_t> b = image(es, old);
    CHECK(find(b, "libfoo.so.1") == "/usr/local/lib/libfoo.so.1");
    CHECK(find(b, "libbar.so.1") == "/lib/libbar.so.1");  // not the other architecture's
    CHECK(find(b, "libbaz.so.2") == "/lib/libbaz.so.2");  // the baseline, not a glibc-hwcaps build
    CHECK(find(b, "librel.so") == "(none)");               // paths are absolute
    CHECK(find(b, "libnolibc6.so") == "(none)");
    CHECK(find(b, "libfoo.so") == "(none)");
    CHECK(find(b, "") == "(none)");
  }
  // The other byte order is refused; an unset flag (old ldconfig) is accepted.
  CHECK(find(image(es, 0, __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 3 : 2), "libfoo.so.1") == "(none)");
  std::vector<uint8_t> unset = image(es);
  unset[28] = 0;
  CHECK(find(unset, "libfoo.so.1") == "/usr/local/lib/libfoo.so.1");
}

TEST_CASE("ldcache.compare") {
  CHECK(ldcache_compare("libfoo.so.10", "libfoo.so.9") > 0);  // numbers compare as numbers
  CHECK(ldcache_compare("libfoo.so.9", "libfoo.so.10") < 0);
  CHECK(ldcache_compare("libfoo.so.1", "libfoo.so.1") == 0);
  CHECK(ldcache_compare("libfoo.so", "libfoo.so.1") < 0);
  CHECK(ldcache_compare("libfoo1.so", "libfoo.so") > 0);  // a digit sorts after any other character
  CHECK(ldcache_compare("libfoo.so", "libfoo1.so") < 0);
  CHECK(ldcache_compare("liba.so", "libb.so") < 0);
  CHECK(ldcache_compare("libfoo.so.01", "libfoo.so.1") == 0);
}

TEST_CASE("ldcache.many_entries") {
  std::vector<Entry> es;
  for (int i = 0; i < 300; i++) {
    std::string k = "libn" + std::to_string(i % 150) + ".so." + std::to_string(i / 150);
    es.push_back({kMine, k, "/lib/" + k});
    if (i % 7 == 0) es.push_back({kOther, k, "/other/" + k});
  }
  std::vector<uint8_t> b = image(es);
  for (int i = 0; i < 300; i++) {
    std::string k = "libn" + std::to_string(i % 150) + ".so." + std::to_string(i / 150);
    CHECK(find(b, k.c_str()) == "/lib/" + k);
  }
  CHECK(find(b, "libn150.so.0") == "(none)");
  CHECK(find(b, "libn1.so") == "(none)");
}

TEST_CASE("ldcache.malformed") {
  std::vector<Entry> es = {{kMine, "liba.so", "/lib/liba.so"}, {kMine, "libb.so", "/lib/libb.so"}};
  std::vector<uint8_t> good = image(es);
  // Every truncation: no read past the end, and only whole answers.
  for (size_t n = 0; n <= good.size(); n++) {
    std::vector<uint8_t> t(good.begin(), good.begin() + static_cast<long>(n));
    const char* p = ldcache_find(t.data(), t.size(), "liba.so");  // sorted last: its value ends the file
    if (p) CHECK(std::string(p) == "/lib/liba.so");
    CHECK((p != nullptr) == (n == good.size()));
  }
  std::vector<uint8_t> b = good;
  put<uint32_t>(b, 20, 0x10000000);  // more entries than the file holds
  CHECK(find(b, "liba.so") == "(none)");
  b = good;
  put<uint32_t>(b, 48 + 24 + 4, 0xfffffff0);  // liba.so's key (second, sorted) out of range
  CHECK(find(b, "liba.so") == "(none)");
  CHECK(find(b, "libb.so") == "/lib/libb.so");
  b = good;
  b[3] ^= 1;  // magic
  CHECK(find(b, "liba.so") == "(none)");
  std::vector<uint8_t> old = image(es, 2);
  put<uint32_t>(old, 12, 0x40000000);  // an old part longer than the file
  CHECK(find(old, "liba.so") == "(none)");
  CHECK(ldcache_find(nullptr, 0, "liba.so") == nullptr);
}

// The machine's cache, written by its ldconfig: libc.so.6 resolves to a
// file that exists. Only where the cache is glibc's and holds this
// architecture (the x86_64 build on a glibc machine).
TEST_CASE("ldcache.system_cache") {
  FILE* f = fopen("/etc/ld.so.cache", "rb");
  if (!f) {
    MESSAGE("skipped: no /etc/ld.so.cache (not a glibc system)");
    return;
  }
  std::vector<uint8_t> b;
  uint8_t buf[65536];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) b.insert(b.end(), buf, buf + n);
  fclose(f);
#if defined(__x86_64__)
  // Every name of the cache is found, and gives the first entry of that
  // name (in the file's order) for this architecture, as ld.so's lookup.
  uint32_t nlibs = 0;
  REQUIRE(b.size() >= 48);
  REQUIRE(memcmp(b.data(), "glibc-ld.so.cache1.1", 20) == 0);  // the format ldconfig writes since glibc 2.32
  memcpy(&nlibs, &b[20], 4);
  REQUIRE(48 + 24 * size_t(nlibs) <= b.size());
  size_t checked = 0;
  for (uint32_t i = 0; i < nlibs; i++) {
    int32_t flags;
    uint32_t key, value;
    uint64_t hwcap;
    const uint8_t* e = &b[48 + 24 * size_t(i)];
    memcpy(&flags, e, 4), memcpy(&key, e + 4, 4), memcpy(&value, e + 8, 4), memcpy(&hwcap, e + 16, 8);
    if (flags != kMine || hwcap) continue;
    bool first = true;
    for (uint32_t j = 0; j < i && first; j++) {
      int32_t f;
      uint32_t k;
      uint64_t hw;
      memcpy(&f, &b[48 + 24 * size_t(j)], 4), memcpy(&k, &b[48 + 24 * size_t(j) + 4], 4);
      memcpy(&hw, &b[48 + 24 * size_t(j) + 16], 8);
      first = !(f == kMine && !hw && !strcmp(reinterpret_cast<const char*>(&b[k]), reinterpret_cast<const char*>(&b[key])));
    }
    if (!first) continue;
    CHECK(find(b, reinterpret_cast<const char*>(&b[key])) == reinterpret_cast<const char*>(&b[value]));
    checked++;
  }
  CHECK(checked > 0);
  const char* p = ldcache_find(b.data(), b.size(), "libc.so.6");
  REQUIRE(p != nullptr);
  std::string path = p;
  CHECK(path.size() > strlen("/libc.so.6"));
  CHECK(path.compare(path.size() - strlen("/libc.so.6"), std::string::npos, "/libc.so.6") == 0);
  struct stat st;
  CHECK(stat(p, &st) == 0);
#else
  MESSAGE("the machine's cache is checked in the x86_64 build");
#endif
}
