#include "self_binding.h"

#include "debug.h"
#include "host.h"
#include "registry.h"

namespace staticdl {

namespace {

bool bloom_has(const SymbolTable& t, uint32_t h) { return t.bloom_admits(h, uint64_t(1) << (h % 64)); }

// Whether t's hash chain for h holds a hash equal to h but for bit 0: the
// names themselves are not read. The walk stays below nsyms (the buckets
// are not validated until a lookup uses them).
bool chain_has(const SymbolTable& t, uint32_t h) {
  uint32_t i = t.gnu_buckets[t.gnu_bucket(h)];
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
  uint32_t h = h_even, b = t.gnu_buckets[t.gnu_bucket(h_even)];
  uint32_t b_odd = t.gnu_buckets[t.gnu_bucket(h_even | 1)];
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
// nothing earlier in the scope defines its name: what the walk accepts
// (symmatch::is_definition), but not STB_GNU_UNIQUE, VER_NDX_LOCAL (0) or
// a hidden version, which the ordinary path decides.
bool plain_definition(const SymbolTable& t, uint32_t i) {
  const Elf64_Sym& s = t.syms[i];
  if (!symmatch::is_definition(s) || ELF64_ST_BIND(s.st_info) == STB_GNU_UNIQUE) return false;
  return !t.versym || (!(t.versym[i] & symmatch::kVerHidden) && t.versym[i] != 0);
}

// Calls fn(e) for each object a lookup from m asks before m (the global
// scope, then m's local scope, up to m), unless m binds symbolically. True
// when m is reached and fn never returned false.
template <typename Fn>
bool for_each_ahead(Module& m, Fn fn) {
  if (m.dyn.symbolic) return true;
  for (const Vec<Module*>* scope : {&global_scope(m.ns), &local_scope(&m)})
    for (Module* e : *scope) {
      if (e == &m) return true;
      if (!fn(e)) return false;
    }
  return false;
}

// Symbol i is the one a lookup of its name (hash *h) in m stops at, and no
// builtin override or (but for -Bsymbolic) the host may define the name.
bool candidate(const Module& m, uint32_t i, uint32_t* h) {
  const SymbolTable& t = m.syms;
  if (!stored_gnu_hash(t, i, h) || !plain_definition(t, i) || !lookup_reaches(t, i, *h)) return false;
  return !builtin_override_may_match(*h) && (m.dyn.symbolic || !host_may_define(*h));
}

bool definition(Module& m, uint32_t i, Definition* out) {
  *out = definition_of(m, m.syms.syms[i]);
  return definition_ok(*out);  // a bad IFUNC: the ordinary path reports it
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
  uint32_t h;
  // Tracing takes the ordinary path, which reports each lookup.
  if ((debug_flags() & (DebugSymbols | DebugBindings)) || !candidate(m, i, &h)) return false;
  return for_each_ahead(m, [h](Module* e) { return !may_define_either(e->syms, h); }) && definition(m, i, out);
}

void bind_all_to_self(Module& m, void (*fn)(void* ctx, uint32_t i, const Definition& d), void* ctx) {
  Vec<const SymbolTable*> ahead;  // gathered once: the objects before m
  if (debug_flags() & (DebugSymbols | DebugBindings)) return;
  if (!for_each_ahead(m, [&ahead](Module* e) { return ahead.push(&e->syms); })) return;
  Definition d;
  for (uint32_t i = m.syms.gnu_symoffset, h; i < m.syms.nsyms; i++) {
    if (!candidate(m, i, &h)) continue;
    bool clear = true;
    for (const SymbolTable* e : ahead) clear = clear && !may_define_either(*e, h);
    if (clear && definition(m, i, &d)) fn(ctx, i, d);
  }
}

}  // namespace staticdl
