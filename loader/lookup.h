// Symbol scopes and lookup.
//
// Binding a plugin's reference follows glibc's rules:
//   0. a few names always bind to the loader's own definitions for plugins
//      (__cxa_atexit/__cxa_finalize: per-plugin versions, see runtime/);
//   1. with DT_SYMBOLIC, the referencing object itself;
//   2. the global scope: the host executable, then RTLD_GLOBAL objects in
//      load order;
//   3. the local scope: the object that was dlopen()ed to bring this one in,
//      and its dependencies, breadth first;
//   4. the loader's builtin table (the dlfcn functions), for hosts that
//      export nothing.
// A weak undefined reference that finds nothing is 0. A definition with
// STB_GNU_UNIQUE binding is replaced by the first one of its name any
// lookup found (one copy per process, as in glibc; bind_found does this
// for every scope).
#pragma once

#include "module.h"
#include "symindex.h"
#include "symmatch.h"

namespace staticdl {

struct Definition {
  uintptr_t value = 0;           // runtime address (IFUNCs not yet called)
  const Elf64_Sym* sym = nullptr;  // nullptr for host/builtin definitions
  Module* module = nullptr;        // nullptr for host/builtin definitions
  bool ifunc = false;
  uint64_t size = 0;
  bool host_tls = false;  // a TLS variable of the host: value is its st_value
  // host_tls in a block the system loader allocates per thread
  // (HostSymbol::tls_modid): that module's id, and `value` the offset in it.
  uint64_t tls_modid = 0;
};

// Resolves symbol `i` referenced by `m` (for relocation). Errors name the
// object and symbol: "libfoo.so: undefined symbol: bar".
Status resolve_reference(Module& m, uint32_t i, Definition* out);

// dlsym flavours. Return false when not found. lookup_in_handle is below.
// RTLD_DEFAULT for code at `caller_addr` (nullptr: none); the module that
// contains it (for its local scope) is found only when the global scope
// has no definition, or when an RTLD_DEEPBIND module (whose local scope
// comes first) is loaded.
bool lookup_default(const void* caller_addr, const SymName& n, const VersionReq& v, Definition* out);
// RTLD_NEXT for code in `caller` (nullptr: the program): lookup.cpp.
bool lookup_next(Module* caller, const SymName& n, const VersionReq& v, Definition* out);

// The scope a module's references search after the global one: the object
// whose dlopen loaded it, and that object's dependencies, breadth first.
const Vec<Module*>& local_scope(Module* m);

// Looks in one module only (used by the scopes above).
bool lookup_in_module(Module* m, const SymName& n, const VersionReq& v, Definition* out);

// B + st_value, or st_value alone for SHN_ABS (as glibc's SYMBOL_ADDRESS:
// a version-name symbol such as LLVM_14 is 0, not B).
inline uintptr_t symbol_value(const Module& m, const Elf64_Sym& s) {
  return (s.st_shndx == SHN_ABS ? 0 : m.bias) + s.st_value;
}

// False when an IFUNC's resolver is not in its module's code.
bool definition_ok(const Definition& d);
// Symbol s of m as a definition (its IFUNC resolver not yet called).
inline Definition definition_of(Module& m, const Elf64_Sym& s) {
  return Definition{symbol_value(m, s), &s, &m, ELF64_ST_TYPE(s.st_info) == STT_GNU_IFUNC, s.st_size};
}

// The address a definition resolves to, calling an IFUNC resolver as the
// architecture's ld.so does (Arch::call_ifunc).
uintptr_t definition_address(const Definition& d);

// ---- the scope walks, inline ----------------------------------------------
// A dlsym through a handle spends its time here: each object of the
// handle's scope is a bloom test, and the one that defines the name a
// bucket, a short chain and one name compare (symmatch.h). Inline, so that
// the dlfcn entry point runs a hit without a call.

namespace lookup_detail {
// STB_GNU_UNIQUE: the one definition per process (lookup.cpp).
void apply_unique(const SymName& n, Definition* d);
// The host's definition, for a scope whose objects have DT_NEEDED entries
// the host satisfies.
bool from_host_for(const Vec<Module*>& list, const SymName& n, const VersionReq& v, Definition* out);

// Symbol i of m, found for n: the definition (lookup_in_module's result).
__attribute__((always_inline)) inline bool bind_found(Module* m, int64_t i, const SymName& n, Definition* out) {
  const Elf64_Sym* s = &m->syms.syms[i];
  *out = definition_of(*m, *s);
  if (ELF64_ST_BIND(s->st_info) == STB_GNU_UNIQUE) apply_unique(n, out);
  return true;
}

// Builds m's index once enough dlsym hits were served by the walk.
void count_lookup(Module* m);

// find_symbol (symmatch.h), answered by m's index when it has one and no
// version is asked. With kDlsym a hit counts towards building the index:
// hits are what it speeds up (a miss the bloom filter lets through ends
// at the bucket or the chain's first words either way), and relocations
// do not count, so that loading never builds one.
template <bool kDlsym = false>
__attribute__((always_inline)) inline bool in_module(Module* m, const SymName& n, const VersionReq& v,
                                                    Definition* out) {
  const SymbolTable& t = m->syms;
  if (!t.gnu_bloom) {
    int64_t i = t.lookup_hashed(n, v);
    return i >= 0 && bind_found(m, i, n, out);
  }
  if (!t.bloom_admits(n.gnu, n.bloom_bit) || !t.syms || !n.name) return false;
  const SymIndex* x = m->index.get();
  int64_t i = x && !v.name ? x->find(t, n) : symmatch::gnu_walk(t, n, v);
  if (i < 0) return false;
  if (kDlsym && !x && m->index_countdown) count_lookup(m);
  return bind_found(m, i, n, out);
}

// The objects of `list` in order, then the host if one of them needs it.
template <bool kDlsym = false>
__attribute__((always_inline)) inline bool from_list(const Vec<Module*>& list, const SymName& n, const VersionReq& v,
                                                     Definition* out) {
  bool host = false;
  for (Module* m : list) {
    if (in_module<kDlsym>(m, n, v, out)) return true;
    host |= m->needs_host;
  }
  return host && from_host_for(list, n, v, out);
}
}  // namespace lookup_detail

// dlsym(h, name) for a valid handle: its scope (the host handle: RTLD_DEFAULT).
__attribute__((always_inline)) inline bool lookup_in_handle(Module* h, const SymName& n, const VersionReq& v,
                                                            Definition* out) {
  if (h->is_host) return lookup_default(nullptr, n, v, out);
  return lookup_detail::from_list<true>(h->bfs, n, v, out);
}

// Builtins: the loader-provided overrides (step 0) and fallbacks (step 4).
// The runtime installs the tables once, before the first load.
struct BuiltinSymbol {
  const char* name;
  void* addr;
};
void set_builtin_tables(const BuiltinSymbol* overrides, size_t n_overrides, const BuiltinSymbol* fallbacks,
                        size_t n_fallbacks);
void* builtin_override(const char* name);
// Whether some override's name has GNU hash h_even or h_even | 1 (true
// means "maybe": the names are not compared).
bool builtin_override_may_match(uint32_t h_even);
void* builtin_fallback(const char* name);

}  // namespace staticdl
