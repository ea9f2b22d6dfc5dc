// Binding a module's references to its own definitions without reading
// their names.
//
// Most symbolic relocations of a large shared object name a symbol the
// object defines itself: its vtables, its functions called through the PLT,
// its data through the GOT. glibc's rules still send each one through the
// whole scope (the host and every object ahead of this one may interpose),
// which costs a read of the name in .dynstr, a hash, and a hash-table walk
// ending in a string compare in the object itself: cache misses all the way
// through a multi-megabyte string table.
//
// The GNU hash table already holds the answer's ingredients. Its chain
// array stores, for each hashed (defined) symbol, the symbol's hash with bit
// 0 replaced by the end-of-chain flag. So for symbol i of module m:
//   - every object searched before m is asked, through its Bloom filter,
//     whether it may define a name with hash (h | 0) or (h | 1);
//   - if none may, the lookup would run on to m and stop at m's own entry
//     for the name, which is symbol i (an object defines a name once per
//     version, and i's version is what the reference asks for), provided
//     m's own Bloom filter passes and the chain of i's bucket reaches i
//     before any other entry of the same hash.
// Only a hash table that contradicts its names (a symbol filed under
// another hash than its name's) can make this differ from a lookup by name:
// the reference then binds where the name lookup would fail.
// Anything the filters cannot settle takes the ordinary path
// (resolve_reference), and so does every case that path treats specially:
// hidden versions, STB_GNU_UNIQUE, the loader's builtin overrides, tracing.
#pragma once

#include <stdint.h>

#include "lookup.h"
#include "symtab.h"

namespace staticdl {

// True: *out is what resolve_reference(m, i, out) would produce. False: no
// shortcut, call resolve_reference.
bool bind_to_self(Module& m, uint32_t i, Definition* out);

// bind_to_self() for every symbol of m's GNU hash table, in table order,
// with the scope gathered once: fn(ctx, i, definition) for each one bound.
void bind_all_to_self(Module& m, void (*fn)(void* ctx, uint32_t i, const Definition& d), void* ctx);

// The GNU hash of symbol i as stored in t's chain array, bit 0 cleared.
// False when i is not in t's GNU hash table.
bool stored_gnu_hash(const SymbolTable& t, uint32_t i, uint32_t* h_even);

// Whether t may define a name whose GNU hash is h_even or h_even | 1: its
// Bloom filter, then the hashes its chain for each stores (no name is
// read). True when t has no GNU hash table to ask.
bool may_define_either(const SymbolTable& t, uint32_t h_even);

}  // namespace staticdl
