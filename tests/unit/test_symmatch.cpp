// Unit tests for the shortcuts of the inline lookup (loader/symmatch.h,
// SymbolTable::gnu_bucket): each against the plain formula it replaces.
#include <doctest/doctest.h>
#include <elf.h>
#include <string.h>

#include <string>
#include <vector>

#include "symmatch.h"

using namespace staticdl;

namespace {

// SymbolTable::gnu_bucket for nbuckets n, set up as setup_gnu does.
uint32_t bucket(uint32_t n, uint32_t h) {
  SymbolTable t;
  t.gnu_nbuckets = n;
  t.gnu_bucket_magic = SymbolTable::bucket_magic(n);
  return t.gnu_bucket(h);
}

// The definition is_definition's table encodes (glibc's check_match).
bool reference_is_definition(const Elf64_Sym& s) {
  unsigned bind = ELF64_ST_BIND(s.st_info), type = ELF64_ST_TYPE(s.st_info);
  if (s.st_shndx == SHN_UNDEF) return false;
  if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) return false;
  if (!((1u << type) & symmatch::kAllowedTypes)) return false;
  return s.st_value != 0 || type == STT_TLS || s.st_shndx == SHN_ABS;
}

// The chain walk as the format defines it: from the bucket's first entry
// to the first one with bit 0 set, the first entry whose hash matches and
// whose symbol is named `name`.
int64_t reference_walk(const SymbolTable& t, uint32_t start, uint32_t h, const char* name) {
  for (uint32_t i = start; i < t.nsyms; i++) {
    uint32_t c = t.gnu_chain[i - t.gnu_symoffset];
    if ((c >> 1) == (h >> 1) && strcmp(t.strtab + t.syms[i].st_name, name) == 0) return i;
    if (c & 1) return -1;
  }
  return -1;
}

}  // namespace

// Chains of 1..12 entries with decoys (the same hash, another name), the
// name past the chain's end, and chains that reach the table's last entry
// (the four-at-a-time compare's tail): gnu_walk against the definition.
TEST_CASE("symmatch.gnu_walk_chains") {
  const char* kName = "wanted";
  const uint32_t h = gnu_hash(kName);
  std::string strtab("\0wanted\0other\0", 14);
  uint32_t seed = 7;
  auto next = [&seed](uint32_t mod) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % mod;
  };
  int found = 0;
  for (int round = 0; round < 4000; round++) {
    uint32_t symoffset = 1 + next(3), m = 1 + next(12);
    std::vector<Elf64_Sym> syms(symoffset + m);
    std::vector<uint32_t> chain(m);
    for (uint32_t k = 0; k < m; k++) {
      Elf64_Sym& s = syms[symoffset + k];
      s.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), s.st_shndx = 1, s.st_value = 0x1000 + k;
      s.st_name = next(3) == 0 ? 1 : 8;  // "wanted" or "other"
      uint32_t kind = next(3);           // this hash, another one, or this hash with bit 0 flipped
      chain[k] = kind == 0 ? h : kind == 1 ? h ^ 0x100 : h ^ 1;
      chain[k] = (chain[k] & ~1u) | (next(4) == 0 || k + 1 == m ? 1u : 0u);
    }
    uint32_t bucket = symoffset + next(m);
    SymbolTable t;
    t.syms = syms.data(), t.nsyms = symoffset + m;
    t.strtab = strtab.data(), t.strsz = strtab.size();
    t.gnu_chain = chain.data(), t.gnu_buckets = &bucket, t.gnu_nbuckets = 1, t.gnu_symoffset = symoffset;
    t.gnu_bucket_magic = SymbolTable::bucket_magic(1);
    SymName n(kName);
    int64_t want = reference_walk(t, bucket, h, kName);
    if (symmatch::gnu_walk(t, n, VersionReq()) != want) FAIL("round " << round << ": want " << want);
    found += want >= 0;
  }
  CHECK(found > 1000);  // and about as many misses
}

// h % n by multiplication, for every kind of divisor and the hashes at the
// edges of the 32-bit range.
TEST_CASE("symmatch.gnu_bucket_remainder") {
  const uint32_t divisors[] = {1, 2, 3, 5, 7, 31, 1000, 4093, 10000, 65535, 65536, 65537, 1u << 20, 0x7fffffff,
                               0x80000000u, 0xfffffffbu, 0xffffffffu};
  uint32_t seed = 1;
  for (uint32_t n : divisors) {
    const uint32_t edges[] = {0, 1, n - 1, n, n + 1, 2 * n - 1, 0x7fffffff, 0x80000000u, 0xfffffffeu, 0xffffffffu};
    for (uint32_t h : edges) CHECK(bucket(n, h) == h % n);
    for (int k = 0; k < 20000; k++) {
      seed = seed * 1664525u + 1013904223u;
      if (bucket(n, seed) != seed % n) FAIL("n=" << n << " h=" << seed);
    }
  }
}

// Every st_info byte, with and without a section and a value.
TEST_CASE("symmatch.is_definition_table") {
  const uint16_t shndx[] = {SHN_UNDEF, 1, SHN_ABS, SHN_COMMON};
  for (unsigned info = 0; info < 256; info++)
    for (uint16_t sh : shndx)
      for (uint64_t value : {uint64_t(0), uint64_t(0x1000)}) {
        Elf64_Sym s = {};
        s.st_info = static_cast<unsigned char>(info);
        s.st_shndx = sh;
        s.st_value = value;
        CHECK(symmatch::is_definition(s) == reference_is_definition(s));
      }
}
