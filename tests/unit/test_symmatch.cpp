// Unit tests for the shortcuts of the inline lookup (loader/symmatch.h,
// SymbolTable::gnu_bucket): each against the plain formula it replaces.
#include <doctest/doctest.h>
#include <elf.h>

#include "symmatch.h"

using namespace staticdl;

namespace {

// SymbolTable::gnu_bucket for nbuckets n, set up as setup_gnu does.
uint32_t bucket(uint32_t n, uint32_t h) {
  SymbolTable t;
  t.gnu_nbuckets = n;
  t.gnu_bucket_magic = UINT64_MAX / n + 1;
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

}  // namespace

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
