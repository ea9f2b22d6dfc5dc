// The GNU-hash lookup of one symbol table, inline: the inner loop of every
// dlsym and of every symbolic relocation that misses its own object.
//
// SymbolTable::lookup_hashed (symtab.cpp) is this behind a call; the scope
// walks of lookup.h (lookup_detail::in_module) use gnu_walk directly, so a
// dlsym hit runs from the name's hash to the symbol's address without a
// call. See symtab.cpp for
// the table formats and the checks that make every index here safe.
#pragma once

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "symtab.h"

namespace staticdl {
namespace symmatch {

constexpr uint16_t kVerHidden = 0x8000;
constexpr uint16_t kVerIndex = 0x7fff;
constexpr unsigned kAllowedTypes = (1u << STT_NOTYPE) | (1u << STT_OBJECT) | (1u << STT_FUNC) |
                                   (1u << STT_COMMON) | (1u << STT_TLS) | (1u << STT_GNU_IFUNC);

// Whether an st_info byte has a binding that can satisfy a reference
// (global, weak, unique) and a code or data type: one bit per byte value,
// so that the test is a load and a bit test.
struct InfoTable {
  uint64_t ok[4];
  constexpr InfoTable() : ok() {
    for (unsigned info = 0; info < 256; info++) {
      unsigned bind = info >> 4, type = info & 15;
      bool b = bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE;
      if (b && ((1u << type) & kAllowedTypes)) ok[info / 64] |= uint64_t(1) << (info % 64);
    }
  }
};
constexpr InfoTable kInfoOk;

// A symbol that can satisfy a reference: defined, global/weak/unique, of a
// code or data type, and with a value (TLS and SHN_ABS may be 0).
inline bool is_definition(const Elf64_Sym& s) {
  unsigned info = s.st_info;
  if (s.st_shndx == SHN_UNDEF || !((kInfoOk.ok[info / 64] >> (info % 64)) & 1)) return false;
  return s.st_value != 0 || ELF64_ST_TYPE(info) == STT_TLS || s.st_shndx == SHN_ABS;
}

// glibc's check_match, simplified: see SymbolTable::lookup in symtab.h.
// The common cases (no VERSYM; no version asked) inline, the rest
// (reading VERDEF records) in symtab.cpp.
bool version_record_matches(const SymbolTable& t, uint16_t v, const VersionReq& ver);
__attribute__((always_inline)) inline bool version_matches(const SymbolTable& t, uint32_t i, const VersionReq& ver) {
  if (!t.versym) return true;
  uint16_t v = t.versym[i];
  if (!ver.name) return !(v & kVerHidden);
  return version_record_matches(t, v, ver);
}

// The n bytes at a and b are equal (n >= 1): word compares, the last one
// overlapping, instead of a byte loop.
template <typename T>
T load(const char* p) {
  T v;
  memcpy(&v, p, sizeof v);
  return v;
}
#if defined(__SSE2__)
inline bool same16(const char* a, const char* b) {
  __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a));
  __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
  return _mm_movemask_epi8(_mm_cmpeq_epi8(x, y)) == 0xffff;
}
#endif
inline bool same_bytes(const char* a, const char* b, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    for (size_t i = 0; i + 16 < n; i += 16)
      if (!same16(a + i, b + i)) return false;
    return same16(a + n - 16, b + n - 16);
  }
#endif
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8)
      if (load<uint64_t>(a + i) != load<uint64_t>(b + i)) return false;
    return load<uint64_t>(a + n - 8) == load<uint64_t>(b + n - 8);
  }
  if (n >= 4) return load<uint32_t>(a) == load<uint32_t>(b) && load<uint32_t>(a + n - 4) == load<uint32_t>(b + n - 4);
  if (n >= 2) return load<uint16_t>(a) == load<uint16_t>(b) && load<uint16_t>(a + n - 2) == load<uint16_t>(b + n - 2);
  return *a == *b;
}

// The string at offset off (name_at) or symbol i's name (name_is) is n: the
// name's n.len + 1 bytes, its NUL included, are compared inside the string
// table, so an out-of-range or unterminated offset never matches.
__attribute__((always_inline)) inline bool name_at(const SymbolTable& t, uint64_t off, const SymName& n) {
  uint64_t size = n.len + 1;
  if (size > t.strsz || off > t.strsz - size) return false;
  return same_bytes(t.strtab + off, n.name, size);
}
__attribute__((always_inline)) inline bool name_is(const SymbolTable& t, uint32_t i, const SymName& n) {
  return name_at(t, t.syms[i].st_name, n);
}

__attribute__((always_inline)) inline bool matches(const SymbolTable& t, uint32_t i, const SymName& n,
                                                   const VersionReq& ver) {
  return is_definition(t.syms[i]) && name_is(t, i, n) && version_matches(t, i, ver);
}

#if defined(__SSE2__)
// Chain entries i..i+3 (all inside the chain): bit k set when entry i+k
// holds hash h (bit 0 aside) and no entry before it ends the chain; *last
// is whether the chain ends among them.
__attribute__((always_inline)) inline unsigned chain_candidates(const uint32_t* c, uint32_t h, bool* last) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(c));
  __m128i same = _mm_cmpeq_epi32(_mm_srli_epi32(v, 1), _mm_set1_epi32(static_cast<int>(h >> 1)));
  unsigned eq = static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(same)));
  unsigned ends = static_cast<unsigned>(_mm_movemask_ps(_mm_castsi128_ps(_mm_slli_epi32(v, 31))));
  *last = ends != 0;
  return eq & (ends ^ (ends - 1)) & 15;  // the entries up to the first end
}
#endif

// After the bloom filter: the bucket, then the chain and the symbols side
// by side (the symbol entry is prefetched while the chain's hash words are
// compared). Returns the symbol index or -1. With SSE2 the chain is
// compared four entries at a time: a chain holds about four, and a loop
// that stops at the matching one mispredicts its exit on most lookups
// (22 against 25 ns per dlsym in the synthetic benchmark).
__attribute__((always_inline)) inline int64_t gnu_walk(const SymbolTable& t, const SymName& n, const VersionReq& ver) {
  uint32_t h = n.gnu;
  uint32_t i = t.gnu_buckets[t.gnu_bucket(h)];
  if (i == 0 || i < t.gnu_symoffset) return -1;
  __builtin_prefetch(&t.syms[i]);
  const uint32_t* chain = t.gnu_chain;  // entry k: symbol symoffset + k
  uint32_t base = t.gnu_symoffset, end = t.nsyms;  // at most nsyms steps
#if defined(__SSE2__)
  for (; uint64_t(i) + 4 <= end; i += 4) {
    bool last;
    for (unsigned cand = chain_candidates(&chain[i - base], h, &last); cand; cand &= cand - 1) {
      uint32_t k = i + static_cast<uint32_t>(__builtin_ctz(cand));
      if (matches(t, k, n, ver)) return k;
    }
    if (last) return -1;
  }
#endif
  for (; i < end; i++) {
    uint32_t c = chain[i - base];
    if (((c ^ h) >> 1) != 0) {
      if (c & 1) return -1;
      continue;
    }
    if (matches(t, i, n, ver)) return i;
    if (c & 1) return -1;
  }
  return -1;
}

}  // namespace symmatch

}  // namespace staticdl
