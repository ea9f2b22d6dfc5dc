#include "registry.h"

#include <dlfcn.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debug.h"
#include "deps.h"
#include "dynamic.h"
#include "elf_reader.h"
#include "host.h"
#include "initfini.h"
#include "lazy.h"
#include "mapper.h"
#include "namespace.h"
#include "reloc.h"
#include "reloc_cache.h"
#include "search.h"
#include "version_check.h"
#include "tls.h"
#include "zstd_input.h"

namespace staticdl {

// ---- lock -----------------------------------------------------------------

// Constant-initialized: usable before any constructor runs.
RecursiveLock g_loader_lock;

// ---- state ----------------------------------------------------------------

namespace {

struct Registry {
  Vec<Module*> modules;     // load order
  Vec<Module*> globals[kMaxNamespaces];  // per namespace: RTLD_GLOBAL, in promotion order
  Vec<Module*> init_order;  // initialization order (fini runs in reverse)
  uint64_t adds = 1, subs = 0, serial = 0;
  FinalizeHook finalize = nullptr;
  EmbeddedLookup embedded = nullptr;
  ModuleHook loaded = nullptr, unloading = nullptr;
  Module host;
  bool host_ready = false;
};

// module_containing()'s last answer and the segment it was in, until that
// module is destroyed: a library's initializers register thousands of
// destructors with __cxa_atexit, each asking for the same dso handle's.
Module* g_last_containing = nullptr;
const Segment* g_last_segment = nullptr;

// Never destroyed: other threads may still call in while the process exits.
// Made at the first use, out of line: the accessors (global_scope() on
// every RTLD_DEFAULT dlsym) stay a load and a test.
Registry* g_registry = nullptr;
__attribute__((noinline, cold)) Registry& make_registry() {
  alignas(Registry) static unsigned char storage[sizeof(Registry)];
  g_registry = new (storage) Registry();
  g_registry->host.is_host = true;
  return *g_registry;
}
inline Registry& reg() { return __builtin_expect(g_registry != nullptr, 1) ? *g_registry : make_registry(); }

Error no_memory(const char* name) { return fail(Errc::NoMemory, "%s: cannot allocate memory", name); }

// The storage of the last Module freed, kept for the next one: musl's
// allocator unmaps a slot group as soon as its last slot is free, so a
// program that opens and closes one plugin in a loop mapped and unmapped a
// page for its Module every time (two of the fifteen system calls of a
// cycle). Under the loader lock, as every caller is.
void* g_spare_module = nullptr;

Module* new_module() {
  void* p = g_spare_module;
  g_spare_module = nullptr;
  if (p) memset(p, 0, sizeof(Module));
  else p = sd_calloc(1, sizeof(Module));
  return p ? new (p) Module() : nullptr;
}

void delete_module(Module* m) {
  tls_unregister(*m);  // blocks in every thread, descriptor arguments, module id
  m->~Module();
  if (!g_spare_module) g_spare_module = m;
  else free(m);
}

void link_map_append(Module* m) {
  struct link_map* tail = &reg().host.lm;
  while (tail->l_next) tail = tail->l_next;
  tail->l_next = &m->lm;
  m->lm.l_prev = tail;
  m->lm.l_next = nullptr;
}

void link_map_remove(Module* m) {
  if (m->lm.l_prev) m->lm.l_prev->l_next = m->lm.l_next;
  if (m->lm.l_next) m->lm.l_next->l_prev = m->lm.l_prev;
  m->lm.l_prev = m->lm.l_next = nullptr;
}

// Moves filtee f just before its filter x in the link map and in load order
// (dl_iterate_phdr), as ld.so does when it places f in a search list.
void link_map_move_before(Module* f, Module* x) {
  Vec<Module*>& mods = reg().modules;
  size_t k = mods.index_of(f);
  if (k == mods.size() || mods.index_of(x) == mods.size()) return;
  mods.erase_at(k);
  (void)mods.insert_at(mods.index_of(x), f);  // the slot erase_at freed: no allocation
  link_map_remove(f);
  struct link_map* before = x->lm.l_prev;
  f->lm.l_prev = before, f->lm.l_next = &x->lm;
  before->l_next = &f->lm;
  x->lm.l_prev = &f->lm;
}

// ---- loading one object ---------------------------------------------------

// Reads, maps and parses one object for namespace ns. On failure nothing
// is left behind.
Expected<Module*> load_one(const char* name, const Input& raw, uint32_t ns) {
  ZstdSource zs;  // a .so.zst streams through this into the mapping
  Input in = raw;
  if (is_zstd(raw)) STATICDL_TRY(zs.open(name, raw, &in));
  Expected<ElfImage> img = read_elf(name, in);
  if (!img) return img.error();
  Module* m = new_module();
  if (!m) return no_memory(name);
  m->ns = ns;
  Status s = OwnedStr::make(name, &m->name) && origin_of(name, &m->origin) ? Status::ok() : Status(no_memory(name));
  CachedPages cache;
  bool want_cache = reloc_cache_wanted(*img, in);
  bool cached = want_cache && reloc_cache_find(name, *img, in, &cache);
  if (s) s = map_image(name, *img, in, *m, cached ? &cache : nullptr);
  if (s && want_cache) m->cache_key = in.key(), m->cache_store = !m->cache_mapped;
  if (s) s = parse_dynamic(name, *img, *m);
  if (s && img->tls >= 0) {
    bool need_static = (m->dyn.flags & DF_STATIC_TLS) || has_static_tls_relocs(*m);
    s = tls_register(name, *m, img->phdrs[static_cast<size_t>(img->tls)], need_static);
  }
  if (!s) {
    delete_module(m);
    return s.error();
  }
  if (raw.has_id()) m->dev = raw.dev, m->ino = raw.ino, m->has_identity = true;
  m->lm.l_addr = m->bias;
  m->lm.l_name = const_cast<char*>(m->name.c_str());
  m->lm.l_ld = reinterpret_cast<Elf64_Dyn*>(m->dyn.dynamic);
  debug(DebugLibs, "loaded file=%s [0x%lx, 0x%lx)", name, (unsigned long)(uintptr_t)m->image.data(),
        (unsigned long)((uintptr_t)m->image.data() + m->image.size()));
  return m;
}

// State shared with the search callback.
struct SearchState {
  const char* name;  // as asked for (a DT_NEEDED entry, a dlopen() argument)
  Module* loader;    // Module::loader of what is loaded
  Vec<Module*>* fresh;
  uint32_t ns;
  Module* found = nullptr;
  bool opened = false;
  Error err;
  bool noload = false;  // RTLD_NOLOAD: compare the file found, load nothing
};

bool try_candidate(const char* path, void* ctx) {
  SearchState& s = *static_cast<SearchState*>(ctx);
  Fd fd;
  Expected<Input> in = open_path(path, &fd);
  if (!in) {
    if (in.error().code() == Errc::NotFound) return false;  // keep searching
    s.err = in.error(), s.opened = true;
    return true;
  }
  s.opened = true;
  // In hybrid mode the file may be one the system loader has loaded under
  // another name: ld.so's identity check, on the file found here.
  if (host_provides_file(s.name, in->dev, in->ino)) return s.found = host_handle(), true;
  Module* known = find_by_identity(in->dev, in->ino, s.ns);
  for (Module* f : *s.fresh)
    if (!known && f->has_identity && f->dev == in->dev && f->ino == in->ino) known = f;
  if (known || s.noload) return s.found = known, true;
  Expected<Module*> m = load_one(path, *in, s.ns);
  if (!m) return s.err = m.error(), true;
  if (!s.fresh->push(*m)) {
    delete_module(*m);
    s.err = no_memory(path);
    return true;
  }
  (*m)->loader = s.loader;
  s.found = *m;
  return true;
}

// Finds or loads `name` in namespace ns for `from`'s DT_NEEDED entry, or
// for a dlopen call from `from` (nullptr: the host). As in glibc, only a
// dependency records `from` as its loader: the RPATH of a dlopen caller
// finds the object but is not searched for its dependencies.
Expected<Module*> find_or_load(const char* name, Module* from, bool dependency, uint32_t ns, Vec<Module*>& fresh) {
  Module* loader = dependency ? from : nullptr;
  if (Module* m = find_by_name(name, ns, fresh)) return m;
  const void* data;
  size_t size;
  if (!strchr(name, '/') && reg().embedded && reg().embedded(name, &data, &size)) {
    debug(DebugLibs, "find library=%s: embedded in the host", name);
    Expected<Module*> m = load_one(name, input_from_memory(data, size), ns);
    if (!m) return m.error();
    if (!fresh.push(*m)) return delete_module(*m), no_memory(name);
    (*m)->loader = loader;
    return *m;
  }
  SearchFrom sf;
  if (!search_from(from, &sf)) return no_memory(name);
  SearchState s{name, loader, &fresh, ns, nullptr, false, Error()};
  search_library(name, sf, try_candidate, &s);
  if (s.found) return s.found;
  if (s.opened) return s.err;
  return fail(Errc::NotFound, "%s: cannot open shared object file: No such file or directory", name);
}

// version_check.h: the module `file` names in m's namespace (`fresh`, the
// objects being loaded, included), else the host's library of that name.
bool find_dependency(const Module& m, const char* file, const SymbolTable** syms, const char** path, void* fresh) {
  Module* d = find_by_name(file, m.ns, *static_cast<Vec<Module*>*>(fresh));
  if (d) return *syms = &d->syms, *path = d->name.c_str(), true;
  return host_library_symbols(file, syms, path);
}

// Loads one DT_NEEDED, DT_FILTER or DT_AUXILIARY object of m, as glibc's
// _dl_map_object_deps: an auxiliary filtee that cannot be loaded is left
// out, without an error.
Status load_dependency(Module* m, const DepName& n, Vec<Module*>& fresh) {
  const char* dep = m->str(n.name);
  if (!dep) return fail(Errc::BadElf, "%s: %s string offset out of range", m->name.c_str(), dep_tag_name(n.kind));
  if (n.kind != DepKind::Needed)
    debug(DebugLibs, "load auxiliary object=%s requested by file=%s", dep, m->name.c_str());
  if (host_provides_library(dep)) return m->needs_host = true, Status::ok();
  Expected<Module*> d = find_or_load(dep, m, true, m->ns, fresh);
  if (!d && n.kind == DepKind::Auxiliary) return Status::ok();
  if (!d) return d.error();
  if (is_host_handle(*d)) return m->needs_host = true, Status::ok();
  if (n.kind != DepKind::Needed && !m->filtees.contains(*d) && !m->filtees.push(*d)) return no_memory(m->name.c_str());
  if (!m->deps.contains(*d) && !m->deps.push(*d)) return no_memory(m->name.c_str());
  return Status::ok();
}

// Loads the dependency closure of the new objects in `fresh`, breadth first.
Status load_dependencies(Vec<Module*>& fresh) {
  for (size_t i = 0; i < fresh.size(); i++)
    for (const DepName& n : fresh[i]->dyn.needed) STATICDL_TRY(load_dependency(fresh[i], n, fresh));
  return Status::ok();
}

// Relocates new objects, dependencies first, then applies RELRO.
Status relocate_fresh(Module* root, Vec<Module*>& fresh, RelocStats* st) {
  // Dependencies first, as glibc's sorted maps: an IFUNC resolver one
  // object calls while being relocated (libstdc++ binding libm's ceil) may
  // itself call through its own object's GOT (libm's resolvers ask ld.so
  // for the CPU features), which must be relocated by then.
  Vec<Module*> order;
  for (Module* m : root->bfs) m->mark = false;
  if (!post_order(root, &order)) return no_memory(root->name.c_str());
  for (Module* m : order) {
    if (m->relocated || !fresh.contains(m)) continue;
    if (!m->root) m->root = root;
    STATICDL_TRY(relocate(*m, st));
    m->relocated = true;
  }
  for (Module* m : fresh) STATICDL_TRY(apply_relro(m->name.c_str(), *m));
  for (Module* m : fresh) tls_publish_static(*m);
  return Status::ok();
}

// ---- init and fini ----------------------------------------------------------

void call_fini(Module* m) {
  if (m->fini_done || !m->init_started) return;
  m->fini_done = true;
  call_finalizers(*m);
  if (reg().finalize) reg().finalize(*m);
}

// Dependencies first (post-order); each object once.
void run_init(Module* m) {
  if (m->init_started) return;
  m->init_started = true;
  for (Module* d : m->deps) run_init(d);
  if (!reg().init_order.push(m)) { /* fini order then falls back to load order */ }
  call_initializers(*m);
  m->initialized = true;
}

// ---- unloading ----------------------------------------------------------------

// No module keeps an edge to m once it is gone (collect() unloads only what
// no live module reaches, so this matters for a dlopen rolled back).
void forget_reldeps(Module* m) {
  for (Module* o : reg().modules) {
    o->reldeps.remove(m);
    if (o->loader == m) o->loader = nullptr;
  }
}

void destroy(Module* m) {
  if (g_last_containing == m) g_last_containing = nullptr;
  if (reg().unloading) reg().unloading(*m);
  link_map_remove(m);
  g_caller_scoped_modules -= m->deepbind || m->ns;
  reg().modules.remove(m);
  forget_reldeps(m);
  reg().globals[m->ns].remove(m);
  // An emptied namespace gives its storage back (the next one allocates
  // anew, which robustness.fault then fails in turn).
  if (m->ns && reg().globals[m->ns].empty()) reg().globals[m->ns] = Vec<Module*>();
  reg().init_order.remove(m);
  debug(DebugLibs, "unloaded file=%s", m->name.c_str());
  delete_module(m);
}

// Frees objects loaded by a failed dlopen (never initialized).
void discard(Vec<Module*>& fresh) {
  for (Module* m : fresh) forget_reldeps(m);
  for (Module* m : fresh) delete_module(m);
  fresh.clear();
}

void mark(Module* m) {
  if (m->mark) return;
  m->mark = true;
  for (Module* d : m->deps) mark(d);
  for (Module* d : m->reldeps) mark(d);
}

// Unloads every module not reachable from an open or NODELETE module.
void collect_once() {
  Registry& r = reg();
  g_last_valid_handle = nullptr;  // it may be one of those unloaded below
  for (Module* m : r.modules) m->mark = false;
  for (Module* m : r.modules)
    if (m->open_count > 0 || m->nodelete || m->pins > 0) mark(m);
  Vec<Module*> dead;
  auto doomed = [](Module* m) { return !m->mark && m->open_count >= 0; };  // -1: an outer collect() owns it
  for (size_t i = r.init_order.size(); i-- > 0;)
    if (doomed(r.init_order[i]) && !dead.push(r.init_order[i])) return;  // no memory: keep them loaded
  for (Module* m : r.modules)
    if (doomed(m) && !dead.contains(m) && !dead.push(m)) return;
  for (Module* m : dead) m->open_count = -1;  // being unloaded: invisible to nested closes
  for (Module* m : dead) call_fini(m);
  for (Module* m : dead) destroy(m), r.subs++;
}

// collect_once() until nothing more becomes unreachable. A dlclose from a
// finalizer that collect_once() runs only drops its count, and the objects
// it let go are unloaded after the outer pass (glibc's _dl_close_worker:
// dl_close_state "rerun"), so they are finalized after that finalizer
// returns, not inside it.
void collect() {
  static bool collecting = false, again = false;
  if (collecting) return (void)(again = true);
  collecting = true;
  do {
    again = false;
    collect_once();
  } while (again);
  collecting = false;
}

}  // namespace

// ---- public -----------------------------------------------------------------

Module* host_handle() {
  Registry& r = reg();
  if (!r.host_ready) {
    const HostInfo& h = host_layout();
    (void)OwnedStr::make("", &r.host.name);
    r.host.lm.l_addr = h.bias;
    r.host.lm.l_name = const_cast<char*>(r.host.name.c_str());
    r.host_ready = true;
  }
  return &r.host;
}

void keep_loaded(Module* user, Module* def) {
  if (!def || def == user || def->is_host || def->nodelete) return;
  if (user->is_host) {
    def->nodelete = true;
    debug(DebugLibs, "file=%s is now NODELETE: bound from the host", def->name.c_str());
    return;
  }
  if (user->deps.contains(def) || user->reldeps.contains(def)) return;
  if (!user->reldeps.push(def)) {  // no memory for the edge: the safe side
    def->nodelete = true;
    return;
  }
  debug(DebugLibs, "file=%s needed by %s (relocation dependency)", def->name.c_str(), user->name.c_str());
}

const Vec<Module*>& loaded_modules() { return reg().modules; }
const Vec<Module*>& global_scope(uint32_t ns) { return reg().globals[ns]; }
size_t g_caller_scoped_modules = 0;
uint64_t load_count() { return reg().adds; }
uint64_t unload_count() { return reg().subs; }
void set_finalize_hook(FinalizeHook hook) { reg().finalize = hook; }
void set_embedded_lookup(EmbeddedLookup lookup) { reg().embedded = lookup; }
void set_module_hooks(ModuleHook loaded, ModuleHook unloading) {
  reg().loaded = loaded;
  reg().unloading = unloading;
}

Module* g_last_valid_handle = nullptr;

Module* find_handle(void* h) {
  Registry& r = reg();
  if (h == &r.host) return g_last_valid_handle = host_handle();
  for (Module* m : r.modules)
    if (m == h && m->open_count > 0) return g_last_valid_handle = m;
  return nullptr;
}

bool is_loaded_module(const void* m) {
  for (Module* x : reg().modules)
    if (x == m) return true;
  return false;
}

Module* module_containing(uintptr_t addr) {
  if (g_last_containing && addr - g_last_segment->start < g_last_segment->memsz) return g_last_containing;
  for (Module* m : reg().modules) {
    if (!m->contains(addr)) continue;
    for (const Segment& s : m->segments)
      if ((s.prot & PROT_READ) && addr - s.start < s.memsz) return g_last_segment = &s, g_last_containing = m;
  }
  return nullptr;
}

// Marks `root`'s scope global (RTLD_GLOBAL) in its namespace, as glibc
// promotes a whole group.
static Status make_global(Module* root) {
  for (Module* m : root->bfs) {
    if (m->global) continue;
    if (!reg().globals[m->ns].push(m)) return no_memory(root->name.c_str());
    m->global = true;
  }
  return Status::ok();
}

static Expected<Module*> reuse(Module* m, int flags) {
  if (flags & RTLD_NODELETE) m->nodelete = true;
  if (flags & RTLD_GLOBAL) STATICDL_TRY(make_global(m));
  m->open_count++;
  return m;
}

// RTLD_NOLOAD of a name no loaded object has: as glibc, the file the search
// finds first is opened and compared with the loaded ones (another path to
// a loaded file, a symlink); nullptr, and no error, when it is not loaded,
// and the open's error when there is no such file.
static Expected<Module*> find_loaded_file(const char* name, Module* caller, uint32_t ns) {
  Vec<Module*> none;
  SearchFrom sf;
  SearchState s{name, nullptr, &none, ns, nullptr, false, Error(), true};
  if (!search_from(caller, &sf)) return no_memory(name);
  search_library(name, sf, try_candidate, &s);
  if (s.found || (s.opened && s.err.code() == Errc::None)) return s.found;
  if (s.opened) return s.err;
  return fail(Errc::NotFound, "%s: cannot open shared object file: No such file or directory", name);
}

// Loads the root object named by req into `fresh` (or finds it loaded) in
// namespace ns.
static Expected<Module*> load_root(const OpenRequest& req, Module* caller, uint32_t ns, Vec<Module*>& fresh) {
  if (req.path) {
    if (!(req.flags & RTLD_NOLOAD)) return find_or_load(req.path, caller, false, ns, fresh);
    Module* m = find_by_name(req.path, ns, fresh);
    return m ? m : find_loaded_file(req.path, caller, ns);
  }
  const char* name = req.name;
  Input in;
  if (req.mem) {
    in = input_from_memory(req.mem, req.size);
  } else {
    Expected<Input> fin = input_from_fd(name, req.fd);
    if (!fin) return fin.error();
    in = *fin;
    if (host_provides_file(nullptr, in.dev, in.ino)) return host_handle();
    if (Module* m = find_by_identity(in.dev, in.ino, ns)) return m;
  }
  if (req.flags & RTLD_NOLOAD) return nullptr;
  Expected<Module*> m = load_one(name, in, ns);
  if (!m) return m.error();
  if (!fresh.push(*m)) return delete_module(*m), no_memory(name);
  return *m;
}

Expected<Module*> open_object(const OpenRequest& req, Module* caller) {
  if (!req.path && req.fd < 0 && !req.mem) return host_handle();
  if (req.path && !*req.path) return host_handle();  // glibc: "" is the program's name
  if (req.path && host_provides_library(req.path)) return host_handle();
  Expected<uint32_t> ns = target_namespace(req.ns, caller, req.path ? req.path : req.name);
  if (!ns) return ns.error();
  bool new_namespace = *ns && !namespace_in_use(*ns);
  RelocCacheScope cache_scope;
  Vec<Module*> fresh;
  uint64_t t_load = debug_clock_ns(DebugStatistics);
  Expected<Module*> root = load_root(req, caller, *ns, fresh);
  if (!root) return discard(fresh), root.error();
  if (*root && is_host_handle(*root)) return *root;
  if (!*root || !fresh.contains(*root)) return *root ? reuse(*root, req.flags) : nullptr;
  Module* r = *root;
  RelocStats stats;
  Status s = load_dependencies(fresh);
  for (Module* m : fresh) {
    m->run_code = req.run_init, m->lazy = lazy_mode(req.flags);
    m->deepbind = (req.flags & kRtldDeepbind) != 0;  // the whole new tree, as in glibc
  }
  Vec<FilteeMove> moves;
  for (size_t i = 0; s && i < fresh.size(); i++)
    if (!compute_bfs(fresh[i], fresh[i] == r ? &moves : nullptr)) s = no_memory(r->name.c_str());
  for (size_t i = 0; s && i < fresh.size(); i++) s = check_needed_versions(*fresh[i], find_dependency, &fresh);
  uint64_t t_reloc = debug_clock_ns(DebugStatistics);
  if (s) s = relocate_fresh(r, fresh, &stats);
  uint64_t t_end = debug_clock_ns(DebugStatistics);
  if (s && !reg().modules.reserve(reg().modules.size() + fresh.size())) s = no_memory(r->name.c_str());
  if (!s) return discard(fresh), s.error();
  for (Module* m : fresh) {
    (void)reg().modules.push(m);
    g_caller_scoped_modules += m->deepbind || m->ns;
    m->serial = ++reg().serial;
    link_map_append(m);
    reg().adds++;
    if (reg().loaded) reg().loaded(*m);
  }
  for (const FilteeMove& mv : moves) link_map_move_before(mv.filtee, mv.filter);
  debug(DebugStatistics, "%s: %zu objects, relocations: %lu relative, %lu symbolic, %lu irelative", r->name.c_str(),
        fresh.size(), (unsigned long)stats.relative, (unsigned long)stats.symbolic, (unsigned long)stats.irelative);
  debug(DebugStatistics, "%s: time: loading %lu us, relocation %lu us (of which copy-on-write of writable pages %lu us)",
        r->name.c_str(), (unsigned long)((t_reloc - t_load) / 1000), (unsigned long)((t_end - t_reloc) / 1000),
        (unsigned long)(stats.populate_ns / 1000));
  // A namespace's first object and its dependencies are its global scope
  // (glibc's `_ns_loaded->l_searchlist`).
  Status g = new_namespace ? make_global(r) : Status::ok();
  Expected<Module*> out = g ? reuse(r, req.flags) : Expected<Module*>(g.error());
  if (!out) return collect_once(), out.error();  // no memory: the new objects go again, now
  cache_scope.end();  // initializers may close descriptors, or dlopen themselves
  if (req.run_init) run_init(r);
  return out;
}

Status close_object(Module* h) {
  if (h == &reg().host) return Status::ok();
  if (h->open_count <= 0) return fail(Errc::BadHandle, "shared object not open");
  if (h == g_last_valid_handle) g_last_valid_handle = nullptr;  // its count may reach 0 below
  if (--h->open_count == 0) collect();
  return Status::ok();
}

void pin_module(Module* m) { m->pins++; }

void unpin_module(Module* m) {
  if (--m->pins == 0 && m->open_count == 0) collect();
}

// At exit glibc's _dl_fini takes the objects in load order and sorts them
// so that each comes before its dependencies: a reverse post-order of a
// walk that starts from the last-loaded object. Unrelated objects are
// therefore finalized first-loaded first (not in reverse init order).
void run_exit_finalizers() {
  Registry& r = reg();
  Vec<Module*> post;
  bool ok = post.reserve(r.modules.size());
  for (Module* m : r.modules) m->mark = false;
  for (size_t i = r.modules.size(); ok && i-- > 0;)
    if (!r.modules[i]->mark) ok = post_order(r.modules[i], &post);
  if (!ok) {  // no memory: reverse initialization order
    for (size_t i = r.init_order.size(); i-- > 0;) call_fini(r.init_order[i]);
    return;
  }
  for (size_t i = post.size(); i-- > 0;) call_fini(post[i]);
}

}  // namespace staticdl
