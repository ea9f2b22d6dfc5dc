#include "ldcache.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "fault.h"

namespace staticdl {

namespace {

constexpr char kMagicNew[] = "glibc-ld.so.cache1.1";  // 17 + 3 bytes, no NUL
constexpr char kMagicOld[] = "ld.so-1.7.0";           // 11 bytes, then nlibs
constexpr size_t kHeaderNew = 48, kEntryNew = 24, kHeaderOld = 16, kEntryOld = 12;
constexpr int32_t kFlagTypeMask = 0x00ff, kFlagArchMask = 0xff00;
constexpr uint8_t kEndianBig = 3, kEndianLittle = 2;

template <typename T>
T load(const uint8_t* p) {
  T v;
  memcpy(&v, p, sizeof v);
  return v;
}

// The string at offset `off` of the [base, end) region, if NUL-terminated inside it.
const char* string_at(const uint8_t* base, const uint8_t* end, uint32_t off) {
  if (off >= static_cast<size_t>(end - base)) return nullptr;
  const char* s = reinterpret_cast<const char*>(base + off);
  return memchr(s, 0, static_cast<size_t>(end - base) - off) ? s : nullptr;
}

// Where the new-format header starts: 0, or after an old-format part.
bool new_header_offset(const uint8_t* data, size_t size, size_t* off) {
  *off = 0;
  if (size >= kHeaderOld && memcmp(data, kMagicOld, sizeof kMagicOld - 1) == 0) {
    // The old header: the 11-byte magic, then nlibs at offset 12 (aligned).
    uint64_t old_end = kHeaderOld + uint64_t(load<uint32_t>(data + 12)) * kEntryOld;
    if (old_end > size) return false;
    *off = static_cast<size_t>((old_end + 7) & ~uint64_t(7));  // aligned as struct cache_file_new
  }
  return *off + kHeaderNew <= size && memcmp(data + *off, kMagicNew, sizeof kMagicNew - 1) == 0;
}

}  // namespace

int ldcache_compare(const char* a, const char* b) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (*a) {
    if (digit(*a)) {
      if (!digit(*b)) return 1;
      uint64_t x = 0, y = 0;  // numerically (glibc uses int: names with such numbers do not exist)
      while (digit(*a)) x = x * 10 + static_cast<uint64_t>(*a++ - '0');
      while (digit(*b)) y = y * 10 + static_cast<uint64_t>(*b++ - '0');
      if (x != y) return x < y ? -1 : 1;
    } else if (digit(*b)) {
      return -1;
    } else if (*a != *b) {
      return *a < *b ? -1 : 1;  // plain char, as glibc compares
    } else {
      a++, b++;
    }
  }
  return *b ? -1 : 0;
}

namespace {

struct Table {
  const uint8_t* base;  // the new-format header
  const uint8_t* end;
  uint32_t nlibs;
  const uint8_t* entry(uint32_t i) const { return base + kHeaderNew + size_t(i) * kEntryNew; }
  const char* key(uint32_t i) const { return string_at(base, end, load<uint32_t>(entry(i) + 4)); }
};

bool open_table(const uint8_t* data, size_t size, Table* t) {
  size_t h;
  if (!data || !new_header_offset(data, size, &h)) return false;
  t->base = data + h, t->end = data + size;
  uint8_t endian = t->base[28] & 3;
  bool little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
  if (endian != 0 && endian != (little ? kEndianLittle : kEndianBig)) return false;
  t->nlibs = load<uint32_t>(t->base + 20);
  return uint64_t(t->nlibs) * kEntryNew <= static_cast<uint64_t>(t->end - t->base) - kHeaderNew;
}

// Some entry with key `name`, by binary search (ldconfig sorts the entries
// by ldcache_compare, descending, as glibc's _dl_load_cache_lookup expects),
// or -1. A key that is not a string ends the search.
long find_any(const Table& t, const char* name) {
  long lo = 0, hi = static_cast<long>(t.nlibs) - 1;
  while (lo <= hi) {
    long mid = lo + (hi - lo) / 2;
    const char* key = t.key(static_cast<uint32_t>(mid));
    if (!key) return -1;
    int c = ldcache_compare(name, key);
    if (c == 0) return mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid - 1;
  }
  return -1;
}

}  // namespace

namespace {

constexpr uint32_t kExtensionMagic = 0xeaa42174;  // glibc's cache_extension_magic
constexpr uint32_t kTagGlibcHwcaps = 1;           // cache_extension_tag_glibc_hwcaps
constexpr uint64_t kHwcapExtension = 1ull << 62;  // DL_CACHE_HWCAP_EXTENSION
constexpr uint32_t kIsaLevelMask = 0x3ff;         // DL_CACHE_HWCAP_ISA_LEVEL_MASK, of hwcap >> 32

// The glibc-hwcaps section of the extension directory: `count` 32-bit
// file offsets of subdirectory names. Empty when the file has none or it
// does not check out (ld.so then uses no glibc-hwcaps entry either).
struct HwcapsNames {
  const uint8_t* file = nullptr;
  const uint8_t* end = nullptr;
  const uint8_t* offsets = nullptr;
  uint32_t count = 0;
  const char* name(uint32_t i) const {
    return i < count ? string_at(file, end, load<uint32_t>(offsets + size_t(i) * 4)) : nullptr;
  }
};

HwcapsNames hwcaps_names(const uint8_t* file, size_t size, const Table& t) {
  HwcapsNames n;
  uint64_t dir = load<uint32_t>(t.base + 32);  // extension_offset, from the start of the file
  if (!dir || dir % 4 || dir + 8 > size || load<uint32_t>(file + dir) != kExtensionMagic) return n;
  uint64_t count = load<uint32_t>(file + dir + 4);
  if (count > (size - dir - 8) / 16) return n;
  for (uint64_t i = 0; i < count; i++) {
    const uint8_t* s = file + dir + 8 + i * 16;  // tag, flags, offset, size
    uint64_t off = load<uint32_t>(s + 8), len = load<uint32_t>(s + 12);
    if (load<uint32_t>(s) != kTagGlibcHwcaps || off + len > size || !len || off % 4 || len % 4) continue;
    n.file = file, n.end = file + size, n.offsets = file + off, n.count = static_cast<uint32_t>(len / 4);
  }
  return n;
}

// ld.so's preference for an entry marked as a glibc-hwcaps build: 0 when
// the CPU lacks the ISA level it records or its subdirectory is not one
// of the CPU's, else hwcaps_priority() (lower is better).
uint32_t entry_priority(uint64_t hwcap, const Hwcaps& hw, const HwcapsNames& names) {
  uint32_t level = static_cast<uint32_t>(hwcap >> 32) & kIsaLevelMask;
  if (hw.isa_1 && (level >= 32 || !(hw.isa_1 >> level & 1))) return 0;
  const char* sub = names.name(static_cast<uint32_t>(hwcap));
  return sub ? hwcaps_priority(hw, sub, strlen(sub)) : 0;
}

}  // namespace

const char* ldcache_find(const uint8_t* data, size_t size, const char* name, const Hwcaps* hw) {
  Table t;
  if (!open_table(data, size, &t)) return nullptr;
  long i = find_any(t, name);
  if (i < 0) return nullptr;
  while (i > 0 && t.key(static_cast<uint32_t>(i - 1)) && !strcmp(t.key(static_cast<uint32_t>(i - 1)), name)) i--;
  // Of the run of entries with this name that are for this architecture:
  // the glibc-hwcaps build ld.so prefers (ldconfig lists them first), else
  // the first plain one (hwcap 0), as glibc's search_cache.
  HwcapsNames names;
  bool names_read = false;
  const char* best = nullptr;
  uint32_t best_priority = 0;
  for (uint32_t k = static_cast<uint32_t>(i); k < t.nlibs; k++) {
    const char* key = t.key(k);
    if (!key || strcmp(key, name) != 0) break;
    const uint8_t* e = t.entry(k);
    int32_t flags = load<int32_t>(e);
    const char* value = string_at(t.base, t.end, load<uint32_t>(e + 8));
    if ((flags & (kFlagTypeMask | kFlagArchMask)) != Arch::kLdCacheFlags || !value || value[0] != '/') continue;
    uint64_t hwcap = load<uint64_t>(e + 16);
    if ((hwcap >> 32 & ~kIsaLevelMask) == kHwcapExtension >> 32) {  // a glibc-hwcaps build
      if (!hw) continue;
      if (!names_read) names = hwcaps_names(data, size, t), names_read = true;
      uint32_t p = entry_priority(hwcap, *hw, names);
      if (p && (!best || p < best_priority)) best = value, best_priority = p;
      continue;
    }
    if (best) break;
    if (hwcap == 0) return value;
  }
  return best;
}

namespace {

struct Cache {
  const char* path = "/etc/ld.so.cache";
  void* map = nullptr;
  size_t size = 0;
  struct stat id {};
};
Cache g_cache;

void unmap_cache() {
  if (g_cache.map) munmap(g_cache.map, g_cache.size);
  g_cache.map = nullptr, g_cache.size = 0;
}

bool same_file(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

// Maps the cache file if it changed since it was mapped; false when there is none.
bool refresh_cache() {
  struct stat st;
  if (stat(g_cache.path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return unmap_cache(), false;
  if (g_cache.map && same_file(st, g_cache.id)) return true;
  unmap_cache();
  int fd = sd_open(g_cache.path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  void* p = sd_mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  struct stat again;
  bool ok = p != MAP_FAILED && fstat(fd, &again) == 0 && same_file(st, again);  // not rewritten meanwhile
  close(fd);
  if (!ok) {
    if (p != MAP_FAILED) munmap(p, static_cast<size_t>(st.st_size));
    return false;
  }
  g_cache.map = p, g_cache.size = static_cast<size_t>(st.st_size), g_cache.id = st;
  return true;
}

}  // namespace

bool ldcache_lookup(const char* name, const Hwcaps* hw, OwnedStr* path) {
  if (!refresh_cache()) return false;
  const char* p = ldcache_find(static_cast<const uint8_t*>(g_cache.map), g_cache.size, name, hw);
  return p && OwnedStr::make(p, path);
}

void ldcache_set_path(const char* path) {
  unmap_cache();
  g_cache.path = path ? path : "/etc/ld.so.cache";
}

}  // namespace staticdl
