// Hybrid mode: staticdl inside a dynamically linked glibc process.
//
// There the system loader (ld.so) has already loaded the executable and its
// DT_NEEDED closure: libc.so.6, libm, libgcc_s, libstdc++... staticdl must
// not load a second copy of any of them, and must bind to them exactly as
// ld.so would bind a dlopen()ed object. So in hybrid mode the loader's host
// scope (loader/host.h, SystemScope) is ld.so's global scope, reached
// through glibc's own dlfcn:
//   symbols   what dlsym(RTLD_DEFAULT, name), or dlvsym(RTLD_DEFAULT, name,
//             version) for a versioned reference, returns (memcpy@GLIBC_2.14
//             and memcpy@GLIBC_2.2.5 are different functions): IFUNCs come
//             back resolved, STB_GNU_UNIQUE definitions as the one
//             process-wide copy. Most answers come from staticdl's own index
//             of ld.so's objects, which gives the same result faster (below).
//   objects   a DT_NEEDED or dlopen() name the system loader has loaded is
//             satisfied by that object, as ld.so's _dl_map_object decides:
//             first by name (the object's soname or the path it was loaded
//             from), then, once staticdl's search has opened a file, by
//             file identity (st_dev, st_ino): another name of the same
//             file, a symlink say, gets the loaded object. Neither opens a
//             file of its own (dlopen(RTLD_NOLOAD) would make ld.so search
//             for and open each name a second time). Anything else is
//             loaded by staticdl.
//   dladdr    addresses outside staticdl's modules go to glibc's dladdr.
// Thread-local variables of system objects: hybrid_tls.cpp (static blocks
// as offsets in module 1, dynamic ones through glibc's __tls_get_addr).
//
// The rest of hybrid mode lives where the static host's counterpart does:
// dlfcn.cpp (the dl* names as builtin overrides), introspect.cpp (glibc's
// objects first in dl_iterate_phdr), unwind.cpp (libgcc_s registration).
#include <dlfcn.h>
#include <link.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

#include <new>

#include "arch.h"
#include "debug.h"
#include "host.h"
#include "hybrid_hwcaps.h"
#include "hybrid_tls.h"
#include "module.h"
#include "registry.h"
#include "runtime.h"
#include "search.h"
#include "self_binding.h"
#include "thread_walk.h"
#include "tls.h"

namespace staticdl {

namespace {

// ---- initializer arguments -------------------------------------------------

// glibc calls every initializer of the executable with (argc, argv, envp);
// staticdl passes the same to its modules' initializers (Rust's std takes
// std::env::args() from there). And ld.so reads LD_LIBRARY_PATH once, at
// startup: later changes to the environment do not move its search (an
// empty value is no path, as in ld.so).
OwnedStr g_library_path;

void capture_startup(int argc, char** argv, char** envp) {
  set_init_args(argc, argv, envp);
  const char* p = safe_getenv("LD_LIBRARY_PATH");  // nullptr under AT_SECURE
  if (p) (void)OwnedStr::make(p, &g_library_path);
}
__attribute__((section(".init_array"), used)) void (*g_capture_args)(int, char**, char**) = capture_startup;

const char* sys_library_path() { return g_library_path.empty() ? nullptr : g_library_path.c_str(); }

// ---- the system scope ------------------------------------------------------

// The authoritative answer: glibc's own lookup in ld.so's global scope.
// `tls`: the definition is STT_TLS, and glibc returns the calling thread's
// instance, which hybrid_tls.cpp places: glibc's module id and the offset
// in its block, and for a static block the offset in module 1.
bool glibc_find(void* handle, const SymName& n, const VersionReq& v, bool tls, HostSymbol* out) {
  void* a = v.name ? dlvsym(handle, n.name, v.name) : dlsym(handle, n.name);
  if (!a) {
    (void)dlerror();  // leave glibc's dlerror() state as it was
    return false;
  }
  *out = HostSymbol();
  out->value = reinterpret_cast<uintptr_t>(a);
  out->type = STT_FUNC;  // or data: relocations only tell TLS apart
  if (tls) return system_tls_place(out->value, out);  // hybrid_tls.cpp
  return true;
}

// ---- ld.so's objects, indexed -------------------------------------------
//
// Asking glibc for every reference is slow (a lock, an error-catching
// frame, and for a miss a formatted error message): libstdc++'s 5,000
// references to itself would each miss in ld.so's scope first. So the
// symbol tables of ld.so's objects are read once (again when ld.so loads
// or unloads something) with staticdl's own lookup code:
//   - no object defines the name: a miss, without asking glibc;
//   - the first definition, in ld.so's load order, is in the executable's
//     DT_NEEDED closure (ld.so's main search list) and is plain data or
//     code, or an IFUNC (its resolver called as ld.so calls it): that is
//     what glibc would return;
//   - otherwise (an object glibc dlopen()ed, RTLD_LOCAL or not;
//     STB_GNU_UNIQUE; TLS) glibc decides.
struct SysObject {
  SymbolTable syms;
  uintptr_t bias = 0;
  const char* soname = nullptr;
  const char* path = nullptr;
  const Elf64_Dyn* dyn = nullptr;
  size_t ndyn = 0;
  bool main_scope = false;
  bool has_id = false;  // dev/ino below are valid (set by object_ids())
  uint64_t dev = 0, ino = 0;
};

// needed_closure() of recent handles' scopes, keyed by the scope list and
// its first module's load serial (a list freed and reused gets a new one).
struct ClosureMemo {
  const Vec<Module*>* list = nullptr;
  uint64_t serial = 0, generation = 0;
  size_t size = 0;
  Vec<const SysObject*> objs;
};

// RTLD_DEFAULT searches ld.so's objects before staticdl's own, and a name
// of a library staticdl loaded (libLLVM's, say) is defined by none of
// them: a bloom test per object, a dozen objects. This Bloom filter holds
// every hashed symbol of all of them, so such a name skips them all in one
// test. It is built once per generation of objs, from the hashes the GNU
// tables store in their chains (no name is read; DT_HASH-only objects, such
// as some vDSOs, are hashed by name). Bit 0 of a stored hash marks a
// chain's end, so the key is hash >> 1: two names whose hashes differ in
// bit 0 only share a key, which adds a "maybe", never a "no".
struct SysFilter {
  Vec<uint64_t> words;      // a power of two of them
  uint64_t generation = 0;  // of SysState::objs, when built
  bool usable = false;      // false: every answer is "maybe" (no memory)
};

// A name an object of ld.so got from an identity match (sys_has_file):
// ld.so adds such a name to the object's names (l_libname), so later
// requests by that name match without a search. Kept by file identity, so
// that it lapses with the object and survives re-reading the list.
struct Alias {
  OwnedStr name;
  uint64_t dev = 0, ino = 0;
};

struct SysState {
  Vec<SysObject> objs;
  uint64_t generation = 1;  // of objs: closures computed before are stale
  ClosureMemo memo[4];
  unsigned next_memo = 0;
  Vec<const SysObject*> all;  // &objs[i], in order: the global scope's candidates
  unsigned long long adds = ~0ull, subs = ~0ull;
  SysFilter filter;
  uint64_t ids_generation = 0;  // of objs, when their dev/ino were read
  Vec<Alias> aliases;
};
// Never destroyed: modules' finalizers may still look symbols up at exit.
// Built on first use, out of line: the test is inline on every lookup.
SysState* g_sys = nullptr;
__attribute__((noinline)) SysState& make_sys() {
  alignas(SysState) static unsigned char storage[sizeof(SysState)];
  return *(g_sys = new (storage) SysState());
}
inline SysState& sys() { return __builtin_expect(g_sys != nullptr, 1) ? *g_sys : make_sys(); }

bool read_object(struct dl_phdr_info* info, SysObject* o) {
  uintptr_t lo = UINTPTR_MAX, hi = 0;
  const Elf64_Phdr* dynph = nullptr;
  for (uint16_t i = 0; i < info->dlpi_phnum; i++) {
    const Elf64_Phdr& ph = info->dlpi_phdr[i];
    if (ph.p_type == PT_DYNAMIC) dynph = &ph;
    if (ph.p_type != PT_LOAD) continue;
    if (info->dlpi_addr + ph.p_vaddr < lo) lo = info->dlpi_addr + ph.p_vaddr;
    if (info->dlpi_addr + ph.p_vaddr + ph.p_memsz > hi) hi = info->dlpi_addr + ph.p_vaddr + ph.p_memsz;
  }
  if (!dynph || lo >= hi) return false;
  MemoryCheck span{lo, hi};
  o->bias = info->dlpi_addr;
  o->path = info->dlpi_name;
  o->dyn = reinterpret_cast<const Elf64_Dyn*>(info->dlpi_addr + dynph->p_vaddr);
  o->ndyn = dynph->p_memsz / sizeof(Elf64_Dyn);
  if (!span.contains(reinterpret_cast<uintptr_t>(o->dyn), dynph->p_memsz)) return false;
  SymbolTableInputs in;
  if (!read_symbol_inputs(o->dyn, o->ndyn, o->bias, span, &in)) return false;
  Expected<SymbolTable> t = build_symbol_table(o->path, in, span);
  if (!t) return false;
  o->syms = t.take();
  for (size_t i = 0; i < o->ndyn && o->dyn[i].d_tag != DT_NULL; i++)
    if (o->dyn[i].d_tag == DT_SONAME) o->soname = o->syms.str(o->dyn[i].d_un.d_val);
  return true;
}

int add_object(struct dl_phdr_info* info, size_t, void*) {
  SysObject o;
  if (read_object(info, &o)) (void)sys().objs.push(static_cast<SysObject&&>(o));
  return 0;
}

void object_ids();

// The object that got `name` from an identity match, if it is still loaded.
const SysObject* object_aliased(const char* name) {
  for (const Alias& a : sys().aliases) {
    if (strcmp(a.name.c_str(), name)) continue;
    object_ids();
    for (const SysObject& o : sys().objs)
      if (o.has_id && o.dev == a.dev && o.ino == a.ino) return &o;
  }
  return nullptr;
}

const SysObject* object_named(const char* name) {
  for (const SysObject& o : sys().objs) {
    const char* base = o.path ? strrchr(o.path, '/') : nullptr;
    if ((o.soname && !strcmp(o.soname, name)) || (base && !strcmp(base + 1, name))) return &o;
  }
  return sys().aliases.size() ? object_aliased(name) : nullptr;
}

// ld.so's main search list: the executable (the first object) and its
// DT_NEEDED closure.
void mark_main_scope() {
  if (sys().objs.size() == 0) return;
  Vec<SysObject*> todo;
  sys().objs[0].main_scope = true;
  if (!todo.push(&sys().objs[0])) return;
  for (size_t k = 0; k < todo.size(); k++) {
    SysObject* o = todo[k];
    for (size_t i = 0; i < o->ndyn && o->dyn[i].d_tag != DT_NULL; i++) {
      if (o->dyn[i].d_tag != DT_NEEDED) continue;
      const char* dep = o->syms.str(o->dyn[i].d_un.d_val);
      SysObject* d = dep ? const_cast<SysObject*>(object_named(dep)) : nullptr;
      if (d && !d->main_scope) d->main_scope = true, (void)todo.push(d);
    }
  }
}

int read_counts(struct dl_phdr_info* info, size_t size, void* p) {
  if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof info->dlpi_subs) {
    auto* c = static_cast<unsigned long long*>(p);
    c[0] = info->dlpi_adds, c[1] = info->dlpi_subs;
  }
  return 1;
}

// ---- the filter -------------------------------------------------------------

constexpr size_t kMaxFilterWords = 16384;  // 128 KiB; key bits 6..19 pick the word
inline uint64_t filter_bits(uint32_t key) { return (uint64_t(1) << (key % 64)) | (uint64_t(1) << ((key >> 20) % 64)); }
inline uint64_t& filter_word(SysFilter& f, uint32_t key) { return f.words[(key >> 6) & (f.words.size() - 1)]; }

void filter_add(SysFilter& f, uint32_t h) { filter_word(f, h >> 1) |= filter_bits(h >> 1); }

void filter_add_table(SysFilter& f, const SymbolTable& t) {
  if (t.gnu_chain) {
    for (uint32_t k = 0; k < t.nsyms - t.gnu_symoffset; k++) filter_add(f, t.gnu_chain[k]);
    return;
  }
  for (uint32_t i = 1; i < t.nsyms; i++)
    if (const char* name = t.name_of(i)) filter_add(f, gnu_hash(name));
}

// About 16 bits per symbol: some 1% of the names no object defines pass.
// Out of line: the lookups that test the filter stay small.
__attribute__((noinline)) void build_filter(SysFilter& f) {
  f.generation = sys().generation;
  f.usable = false;
  f.words.clear();
  size_t n = 0, size = 64;
  for (const SysObject& o : sys().objs) n += o.syms.nsyms;
  while (size < n / 4 && size < kMaxFilterWords) size *= 2;
  if (!f.words.reserve(size)) return;
  while (f.words.size() < size) (void)f.words.push(0);
  for (const SysObject& o : sys().objs) filter_add_table(f, o.syms);
  f.usable = true;
}

// False when no object of ld.so defines a name of GNU hash h (or h ^ 1).
__attribute__((always_inline)) inline bool sys_may_define_hash(uint32_t h) {
  SysState& st = sys();
  SysFilter& f = st.filter;
  if (__builtin_expect(f.generation != st.generation, 0)) build_filter(f);
  if (!f.usable) return true;
  uint64_t bits = filter_bits(h >> 1);
  return (filter_word(f, h >> 1) & bits) == bits;
}

// ---- lookups ------------------------------------------------------------------

// An IFUNC of an object in ld.so's main search list (libc's memcpy,
// strlen, ...) is resolved by calling its resolver as ld.so does
// (Arch::call_ifunc): that is what dlsym() would return, without its lock,
// error-catching frame and second lookup.

// Binds to the first definition among `objs` (in order). `restricted`: a
// handle's scope, where glibc is asked through that object's own handle.
bool find_in(const Vec<const SysObject*>& objs, bool restricted, const SymName& n, const VersionReq& v,
             HostSymbol* out) {
  for (const SysObject* o : objs) {
    int64_t i = o->syms.lookup(n, v);
    if (i < 0) continue;
    const Elf64_Sym& s = o->syms.syms[i];
    int type = ELF64_ST_TYPE(s.st_info);
    bool direct = o->main_scope && type != STT_TLS && ELF64_ST_BIND(s.st_info) != STB_GNU_UNIQUE;
    if (!direct && !restricted) return glibc_find(RTLD_DEFAULT, n, v, type == STT_TLS, out);
    if (!direct) {
      void* h = dlopen(o->path, RTLD_LAZY | RTLD_NOLOAD);
      bool found = h && glibc_find(h, n, v, type == STT_TLS, out);
      if (h) dlclose(h);
      if (!h) (void)dlerror();
      return found;
    }
    *out = HostSymbol();
    out->value = s.st_shndx == SHN_ABS ? s.st_value : o->bias + s.st_value;
    out->size = s.st_size;
    out->type = static_cast<unsigned char>(type);
    if (type == STT_GNU_IFUNC) out->value = Arch::call_ifunc(out->value), out->type = STT_FUNC;
    return true;
  }
  return false;
}

// The system objects `mods` name in DT_NEEDED, and their dependencies,
// breadth first.
bool needed_closure(const Vec<Module*>& mods, Vec<const SysObject*>* out) {
  for (Module* m : mods)
    for (const DepName& n : m->dyn.needed) {
      const char* dep = m->str(n.name);
      const SysObject* o = dep ? object_named(dep) : nullptr;
      if (o && !out->contains(o) && !out->push(o)) return false;
    }
  for (size_t k = 0; k < out->size(); k++) {
    const SysObject* o = (*out)[k];
    for (size_t i = 0; i < o->ndyn && o->dyn[i].d_tag != DT_NULL; i++) {
      if (o->dyn[i].d_tag != DT_NEEDED) continue;
      const char* dep = o->syms.str(o->dyn[i].d_un.d_val);
      const SysObject* d = dep ? object_named(dep) : nullptr;
      if (d && !out->contains(d) && !out->push(d)) return false;
    }
  }
  return true;
}

// The closure for a handle's scope, from the memo when it is current.
const Vec<const SysObject*>* closure_for(const Vec<Module*>& list) {
  if (list.size() == 0) return nullptr;
  SysState& st = sys();
  uint64_t serial = list[0]->serial;
  for (ClosureMemo& c : st.memo)
    if (c.list == &list && c.size == list.size() && c.serial == serial && c.generation == st.generation) return &c.objs;
  ClosureMemo& c = st.memo[st.next_memo++ % 4];
  c.objs.clear();
  c.list = nullptr;
  if (!needed_closure(list, &c.objs)) return nullptr;
  c.list = &list, c.size = list.size(), c.serial = serial, c.generation = st.generation;
  return &c.objs;
}

__attribute__((noinline)) bool sys_find_in_objects(const SymName& n, const VersionReq& v, HostSymbol* out,
                                                   const Vec<Module*>* needed_by) {
  if (needed_by) {
    const Vec<const SysObject*>* objs = closure_for(*needed_by);
    return objs && find_in(*objs, true, n, v, out);
  }
  return find_in(sys().all, false, n, v, out);
}

// The filter first, and the rest out of line: nearly every name a plugin
// looks up through RTLD_DEFAULT stops at the filter.
bool sys_find(const SymName& n, const VersionReq& v, HostSymbol* out, const Vec<Module*>* needed_by) {
  if (!sys_may_define_hash(n.gnu)) return false;  // every scope here is a subset of objs
  return sys_find_in_objects(n, v, out, needed_by);
}

// ld.so's name match (_dl_name_match_p, then the soname): the path an
// object was loaded from, or its DT_SONAME. Not the file name of a path (a
// bare "libfoo.so" for a loaded "/opt/x/libfoo.so" without a soname): ld.so
// searches for that, and so does staticdl, then compares the file found.
bool sys_has_library(const char* name) {
  for (const SysObject& o : sys().objs)
    if ((o.path && !strcmp(o.path, name)) || (o.soname && !strcmp(o.soname, name))) return true;
  return sys().aliases.size() && object_aliased(name);
}

// The object a DT_VERNEED entry names, for version checks (version_check.h).
bool sys_library_symbols(const char* name, const SymbolTable** syms, const char** path) {
  const SysObject* o = object_named(name);
  for (const SysObject& x : sys().objs)
    if (!o && x.path && !strcmp(x.path, name)) o = &x;
  if (!o) return false;
  *syms = &o->syms, *path = o->path;
  return true;
}

// Reads the file identity of every object of ld.so once per generation.
// The executable (empty name) is left out, as ld.so leaves it out of its
// own identity check; so is the vDSO, which has no file.
void object_ids() {
  SysState& st = sys();
  if (st.ids_generation == st.generation) return;
  for (SysObject& o : st.objs) {
    struct stat sb;
    o.has_id = o.path && o.path[0] == '/' && stat(o.path, &sb) == 0;
    if (o.has_id) o.dev = sb.st_dev, o.ino = sb.st_ino;
  }
  st.ids_generation = st.generation;
}

bool sys_has_file(const char* name, uint64_t dev, uint64_t ino) {
  object_ids();
  for (const SysObject& o : sys().objs) {
    if (!o.has_id || o.dev != dev || o.ino != ino) continue;
    if (name && !object_aliased(name)) {
      Alias a;
      a.dev = dev, a.ino = ino;
      if (OwnedStr::make(name, &a.name)) (void)sys().aliases.push(static_cast<Alias&&>(a));
    }
    return true;
  }
  return false;
}

// Every object ld.so has (a superset of any scope sys_find searches).
bool sys_may_define(uint32_t h_even) {
  if (!sys_may_define_hash(h_even)) return false;
  for (const SysObject* o : sys().all)
    if (may_define_either(o->syms, h_even)) return true;
  return false;
}

const SystemScope kSystemScope = {sys_find,         sys_has_library, sys_has_file,   sys_may_define,
                                  sys_library_path, sys_hwcaps,      hybrid_refresh, sys_library_symbols};

}  // namespace

bool hybrid_refresh() {
  unsigned long long c[2] = {0, 0};
  dl_iterate_phdr(read_counts, c);
  if (c[0] == sys().adds && c[1] == sys().subs) return false;
  sys().objs.clear();
  sys().all.clear();
  dl_iterate_phdr(add_object, nullptr);
  for (const SysObject& o : sys().objs)
    if (!sys().all.push(&o)) break;
  mark_main_scope();
  sys().adds = c[0], sys().subs = c[1];
  sys().generation++;
  return true;
}

void install_hybrid_host() {
  set_system_scope(&kSystemScope);
  g_system_tls_get_addr = system_tls_get_addr;
  add_system_dirs();  // hybrid_paths.cpp
  // Exceptions and panics in staticdl's modules unwind through the
  // process's libgcc_s (unwind.cpp registers their frames with it). A host
  // that links no C++ or Rust code may have none yet: then the system
  // loader loads it, so that there is exactly one in the process.
  if (!dlsym(RTLD_DEFAULT, "__register_frame_info")) {
    (void)dlerror();
    if (!dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_GLOBAL)) (void)dlerror();
  }
}

}  // namespace staticdl
