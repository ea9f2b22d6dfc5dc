// An adaptive dlsym index for one symbol table: a flat open-addressing
// table built from the object's own DT_GNU_HASH tables, only once the
// object has served many dlsym hits (kIndexAfterLookups), under the
// loader lock, and freed with the module (module.h).
//
// Why: a GNU-hash hit is a chain of dependent memory reads, bucket ->
// chain -> symbol entry -> name string. In a big library (libLLVM: 44k
// names of ~68 bytes) each can be a cache miss. A 12-byte slot here holds
// the hash, the symbol index and the name's string offset, so after one
// slot read the symbol entry and the name are loaded side by side. The
// slots keep the tables' bucket order (home() below), at a load of at
// most 3/4: 16-24 bytes a symbol (libLLVM: 768 KiB).
//
// Exactness: the index answers only unversioned lookups and returns what
// symmatch::gnu_walk returns (symmatch.h). It holds, in chain order, every
// chain entry that can match an unversioned lookup (a definition whose
// version is not hidden), keyed by the full hash of the names whose walk
// reaches it (symindex.cpp); linear probing keeps entries of one key in
// insertion order, so the first one whose name matches is the walk's
// first match.
#pragma once

#include <stdint.h>

#include "symmatch.h"

namespace staticdl {

// kIndexAfterLookups, the dlsym hits an object serves before it is
// indexed: module.h.

// Only for tables whose symbol entries and strings outgrow a core's L2
// cache (1-2 MiB): a smaller table is walked from the cache, and the
// index would only add its build. Measured: the perf suite's 40k-symbol
// synthetic plugin (1.3 MB) got 4-5 ns slower a dlsym over 100k lookups
// with an index, libLLVM (4.2 MB) 20-25% faster.
constexpr uint64_t kIndexMinTableBytes = 2u << 20;
// kIndexMinTableBytes; the native ASan test lowers it to index its small
// fixtures (tests/native/load_test.cpp).
extern uint64_t g_index_min_table_bytes;
inline bool worth_indexing(const SymbolTable& t) {
  return uint64_t(t.nsyms) * sizeof(Elf64_Sym) + t.strsz >= g_index_min_table_bytes;
}

class SymIndex {
 public:
  // nullptr when the table has no GNU hash, is malformed as above, or
  // memory is short: the caller keeps using the walk.
  static SymIndex* build(const SymbolTable& t);
  static void destroy(SymIndex* x);

  // The symbol index of the unversioned lookup of n in t (n.name set), or -1.
  __attribute__((always_inline)) int64_t find(const SymbolTable& t, const SymName& n) const {
    uint32_t key = n.gnu;
    for (uint32_t s = home(key);; s = (s + 1) & mask_) {
      const Slot& e = slots_[s];
      if (e.sym == 0) return -1;
      if (e.key != key) continue;
      __builtin_prefetch(&t.syms[e.sym]);  // read while the name is compared
      if (symmatch::name_at(t, e.name, n)) return e.sym;
    }
  }
  size_t bytes() const { return sizeof(SymIndex) + (size_t(mask_) + 1) * sizeof(Slot); }

 private:
  // 12 bytes; sym == 0 marks an empty slot (symbol 0 is never a match).
  struct Slot {
    uint32_t key;   // the full GNU hash of the names that reach the entry
    uint32_t sym;   // symbol index
    uint32_t name;  // its st_name
  };
  uint32_t mask_ = 0;   // slots - 1 (a power of two, at least 16)
  uint32_t shift_ = 0;  // 64 - log2(slots)
  uint64_t magic_ = 0;  // SymbolTable::gnu_bucket_magic
  size_t mapped_ = 0;   // the mmap()ed size, or 0: allocated with sd_calloc
  Slot* slots_ = nullptr;

  // The slot a hash starts at: its bucket's place among the buckets,
  // scaled to the slots (magic_ * h is the fraction h % n / n, as in
  // SymbolTable::gnu_bucket). The linker sorted .dynsym by bucket, so
  // the index keeps the tables' order: names looked up in symbol order
  // (a walk of .dynsym, a JIT's symbol list) read the slots in order, as
  // the walk read the chain, and a random order costs one random line.
  uint32_t home(uint32_t h) const { return static_cast<uint32_t>((magic_ * h) >> shift_); }
  bool insert_chains(const SymbolTable& t, uint64_t limit);
  void insert(const Slot& e) {
    uint32_t s = home(e.key);
    while (slots_[s].sym) s = (s + 1) & mask_;
    slots_[s] = e;
  }
};

}  // namespace staticdl
