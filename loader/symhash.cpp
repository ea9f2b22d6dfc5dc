// Symbol-name hashes: the SysV ELF hash (DT_HASH) and the GNU hash
// (DT_GNU_HASH: djb2, h = h * 33 + c from h = 5381, modulo 2^32).
//
// Every dlsym hashes its name, and C++ names are long (libLLVM's average
// is 68 characters), so the GNU hash takes eight characters a step, from
// aligned 64-bit loads, and finds the terminating NUL in the same pass:
//
//   One word w holds characters c0..c7 (c0 in the low byte: little-endian).
//   Its contribution V = c0*33^7 + c1*33^6 + ... + c7 is built in lanes:
//     pairs  (w & 0x00ff..) * 33 + ((w >> 8) & 0x00ff..)     16-bit lanes,
//            c0*33 + c1, ...: at most 255*34 = 8670, no carry between lanes
//     quads  (pairs & 0x0000ffff..) * 33^2 + (pairs >> 16 & ...)  32-bit
//            lanes, at most 8670*1090 < 2^32
//     V      quad0 * 33^4 + quad1  (mod 2^32)
//   and h = h * 33^8 + V.
//
//   Ends: a load may start before the name (the first aligned word) and
//   run past its NUL (the last one); an aligned word never crosses a page,
//   so both are safe to read. Bytes outside the name are masked to zero,
//   which makes V come out as 33^j times the value of the name's part of
//   the word (j = the number of zeroed bytes after it). 33 is odd, hence
//   invertible modulo 2^32: the first word starts from 5381 * 33^-off
//   (off = bytes before the name), and the last word's result is
//   multiplied by 33^-j. Both give exactly the byte loop's value.
//
//   NUL detection: (x - 0x0101..) & ~x & 0x8080.. sets the high bit of
//   each zero byte of x; bytes above the first zero may be set spuriously
//   (a borrow), never bytes below it, so the lowest set bit is the NUL.

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "symtab.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "symhash.cpp: the word-at-a-time GNU hash assumes a little-endian target"
#endif

namespace staticdl {

namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
constexpr uint64_t kEvenBytes = 0x00ff00ff00ff00ffull, kEvenHalves = 0x0000ffff0000ffffull;

constexpr uint32_t pow33(unsigned k) {
  uint32_t r = 1;
  while (k--) r *= 33;
  return r;
}

// 33^-1 modulo 2^32 by Newton's iteration x <- x * (2 - 33x), which
// doubles the number of correct low bits: 33 * 33 = 1089 = 1 modulo 2^6.
constexpr uint32_t inverse33() {
  uint32_t x = 33;
  for (int i = 0; i < 3; i++) x *= 2 - 33 * x;
  return x;
}
static_assert(uint32_t(33 * inverse33()) == 1, "33^-1 modulo 2^32");

struct PowerTables {
  uint32_t inv[17];  // 33^-k, k = 0..16
  constexpr PowerTables() : inv() {
    uint32_t v = 1;
    for (int k = 0; k <= 16; k++) inv[k] = v, v *= inverse33();
  }
};
constexpr PowerTables kPowers;
constexpr uint32_t k33pow8 = pow33(8);

// c0*33^7 + c1*33^6 + ... + c7 over the bytes of w, modulo 2^32.
inline uint32_t word_value(uint64_t w) {
  uint64_t pairs = (w & kEvenBytes) * 33 + ((w >> 8) & kEvenBytes);
  uint64_t quads = (pairs & kEvenHalves) * (33 * 33) + ((pairs >> 16) & kEvenHalves);
  return static_cast<uint32_t>(quads) * pow33(4) + static_cast<uint32_t>(quads >> 32);
}

inline uint64_t zero_bytes(uint64_t x) { return (x - kOnes) & ~x & kHighs; }

// The aligned word at p; may_alias: it overlaps whatever the name is part of.
typedef uint64_t __attribute__((may_alias)) AliasWord;
inline uint64_t load_word(const AliasWord* p) { return *p; }

}  // namespace

uint32_t elf_hash(const char* name) {
  uint32_t h = 0;
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(name); *p; p++) {
    h = (h << 4) + *p;
    uint32_t g = h & 0xf0000000u;
    if (g) h ^= g >> 24;
    h &= ~g;
  }
  return h;
}

#if defined(__SSE2__)
// x86_64: the same in 16-byte blocks with SSE2. Pairs come from pmaddwd of
// the zero-extended bytes with (33, 1), are packed back to 16 bits (at
// most 8670), quads from pmaddwd with (33^2, 1), and the four quads are
// weighted 33^12, 33^8, 33^4, 1 with pmuludq and summed.

namespace {

// 16 zero bytes, 16 0xff, 16 zero: masks that keep the bytes from `off`
// (at kMasks + 16 - off) or before `k` (at kMasks + 32 - k).
alignas(16) constexpr unsigned char kMasks[48] = {
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0,    0};
inline __m128i mask_at(size_t i) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(kMasks + i)); }

// c0*33^15 + c1*33^14 + ... + c15 over the 16 bytes of v, modulo 2^32.
inline uint32_t block_value(__m128i v) {
  const __m128i zero = _mm_setzero_si128();
  const __m128i by33 = _mm_set1_epi32(0x00010021), by1089 = _mm_set1_epi32(0x00010441);  // (33, 1), (33^2, 1)
  __m128i pairs_lo = _mm_madd_epi16(_mm_unpacklo_epi8(v, zero), by33);
  __m128i pairs_hi = _mm_madd_epi16(_mm_unpackhi_epi8(v, zero), by33);
  __m128i quads = _mm_madd_epi16(_mm_packs_epi32(pairs_lo, pairs_hi), by1089);
  const __m128i w_even = _mm_set_epi32(0, int(pow33(4)), 0, int(pow33(12)));
  const __m128i w_odd = _mm_set_epi32(0, 1, 0, int(pow33(8)));
  __m128i sum = _mm_add_epi32(_mm_mul_epu32(quads, w_even), _mm_mul_epu32(_mm_srli_epi64(quads, 32), w_odd));
  sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, _MM_SHUFFLE(1, 0, 3, 2)));
  return static_cast<uint32_t>(_mm_cvtsi128_si32(sum));
}

inline unsigned nul_bits(__m128i v) {
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
}

constexpr uint32_t k33pow16 = pow33(16);

// The byte loop over a name of n < 16 bytes.
inline uint32_t short_name(const char* name, size_t n, size_t* len) {
  uint32_t h = 5381;
  for (size_t i = 0; i < n; i++) h = h * 33 + static_cast<unsigned char>(name[i]);
  *len = n;
  return h;
}

}  // namespace

__attribute__((no_sanitize("address"))) uint32_t gnu_hash_len(const char* name, size_t* len) {
  uintptr_t a = reinterpret_cast<uintptr_t>(name);
  size_t off = a & 15;
  const __m128i* p = reinterpret_cast<const __m128i*>(a - off);
  __m128i v = _mm_load_si128(p);
  unsigned z = nul_bits(v) & (0xffffu << off);
  // A name that ends in this block (C's short names) is hashed by the byte
  // loop: every lookup waits for the hash, and for a few bytes the loop's
  // latency is lower than one block's (pmaddwd, pmuludq, then a move to a
  // general register): 25 against 32 ns per dlsym of names like f_123.
  if (z) return short_name(name, static_cast<unsigned>(__builtin_ctz(z)) - off, len);
  v = _mm_and_si128(v, mask_at(16 - off));  // the bytes ahead of the name: zero
  uint32_t h = 5381u * kPowers.inv[off];
  while (!z) {
    h = h * k33pow16 + block_value(v);
    v = _mm_load_si128(++p);
    z = nul_bits(v);
  }
  unsigned k = static_cast<unsigned>(__builtin_ctz(z));  // the NUL's byte in v
  *len = reinterpret_cast<const char*>(p) + k - name;
  v = _mm_and_si128(v, mask_at(32 - k));  // the bytes from the NUL on: zero
  return (h * k33pow16 + block_value(v)) * kPowers.inv[16 - k];
}
#endif

// Reads whole aligned words around the name (see above), which address
// sanitizers would report.
__attribute__((no_sanitize("address"))) uint32_t gnu_hash_len_words(const char* name, size_t* len) {
  uintptr_t a = reinterpret_cast<uintptr_t>(name);
  size_t off = a & 7;
  const AliasWord* p = reinterpret_cast<const AliasWord*>(a - off);
  uint64_t before = off ? ~uint64_t(0) >> (64 - 8 * off) : 0;  // the bytes ahead of the name
  uint64_t w = load_word(p) & ~before;
  uint64_t z = zero_bytes(w | before);
  uint32_t h = 5381u * kPowers.inv[off];
  while (!z) {
    h = h * k33pow8 + word_value(w);
    w = load_word(++p);
    z = zero_bytes(w);
  }
  unsigned k = static_cast<unsigned>(__builtin_ctzll(z)) / 8;  // the NUL's byte in w
  uint64_t keep = k ? ~uint64_t(0) >> (64 - 8 * k) : 0;
  *len = reinterpret_cast<const char*>(p) + k - name;
  return (h * k33pow8 + word_value(w & keep)) * kPowers.inv[8 - k];
}

#if !defined(__SSE2__)
uint32_t gnu_hash_len(const char* name, size_t* len) { return gnu_hash_len_words(name, len); }
#endif

uint32_t gnu_hash(const char* name) {
  size_t len;
  return gnu_hash_len(name, &len);
}

// The definition of the byte loop, for tests of gnu_hash_len.
uint32_t gnu_hash_reference(const char* name) {
  uint32_t h = 5381;
  for (const unsigned char* p = reinterpret_cast<const unsigned char*>(name); *p; p++) h = h * 33 + *p;
  return h;
}

}  // namespace staticdl
