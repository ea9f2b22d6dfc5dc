// Overflow-safe range arithmetic.
//
// Every offset, size and count read from an ELF file passes through these
// before it is used: a file can claim any 64-bit value, so a naive
// `off + size <= limit` may wrap around and pass.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace staticdl {

// *out = a + b; false on overflow.
inline bool add_ok(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_add_overflow(a, b, out); }
// *out = a * b; false on overflow.
inline bool mul_ok(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_mul_overflow(a, b, out); }

// [off, off+size) lies within [0, limit).
inline bool range_within(uint64_t off, uint64_t size, uint64_t limit) {
  uint64_t end;
  return add_ok(off, size, &end) && end <= limit;
}

// [off, off + count*elem) lies within [0, limit).
inline bool array_within(uint64_t off, uint64_t count, uint64_t elem, uint64_t limit) {
  uint64_t bytes;
  return mul_ok(count, elem, &bytes) && range_within(off, bytes, limit);
}

// [a, a+an) contains [b, b+bn).
inline bool range_contains(uint64_t a, uint64_t an, uint64_t b, uint64_t bn) {
  uint64_t ae, be;
  return add_ok(a, an, &ae) && add_ok(b, bn, &be) && b >= a && be <= ae;
}

// Page helpers; `page` is a power of two (from AT_PAGESZ, may exceed 4 KiB).
inline uint64_t page_down(uint64_t x, uint64_t page) { return x & ~(page - 1); }
// Rounds up; false when the result would overflow.
inline bool page_up(uint64_t x, uint64_t page, uint64_t* out) {
  uint64_t t;
  if (!add_ok(x, page - 1, &t)) return false;
  *out = t & ~(page - 1);
  return true;
}
inline bool is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

}  // namespace staticdl
