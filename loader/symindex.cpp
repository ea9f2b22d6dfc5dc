// Building the adaptive dlsym index: symindex.h.
#include "symindex.h"

#include <stdlib.h>

#include <new>

#include "fault.h"

namespace staticdl {

namespace {

// Whether symbol i can answer an unversioned lookup whose name matches:
// the walk's test without the name (symmatch::matches, no version asked).
bool indexable(const SymbolTable& t, uint32_t i) {
  return symmatch::is_definition(t.syms[i]) && symmatch::version_matches(t, i, VersionReq());
}

// Reads the string table once, in order. Every indexed hit compares its
// name there, at a random place (the linker's string order is not the
// symbol order), and the first touch of each line is a miss to memory
// (and of each page, a fault): the lookups to come, expected now that the
// object served kIndexAfterLookups hits, find the strings in the cache.
// A sequential read that the hardware prefetches costs a fraction of
// those misses (libLLVM: 3 MB, about 0.3 ms).
void warm_strings(const SymbolTable& t) {
  uint64_t sum = 0;
  for (uint64_t off = 0; off < t.strsz; off += 64) sum += static_cast<unsigned char>(t.strtab[off]);
  asm volatile("" : : "r"(sum));  // keeps the loads
}

}  // namespace

// Every chain, in bucket order and within a chain in walk order. The
// chain word keeps 31 bits of the hash (bit 0 ends the chain), and the
// walk reaches an entry only from the bucket of the name's hash: the entry
// is filed under each full hash, bit 0 either way, whose bucket is this
// one (one of the two in a sane table; none in a crafted one, which no
// lookup can find either; both only with a single bucket).
bool SymIndex::insert_chains(const SymbolTable& t, uint64_t limit) {
  uint32_t base = t.gnu_symoffset;
  uint64_t used = 0;
  for (uint32_t b = 0; b < t.gnu_nbuckets; b++) {
    uint32_t i = t.gnu_buckets[b];
    if (i == 0 || i < base) continue;
    for (; i < t.nsyms; i++) {
      uint32_t c = t.gnu_chain[i - base];
      if (indexable(t, i)) {
        // h and h ^ 1 share a bucket only when there is one bucket.
        bool even = t.gnu_bucket(c & ~1u) == b, odd = (!even || t.gnu_nbuckets == 1) && t.gnu_bucket(c | 1u) == b;
        if (even + odd > limit - used) return false;
        if (even) insert(Slot{c & ~1u, i, t.syms[i].st_name}), used++;
        if (odd) insert(Slot{c | 1u, i, t.syms[i].st_name}), used++;
      }
      if (c & 1) break;
    }
  }
  return true;
}

SymIndex* SymIndex::build(const SymbolTable& t) {
  if (!t.gnu_bloom || !t.syms || t.gnu_nbuckets == 0 || t.nsyms <= t.gnu_symoffset) return nullptr;
  // At most nsyms - symoffset entries (twice that with one bucket), the
  // load at most 3/4.
  uint64_t entries = uint64_t(t.nsyms - t.gnu_symoffset) * (t.gnu_nbuckets == 1 ? 2 : 1), slots = 16;
  uint32_t bits = 4;
  while (slots * 3 < entries * 4) slots *= 2, bits++;
  void* p = sd_calloc(1, sizeof(SymIndex) + slots * sizeof(Slot));
  if (!p) return nullptr;
  SymIndex* x = new (p) SymIndex();
  x->mask_ = static_cast<uint32_t>(slots - 1), x->shift_ = 64 - bits, x->magic_ = t.gnu_bucket_magic;
  x->slots_ = reinterpret_cast<Slot*>(x + 1);
  if (!x->insert_chains(t, slots - slots / 8)) return destroy(x), nullptr;  // probes stay short
  warm_strings(t);
  return x;
}

void SymIndex::destroy(SymIndex* x) {
  if (!x) return;
  x->~SymIndex();
  free(x);
}

}  // namespace staticdl
