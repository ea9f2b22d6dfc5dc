#include "lookup.h"

#include "arch.h"

#include <string.h>

#include <new>

#include "debug.h"
#include "dynamic.h"
#include "host.h"
#include "registry.h"

namespace staticdl {

namespace {

struct BuiltinTable {
  const BuiltinSymbol* overrides = nullptr;
  size_t n_overrides = 0;
  const BuiltinSymbol* fallbacks = nullptr;
  size_t n_fallbacks = 0;
} g_builtins;
// The GNU hash of every override's name, bit 0 set (a table holds 16).
constexpr size_t kMaxOverrideHashes = 32;
uint32_t g_override_hashes[kMaxOverrideHashes];
size_t g_n_override_hashes;  // > kMaxOverrideHashes: not recorded, always "maybe"
uint64_t g_override_filter;   // bit (hash >> 1) % 64 of each, tested first

void* find_builtin(const BuiltinSymbol* tab, size_t n, const char* name) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(tab[i].name, name)) return tab[i].addr;
  return nullptr;
}

__attribute__((always_inline)) inline bool from_host(const SymName& n, const VersionReq& v, Definition* out,
                                                     const Vec<Module*>* needed_by = nullptr) {
  HostSymbol hs;
  if (!host_find_symbol(n, v, &hs, needed_by)) return false;
  if (hs.type == STT_TLS) {
    *out = Definition{hs.value, nullptr, nullptr, false, hs.size, true, hs.tls_modid};
    return true;
  }
  uintptr_t a = hs.value;
  if (hs.type == STT_GNU_IFUNC) a = reinterpret_cast<uintptr_t>(host_lookup(n, v));  // calls the resolver
  *out = Definition{a, nullptr, nullptr, false, hs.size};
  return true;
}

using lookup_detail::apply_unique;
using lookup_detail::from_list;
using lookup_detail::in_module;

// A namespace's global scope: the host, then `globals` (global_scope()).
template <bool kDlsym = false>
__attribute__((always_inline)) inline bool from_globals(const Vec<Module*>& globals, const SymName& n,
                                                       const VersionReq& v, Definition* out) {
  if (from_host(n, v, out)) return true;
  for (Module* m : globals)
    if (in_module<kDlsym>(m, n, v, out)) return true;
  return false;
}

bool from_builtin_fallback(const char* name, Definition* out) {
  void* a = builtin_fallback(name);
  if (!a) return false;
  *out = Definition{reinterpret_cast<uintptr_t>(a), nullptr, nullptr, false, 0};
  return true;
}

// STB_GNU_UNIQUE (g++'s inline and template static data): one definition
// per namespace, whatever the scopes. As in glibc, the first definition a
// lookup finds is recorded by name; later lookups that find another
// definition of that name get the recorded one, and the defining object
// is never unloaded (the recorded name and address point into it).
struct Unique {
  uint32_t hash;
  uint32_t ns;
  const char* name;
  Definition def;
};
Vec<Unique>& unique_table() {  // never destroyed: lookups may run during exit
  alignas(Vec<Unique>) static unsigned char storage[sizeof(Vec<Unique>)];
  static Vec<Unique>* t = nullptr;
  if (!t) t = new (storage) Vec<Unique>();
  return *t;
}

}  // namespace

void lookup_detail::apply_unique(const SymName& n, Definition* d) {
  if (!d->sym || ELF64_ST_BIND(d->sym->st_info) != STB_GNU_UNIQUE) return;
  uint32_t ns = d->module->ns;
  for (const Unique& u : unique_table())
    if (u.hash == n.gnu && u.ns == ns && !strcmp(u.name, n.name)) {
      *d = u.def;
      return;
    }
  if (unique_table().push(
          Unique{n.gnu, ns, d->module->syms.name_of(static_cast<uint32_t>(d->sym - d->module->syms.syms)), *d}))
    d->module->nodelete = true;
}

bool lookup_detail::from_host_for(const Vec<Module*>& list, const SymName& n, const VersionReq& v, Definition* out) {
  return from_host(n, v, out, &list);
}

namespace {

Error undefined(Module& m, const char* name, const VersionReq& v) {
  if (v.name) return fail(Errc::Undefined, "%s: undefined symbol: %s, version %s", m.name.c_str(), name, v.name);
  return fail(Errc::Undefined, "%s: undefined symbol: %s", m.name.c_str(), name);
}

void trace_binding(Module& m, const char* name, const Definition& d) {
  debug(DebugBindings, "binding file %s to %s: normal symbol `%s'", m.name.c_str(),
        d.module ? d.module->name.c_str() : "<host>", name);
}

}  // namespace

void set_builtin_tables(const BuiltinSymbol* overrides, size_t n_overrides, const BuiltinSymbol* fallbacks,
                        size_t n_fallbacks) {
  g_builtins = BuiltinTable{overrides, n_overrides, fallbacks, n_fallbacks};
  g_n_override_hashes = n_overrides;
  g_override_filter = 0;
  for (size_t i = 0; i < n_overrides && i < kMaxOverrideHashes; i++) {
    g_override_hashes[i] = gnu_hash(overrides[i].name) | 1;
    g_override_filter |= uint64_t(1) << ((g_override_hashes[i] >> 1) % 64);
  }
}

bool builtin_override_may_match(uint32_t h_even) {
  if (g_n_override_hashes > kMaxOverrideHashes) return true;
  if (!((g_override_filter >> ((h_even >> 1) % 64)) & 1)) return false;
  for (size_t i = 0; i < g_n_override_hashes; i++)
    if (g_override_hashes[i] == (h_even | 1)) return true;
  return false;
}

void* builtin_override(const char* name) {
  // Overrides are __*, _dl_*, atexit, pthread_key_*, pthread_atfork and (in
  // hybrid mode) dl*: skip the table for every other name, C++'s _Z* included.
  if ((name[0] != '_' || name[1] == 'Z') && name[0] != 'p' && name[0] != 'd' && name[0] != 'a') return nullptr;
  return find_builtin(g_builtins.overrides, g_builtins.n_overrides, name);
}
void* builtin_fallback(const char* name) {
  return find_builtin(g_builtins.fallbacks, g_builtins.n_fallbacks, name);
}

const Vec<Module*>& local_scope(Module* m) { return m->root ? m->root->bfs : m->bfs; }

bool definition_ok(const Definition& d) { return !d.ifunc || !d.module || in_exec_segment(*d.module, d.value); }

uintptr_t definition_address(const Definition& d) { return d.ifunc ? Arch::call_ifunc(d.value) : d.value; }

void lookup_detail::count_lookup(Module* m) {
  if (--m->index_countdown || !worth_indexing(m->syms)) return;
  SymIndex* x = SymIndex::build(m->syms);
  if (x) debug(DebugSymbols, "dlsym index for file=%s: %zu bytes", m->name.c_str(), x->bytes());
  m->index.reset(x);
}

bool lookup_in_module(Module* m, const SymName& n, const VersionReq& v, Definition* out) {
  return in_module(m, n, v, out);
}

Status resolve_reference(Module& m, uint32_t i, Definition* out) {
  if (i >= m.syms.nsyms)
    return fail(Errc::BadElf, "%s: relocation refers to symbol %u of %u", m.name.c_str(), i, m.syms.nsyms);
  const Elf64_Sym* s = &m.syms.syms[i];
  const char* name = m.syms.name_of(i);
  if (!name) return fail(Errc::BadElf, "%s: symbol %u has an invalid name offset", m.name.c_str(), i);
  if (ELF64_ST_BIND(s->st_info) == STB_LOCAL) {
    *out = definition_of(m, *s);
    if (!definition_ok(*out))
      return fail(Errc::BadElf, "%s: IFUNC resolver of %s is outside the code", m.name.c_str(), name);
    return Status::ok();
  }
  SymName n(name);
  if (void* a = builtin_override_may_match(n.gnu & ~1u) ? builtin_override(name) : nullptr) {
    *out = Definition{reinterpret_cast<uintptr_t>(a), nullptr, nullptr, false, 0};
    return Status::ok();
  }
  VersionReq v = m.syms.required_version(i);
  debug(DebugSymbols, "symbol=%s; lookup in file=%s", name, m.name.c_str());
  bool found = (m.dyn.symbolic && lookup_in_module(&m, n, v, out)) ||
               (m.deepbind && from_list(local_scope(&m), n, v, out));
  if (!found && from_globals(global_scope(m.ns), n, v, out)) {
    found = true;
    if (out->module) keep_loaded(&m, out->module);  // an RTLD_GLOBAL object, maybe outside m's graph
  }
  found = found || from_list(local_scope(&m), n, v, out) || from_builtin_fallback(name, out);
  if (found && !definition_ok(*out))
    return fail(Errc::BadElf, "%s: IFUNC resolver of %s is outside the code of %s", m.name.c_str(), name,
                out->module->name.c_str());
  if (found) return trace_binding(m, name, *out), Status::ok();
  if (ELF64_ST_BIND(s->st_info) == STB_WEAK) {  // weak undefined: 0
    *out = Definition{};
    return Status::ok();
  }
  return undefined(m, name, v);
}

namespace {

// RTLD_DEFAULT for any caller (nullptr: the host): its namespace's global
// scope, then its local scope; the other way round for RTLD_DEEPBIND.
__attribute__((noinline)) bool default_scoped(Module* caller, const SymName& n, const VersionReq& v, Definition* out) {
  if (caller && caller->deepbind && from_list<true>(local_scope(caller), n, v, out)) return true;
  if (from_globals<true>(global_scope(caller ? caller->ns : 0), n, v, out)) return true;
  if (caller && !caller->deepbind && from_list<true>(local_scope(caller), n, v, out)) return true;
  return from_builtin_fallback(n.name, out);
}

}  // namespace

// While every module is in namespace 0 and none is RTLD_DEEPBIND (the
// usual case), the caller's module is looked for only after the global
// scope missed: the same order as default_scoped's.
bool lookup_default(const void* caller_addr, const SymName& n, const VersionReq& v, Definition* out) {
  auto caller_of = [&] { return caller_addr ? module_containing(reinterpret_cast<uintptr_t>(caller_addr)) : nullptr; };
  if (caller_scope_matters()) return default_scoped(caller_of(), n, v, out);
  if (from_globals<true>(global_scope(0), n, v, out)) return true;
  Module* caller = caller_of();
  if (caller && from_list<true>(local_scope(caller), n, v, out)) return true;
  return from_builtin_fallback(n.name, out);
}

// glibc's _dl_sym: RTLD_NEXT from the program searches the global scope
// after it; from an object, the local scope of the tree that brought it in
// (its root's), after the object, then the host if that tree needs it; an
// object's RTLD_NEXT never searches the global scope.
bool lookup_next(Module* caller, const SymName& n, const VersionReq& v, Definition* out) {
  if (!caller) {
    for (Module* m : global_scope(0))
      if (lookup_in_module(m, n, v, out)) return true;
    return false;
  }
  const Vec<Module*>& list = local_scope(caller);
  bool after = false, host = false;
  for (Module* m : list) {
    if (after && lookup_in_module(m, n, v, out)) return true;
    after |= m == caller;
    host |= m->needs_host;
  }
  return host && lookup_detail::from_host_for(list, n, v, out);
}

}  // namespace staticdl
