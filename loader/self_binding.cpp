#include "self_binding.h"

#include "debug.h"
#include "host.h"
#include "registry.h"

namespace staticdl {

namespace {

bool bloom_has(const SymbolTable& t, uint32_t h) {
  uint64_t word = t.gnu_bloom[(h / 64) & (t.gnu_bloom_size - 1)];
  uint64_t mask = (uint64_t(1) << (h % 64)) | (uint64_t(1) << ((h >> t.gnu_bloom_shift) % 64));
  return (word & mask) == mask;
}

// Whether t's hash chain for h holds a hash equal to h but for bit 0: the
// names themselves are not read. The walk stays below nsyms (the buckets
// are not validated until a lookup uses them).
bool chain_has(const SymbolTable& t, uint32_t h) {
  uint32_t i = t.gnu_buckets[h % t.gnu_nbuckets];
  if (i < t.gnu_symoffset) return false;  // empty bucket
  for (; i < t.nsyms; i++) {
    uint32_t c = t.gnu_chain[i - t.gnu_symoffset];
    if ((c | 1) == (h | 1)) return true;
    if (c & 1) return false;
  }
  return false;
}

// Whether a lookup of symbol i's name in t would stop at i. Chains are
// disjoint runs of the table in bucket order, so of the two candidate
// hashes the true one is the one whose bucket starts nearest below i; its
// run must reach i, the candidate must pass t's Bloom filter, and no entry
// before i in the run may carry the same hash (a collision: only a name
// compare could tell them apart). Names that differ by one in their last
// character (f_1, f_2) have hashes that differ in bit 0 only, so the other
// candidate's bucket, the adjacent one, often holds such a neighbour: that
// is no collision. A table that contradicts its names (a symbol filed under
// another hash than its name's) can bind here where a lookup by name fails.
bool lookup_reaches(const SymbolTable& t, uint32_t i, uint32_t h_even) {
  uint32_t h = h_even, b = t.gnu_buckets[h_even % t.gnu_nbuckets];
  uint32_t b_odd = t.gnu_buckets[(h_even | 1) % t.gnu_nbuckets];
  if (b > i || (b_odd <= i && b_odd > b)) h = h_even | 1, b = b_odd;
  if (b < t.gnu_symoffset || b > i) return false;
  if (!bloom_has(t, h) && !(b == b_odd && bloom_has(t, h_even | 1))) return false;
  for (uint32_t j = b; j < i; j++) {
    uint32_t c = t.gnu_chain[j - t.gnu_symoffset];
    if ((c | 1) == (h | 1) || (c & 1)) return false;  // a collision, or i is not in this chain
  }
  return true;
}

// A symbol whose lookup, by glibc's rules, finds exactly this entry once
// nothing earlier in the scope defines its name.
bool plain_definition(const SymbolTable& t, uint32_t i) {
  const Elf64_Sym& s = t.syms[i];
  int bind = ELF64_ST_BIND(s.st_info);
  if (s.st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK)) return false;
  // VER_NDX_LOCAL (0) or a hidden version: the ordinary path decides.
  return !t.versym || ((t.versym[i] & 0x8000) == 0 && t.versym[i] != 0);
}

// Walks `scope` up to m: false when some object before m may define the
// name, or m is not in it.
bool first_in(const Vec<Module*>& scope, const Module& m, uint32_t h, bool* reached) {
  for (Module* e : scope) {
    if (e == &m) return *reached = true, true;
    if (may_define_either(e->syms, h)) return false;
  }
  return true;
}

}  // namespace

bool stored_gnu_hash(const SymbolTable& t, uint32_t i, uint32_t* h_even) {
  if (!t.gnu_chain || i < t.gnu_symoffset || i >= t.nsyms) return false;
  *h_even = t.gnu_chain[i - t.gnu_symoffset] & ~1u;
  return true;
}

bool may_define_either(const SymbolTable& t, uint32_t h_even) {
  if (!t.gnu_bloom) return t.nsyms != 0;
  uint32_t h_odd = h_even | 1;
  return (bloom_has(t, h_even) && chain_has(t, h_even)) || (bloom_has(t, h_odd) && chain_has(t, h_odd));
}

bool bind_to_self(Module& m, uint32_t i, Definition* out) {
  const SymbolTable& t = m.syms;
  uint32_t h;
  if (!stored_gnu_hash(t, i, &h) || !plain_definition(t, i) || !lookup_reaches(t, i, h)) return false;
  if (debug_flags() & (DebugSymbols | DebugBindings)) return false;  // the ordinary path traces
  if (builtin_override_may_match(h)) return false;
  if (!m.dyn.symbolic) {
    bool reached = false;
    if (host_may_define(h) || !first_in(global_scope(), m, h, &reached)) return false;
    if (!reached && (!first_in(local_scope(&m), m, h, &reached) || !reached)) return false;
  }
  const Elf64_Sym* s = &t.syms[i];
  *out = Definition{symbol_value(m, *s), s, &m, ELF64_ST_TYPE(s->st_info) == STT_GNU_IFUNC, s->st_size};
  return definition_ok(*out);  // a bad IFUNC: the ordinary path reports it
}

}  // namespace staticdl
