// Building the adaptive dlsym index: symindex.h.
#include "symindex.h"

#include <stdlib.h>
#include <sys/mman.h>

#include <new>

#include "fault.h"

namespace staticdl {

uint64_t g_index_min_table_bytes = kIndexMinTableBytes;

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
// those misses (libLLVM: 3 MB in 0.1-0.2 ms; its three-pass benchmark
// went from ~86 to ~63 ns a lookup).
void warm_strings(const SymbolTable& t) {
  uint64_t sum = 0;
  for (uint64_t off = 0; off < t.strsz; off += 64) sum += static_cast<unsigned char>(t.strtab[off]);
  asm volatile("" : : "r"(sum));  // keeps the loads
}

// Zeroed memory for an index of `bytes`. A big one is mapped with its
// pages populated in the one call: their first-touch faults, one by one,
// cost libLLVM's index (768 KiB) 0.3-0.6 ms in a VM, populated 0.25-0.4.
constexpr size_t kMapAtLeast = 64 * 1024;
void* allocate(size_t bytes) {
  if (bytes < kMapAtLeast) return sd_calloc(1, bytes);
  void* p = sd_mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
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
  size_t bytes = sizeof(SymIndex) + slots * sizeof(Slot);
  void* p = allocate(bytes);
  if (!p) return nullptr;
  SymIndex* x = new (p) SymIndex();
  x->mapped_ = bytes >= kMapAtLeast ? bytes : 0;
  x->mask_ = static_cast<uint32_t>(slots - 1), x->shift_ = 64 - bits, x->magic_ = t.gnu_bucket_magic;
  x->slots_ = reinterpret_cast<Slot*>(x + 1);
  if (!x->insert_chains(t, slots - slots / 8)) return destroy(x), nullptr;  // probes stay short
  warm_strings(t);
  return x;
}

void destroy_symindex(SymIndex* x) { SymIndex::destroy(x); }

void SymIndex::destroy(SymIndex* x) {
  if (!x) return;
  size_t mapped = x->mapped_;
  x->~SymIndex();
  if (mapped)
    munmap(x, mapped);
  else
    free(x);
}

}  // namespace staticdl
