// Decoding DT_RELR, the packed RELATIVE relocations of
// "-z pack-relative-relocs" (generic ABI, "Relative relocations"): an even
// word is the address (less the load bias) of a place to relocate, and the
// next place is the word after it; an odd word is a bitmap for the 63 words
// that follow the last place: bit k set (k >= 1) relocates the (k-1)th.
// Each relocated word gets B + its contents, as R_*_RELATIVE would.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace staticdl {

// Calls place(address) for each word the n entries at r relocate, in
// order. Returns false when place() does, or at a bitmap entry before any
// address entry (a malformed table).
template <typename F>
bool for_each_relr(const uint64_t* r, size_t n, uintptr_t bias, F&& place) {
  uintptr_t where = 0;
  for (size_t i = 0; i < n; i++) {
    uint64_t e = r[i];
    if (!(e & 1)) {
      where = bias + e;
      if (!place(where)) return false;
      where += 8;
      continue;
    }
    if (!where) return false;
    for (uintptr_t p = where; e >>= 1; p += 8)
      if ((e & 1) && !place(p)) return false;
    where += 63 * 8;
  }
  return true;
}

}  // namespace staticdl
