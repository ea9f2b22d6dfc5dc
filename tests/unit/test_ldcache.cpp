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
std::vector<uint8_t> image(std::vector<Entry> es, size_t old_entries = 0, uint8_t endian = 0,
                           const std::vector<std::string>& hwcaps = {}) {
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
  std::vector<uint32_t> names;  // file offsets of the glibc-hwcaps subdirectory names
  for (const std::string& n : hwcaps) {
    names.push_back(static_cast<uint32_t>(h + str_base + strings.size()));
    strings += n + '\0';
  }
  put<uint32_t>(b, h + 24, static_cast<uint32_t>(strings.size()));
  b.insert(b.end(), strings.begin(), strings.end());
  if (!hwcaps.empty()) {  // the extension directory: one glibc-hwcaps section
    b.resize((b.size() + 3) & ~size_t(3));
    size_t dir = b.size(), array = dir + 8 + 16;
    b.resize(array + 4 * names.size());
    put<uint32_t>(b, h + 32, static_cast<uint32_t>(dir));
    put<uint32_t>(b, dir, 0xeaa42174u), put<uint32_t>(b, dir + 4, 1);
    put<uint32_t>(b, dir + 8, 1), put<uint32_t>(b, dir + 12, 0);
    put<uint32_t>(b, dir + 16, static_cast<uint32_t>(array)), put<uint32_t>(b, dir + 20, static_cast<uint32_t>(4 * names.size()));
    for (size_t i = 0; i < names.size(); i++) put<uint32_t>(b, array + 4 * i, names[i]);
  }
  return b;
}

// A cache entry for a build in glibc-hwcaps subdirectory `index` that
// needs ISA level `level` (1 baseline, 2 v2, ...: ldconfig's encoding).
uint64_t named(uint32_t index, uint32_t level = 0) { return 1ull << 62 | uint64_t(level) << 32 | index; }

std::string find(const std::vector<uint8_t>& b, const char* name, const staticdl::Hwcaps* hw = nullptr) {
  const char* p = ldcache_find(b.data(), b.size(), name, hw);
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
    CHECK(find(b, "libbaz.so.2") == "/lib/libbaz.so.2");  // without hwcaps: the baseline
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

// glibc-hwcaps builds (hwcaps.h): of the entries for a name, the build in
// the subdirectory the CPU prefers most, if the CPU has the ISA level it
// needs; else the plain entry. Names are sorted in the section, as
// ldconfig writes them; entry indexes point into that array.
TEST_CASE("ldcache.hwcaps") {
  const std::vector<std::string> subdirs = {"power10", "x86-64-v2", "x86-64-v3", "x86-64-v4"};
  std::vector<Entry> es = {
      {kMine, "libz.so.1", "/lib/glibc-hwcaps/x86-64-v2/libz.so.1", named(1, 1)},
      {kMine, "libz.so.1", "/lib/glibc-hwcaps/x86-64-v4/libz.so.1", named(3, 3)},
      {kMine, "libz.so.1", "/lib/libz.so.1"},
      {kMine, "libp.so", "/lib/glibc-hwcaps/power10/libp.so", named(0)},
      {kMine, "libp.so", "/lib/libp.so"},
      {kMine, "libonly.so", "/lib/glibc-hwcaps/x86-64-v3/libonly.so", named(2, 2)},
      {kMine, "libbad.so", "/lib/glibc-hwcaps/x86-64-v3/libbad.so", named(7, 2)},  // index past the array
      {kMine, "libbad.so", "/lib/libbad.so"},
      {kMine, "libneeds4.so", "/lib/glibc-hwcaps/x86-64-v3/libneeds4.so", named(2, 3)},  // built for v4
      {kMine, "libneeds4.so", "/lib/libneeds4.so"},
      {kMine, "liblegacy.so", "/lib/tls/liblegacy.so", 1ull << 63},
      {kMine, "liblegacy.so", "/lib/liblegacy.so"},
  };
  std::vector<uint8_t> b = image(es, 0, 0, subdirs);
  static const char* const v4[] = {"x86-64-v4", "x86-64-v3", "x86-64-v2", nullptr};
  static const char* const v3[] = {"x86-64-v3", "x86-64-v2", nullptr};
  static const char* const v2[] = {"x86-64-v2", nullptr};
  static const char* const none[] = {nullptr};
  staticdl::Hwcaps cpu4{v4, 0xf}, cpu3{v3, 0x7}, cpu2{v2, 0x3}, cpu1{none, 0x1};
  CHECK(find(b, "libz.so.1", &cpu4) == "/lib/glibc-hwcaps/x86-64-v4/libz.so.1");
  CHECK(find(b, "libz.so.1", &cpu3) == "/lib/glibc-hwcaps/x86-64-v2/libz.so.1");  // no v3 build
  CHECK(find(b, "libz.so.1", &cpu2) == "/lib/glibc-hwcaps/x86-64-v2/libz.so.1");
  CHECK(find(b, "libz.so.1", &cpu1) == "/lib/libz.so.1");
  CHECK(find(b, "libz.so.1") == "/lib/libz.so.1");  // static mode: no hwcaps
  CHECK(find(b, "libp.so", &cpu4) == "/lib/libp.so");  // not one of this CPU's subdirectories
  CHECK(find(b, "libonly.so", &cpu4) == "/lib/glibc-hwcaps/x86-64-v3/libonly.so");
  CHECK(find(b, "libonly.so", &cpu2) == "(none)");  // only a build this CPU cannot run
  CHECK(find(b, "libbad.so", &cpu4) == "/lib/libbad.so");
  CHECK(find(b, "libneeds4.so", &cpu3) == "/lib/libneeds4.so");  // the v3 subdirectory, but a v4 build
  CHECK(find(b, "libneeds4.so", &cpu4) == "/lib/glibc-hwcaps/x86-64-v3/libneeds4.so");
  CHECK(find(b, "liblegacy.so", &cpu4) == "/lib/liblegacy.so");  // legacy hwcap bits: not used
  // Without a valid extension directory, no glibc-hwcaps entry is used.
  std::vector<uint8_t> bad = b;
  uint32_t dir;
  memcpy(&dir, &bad[32], 4);
  put<uint32_t>(bad, dir, 0x12345678);  // magic
  CHECK(find(bad, "libz.so.1", &cpu4) == "/lib/libz.so.1");
  bad = b;
  put<uint32_t>(bad, 32, dir + 2);  // misaligned
  CHECK(find(bad, "libz.so.1", &cpu4) == "/lib/libz.so.1");
  bad = b;
  put<uint32_t>(bad, dir + 20, 0x40000000);  // section past the end
  CHECK(find(bad, "libz.so.1", &cpu4) == "/lib/libz.so.1");
  // Every truncation reads inside the image, and answers only with a whole path.
  for (size_t n = 0; n <= b.size(); n++) {
    std::vector<uint8_t> t(b.begin(), b.begin() + static_cast<long>(n));
    const char* p = ldcache_find(t.data(), t.size(), "libz.so.1", &cpu4);
    if (p) CHECK(std::string(p).find("libz.so.1") != std::string::npos);
  }
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
