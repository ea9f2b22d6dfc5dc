// The dlfcn entry points. Every function is defined once under a
// staticdl_ name (staticdl_dlopen, ...); what differs is how the host
// reaches them:
//   static host (the default): strong aliases dlopen, dlsym, dlclose,
//     dlerror, dladdr, dlinfo, dl_iterate_phdr and dlvsym replace the
//     stubs of static musl (dlmopen and dladdr1, which musl lacks, are
//     added). They
//     must all live in this one object: an archive member that defines
//     only some of them collides with libc's dlerror object ("duplicate
//     symbol: dlerror").
//   hybrid (STATICDL_HYBRID, a dynamically linked glibc host): no aliases;
//     the process keeps glibc's dlfcn, and only the modules staticdl loads
//     bind dlopen & co. to these (as builtin overrides, lookup.h step 0),
//     so their own dlopen calls stay inside staticdl. See hybrid.cpp.
//
// This is the only place where loader errors become strings: each entry
// point turns an Error into the calling thread's dlerror() text.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <staticdl/staticdl.h>

#include "expected.h"
#include "host.h"
#include "lookup.h"
#include "registry.h"
#include "reloc_cache.h"
#include "runtime.h"
#include "search.h"
#include "tls.h"

extern "C" int __cxa_atexit(void (*fn)(void*), void* arg, void* dso);

namespace staticdl {
#if !STATICDL_HYBRID
extern int g_init_args_linked;  // init_args.cpp
#endif
namespace {

// ---- dlerror: per thread --------------------------------------------------

struct ErrorSlot {
  char text[Error::kMax];
  bool pending;
};
thread_local ErrorSlot t_error;

// glibc's _dlerror_run: dlopen, dlmopen, dlclose, dlsym, dlvsym and dlinfo
// forget an error nobody read when they start, so dlerror() after one that
// succeeded is NULL (one a nested call made, from a constructor, stays).
inline void forget_error() { t_error.pending = false; }

void set_error(const Error& e) {
  snprintf(t_error.text, sizeof t_error.text, "%s", e.message());
  t_error.pending = true;
}
// Copies the len bytes at s to d in 8-byte moves, the last one
// overlapping: a miss's text is three short copies, and musl's memcpy
// starts a rep movsq and moves unaligned heads and tails a byte at a time
// (a miss took 38 to 50 ns depending on the length of the object's path,
// 19 ns with this). glibc's memcpy (hybrid mode) is fast.
void copy_text(char* d, const char* s, size_t len) {
#if STATICDL_HYBRID
  memcpy(d, s, len);
#else
  if (len >= 8) {
    for (size_t i = 0; i + 8 < len; i += 8) memcpy(d + i, s + i, 8);
    memcpy(d + len - 8, s + len - 8, 8);
  } else if (len >= 4) {
    memcpy(d, s, 4), memcpy(d + len - 4, s + len - 4, 4);
  } else if (len > 0) {
    d[0] = s[0], d[len / 2] = s[len / 2], d[len - 1] = s[len - 1];
  }
#endif
}

// Appends the len bytes at s to the dlerror text at *n (truncating,
// always terminated).
void append(size_t* n, const char* s, size_t len) {
  size_t room = sizeof t_error.text - 1 - *n;
  if (len > room) len = room;
  copy_text(t_error.text + *n, s, len);
  *n += len;
  t_error.text[*n] = 0;
}
void append(size_t* n, const char* s) { append(n, s, strlen(s)); }

void set_error_text(const char* fmt, const char* arg) {
  snprintf(t_error.text, sizeof t_error.text, fmt, arg);
  t_error.pending = true;
}

// ---- builtins ---------------------------------------------------------------

// The dlfcn set: fallbacks in a static host (whose own definitions come
// first when it exports them), overrides in hybrid mode (glibc's libc.so.6
// defines them all).
#define STATICDL_DLFCN_SET                                                       \
  {"dlopen", reinterpret_cast<void*>(&staticdl_dlopen)},                         \
  {"dlmopen", reinterpret_cast<void*>(&staticdl_dlmopen)},                       \
  {"dlsym", reinterpret_cast<void*>(&staticdl_dlsym)},                           \
  {"dlclose", reinterpret_cast<void*>(&staticdl_dlclose)},                       \
  {"dlerror", reinterpret_cast<void*>(&staticdl_dlerror)},                       \
  {"dladdr", reinterpret_cast<void*>(&staticdl_dladdr)},                         \
  {"dladdr1", reinterpret_cast<void*>(&staticdl_dladdr1)},                       \
  {"dlinfo", reinterpret_cast<void*>(&staticdl_dlinfo)},                         \
  {"dlvsym", reinterpret_cast<void*>(&staticdl_dlvsym)},                         \
  {"dl_iterate_phdr", reinterpret_cast<void*>(&staticdl_dl_iterate_phdr)},       \
  {"_dl_find_object", reinterpret_cast<void*>(&staticdl_dl_find_object)},

BuiltinSymbol kOverrides[] = {  // not const: runtime_init moves __tls_get_addr
    {"__cxa_atexit", reinterpret_cast<void*>(&staticdl_cxa_atexit)},
    {"__cxa_finalize", reinterpret_cast<void*>(&staticdl_cxa_finalize)},
    {"atexit", reinterpret_cast<void*>(&staticdl_atexit)},
    {"pthread_atfork", reinterpret_cast<void*>(&staticdl_pthread_atfork)},
    {"__register_atfork", reinterpret_cast<void*>(&staticdl_register_atfork)},
    {"__tls_get_addr", reinterpret_cast<void*>(&staticdl_tls_get_addr)},
    {"__cxa_thread_atexit_impl", reinterpret_cast<void*>(&staticdl_cxa_thread_atexit_impl)},
    {"pthread_key_create", reinterpret_cast<void*>(&staticdl_pthread_key_create)},
    {"pthread_key_delete", reinterpret_cast<void*>(&staticdl_pthread_key_delete)},
#if STATICDL_HYBRID
    STATICDL_DLFCN_SET
#endif
};
const BuiltinSymbol kFallbacks[] = {
#if !STATICDL_HYBRID
    STATICDL_DLFCN_SET
#endif
    {"staticdl_open_fd", reinterpret_cast<void*>(&staticdl_open_fd)},
    {"staticdl_open_memory", reinterpret_cast<void*>(&staticdl_open_memory)},
};

void finalize_hook(Module& m) {
  finalize_module(m);
  forget_fork_handlers(m);
  delete_module_keys(m);
}
void exit_hook(void*) {
  run_thread_dtors_at_exit();  // the exiting thread's thread_local objects first, as glibc does
  LoaderLock lock;
  run_exit_finalizers();
}

// Called under the lock before anything is loaded; the test inline, as
// every dlsym makes it.
bool g_runtime_ready = false;
#if !STATICDL_HYBRID
// init_args.cpp's constructor finds the program's argc and argv for
// initializers; this reference links it into every static host.
__attribute__((used)) int* const g_init_args_ref = &g_init_args_linked;
#endif

void runtime_init_once();
inline void runtime_init() {
  if (__builtin_expect(!g_runtime_ready, 0)) runtime_init_once();
}
void runtime_init_once() {
  g_runtime_ready = true;
  for (BuiltinSymbol& b : kOverrides) b.addr = tls_entry(b.addr);
  set_builtin_tables(kOverrides, sizeof kOverrides / sizeof *kOverrides, kFallbacks,
                     sizeof kFallbacks / sizeof *kFallbacks);
  set_finalize_hook(finalize_hook);
#if STATICDL_HYBRID
  install_hybrid_host();
#endif
  install_unwind_hooks();
  install_embedded_lookup();
  // Plugins' finalizers run at exit, before the host's own destructors.
  __cxa_atexit(exit_hook, nullptr, nullptr);
}

Module* caller_module(const void* ret) { return module_containing(reinterpret_cast<uintptr_t>(ret)); }

// A mode bit glibc's dlopen does not know (dlopen_doit; 0x40000000 is its
// internal __RTLD_SPROF) sets its error; dlmopen does not check them.
bool unknown_mode_bits(int flags) {
  constexpr int kKnown = RTLD_LAZY | RTLD_NOW | RTLD_NOLOAD | kRtldDeepbind | RTLD_GLOBAL | RTLD_NODELETE | 0x40000000;
  if (!(flags & ~kKnown)) return false;
  set_error_text("%sinvalid mode parameter", "");
  return true;
}

void* open_common(OpenRequest req, const void* ret) {
  forget_error();
  if (!(req.flags & (RTLD_LAZY | RTLD_NOW))) {
    const char* name = req.path ? req.path : req.name;
    if (name) set_error_text("%s: invalid mode for dlopen(): Invalid argument", name);
    else set_error_text("%sinvalid mode for dlopen(): Invalid argument", "");
    return nullptr;
  }
  LoaderLock lock;
  runtime_init();
#if STATICDL_HYBRID
  hybrid_refresh();
#endif
  Expected<Module*> m = open_object(req, caller_module(ret));
  if (!m) return set_error(m.error()), nullptr;
  return *m;
}

// "<obj>: undefined symbol: <name>[, version <version>]". Misses are common
// (probing for optional symbols): built without printf, the name's length
// known from hashing. <obj> is glibc's: the handle's object, and for
// RTLD_DEFAULT and RTLD_NEXT the caller's; the program is named by its
// argv[0].
void* undefined_symbol(void* handle, Module* h, const SymName& n, const char* version, const void* ret) {
  if (!h && (handle == RTLD_DEFAULT || handle == RTLD_NEXT)) h = caller_module(ret);
  const char* obj = h && !is_host_handle(h) ? h->name.c_str() : program_invocation_name;
  if (!obj) obj = "<main program>";
  static const char kUndefined[] = ": undefined symbol: ";
  size_t len = 0;
  append(&len, obj), append(&len, kUndefined, sizeof kUndefined - 1), append(&len, n.name, n.len);
  if (version) append(&len, ", version "), append(&len, version);
  t_error.pending = true;
  return nullptr;
}

// The address dlsym returns for a definition (this thread's instance of a
// TLS variable, as glibc does; an IFUNC's resolved target), or nullptr with
// the dlerror text set.
void* definition_result(const Definition& d, const char* name) {
  bool module_tls = d.sym && ELF64_ST_TYPE(d.sym->st_info) == STT_TLS;
  if (!d.ifunc && !d.host_tls && !module_tls) return reinterpret_cast<void*>(d.value);  // plain code or data
  if (!definition_ok(d)) return set_error_text("%s: IFUNC resolver outside the code", name), nullptr;
  if (d.host_tls && d.tls_modid)
    return g_system_tls_get_addr ? g_system_tls_get_addr(d.tls_modid, d.value) : nullptr;
  if (d.host_tls) return static_cast<char*>(tls_block(kHostModid)) + d.value;
  if (module_tls)
    return d.module->tls.modid ? static_cast<char*>(tls_block(d.module->tls.modid)) + d.sym->st_value : nullptr;
  return reinterpret_cast<void*>(definition_address(d));
}

// dlinfo's RTLD_DI_TLS_MODID: 0 for an object without PT_TLS.
size_t handle_tls_modid(Module* m) {
  if (!is_host_handle(m)) return m->tls.modid;
  const HostInfo& h = host_info();
  for (uint16_t i = 0; i < h.phnum; i++)
    if (h.phdr[i].p_type == PT_TLS) return kHostModid;
  return 0;
}

// RTLD_DI_TLS_DATA: the calling thread's block, or nullptr if the object
// has no PT_TLS or the thread has not used the block yet (glibc's rule).
void* handle_tls_data(Module* m) {
  size_t id = handle_tls_modid(m);
  if (!id) return nullptr;
  if (is_host_handle(m) && g_system_tls_get_addr) return g_system_tls_get_addr(kHostModid, 0);  // hybrid: ld.so's
  return tls_block_if_allocated(id);
}

void* sym_common(void* handle, const char* name, const char* version, const void* ret) {
  forget_error();
  SymName n(name);  // before the lock: the hash's latency overlaps the lock's atomic
  LoaderLock lock;
  runtime_init();
  VersionReq v;
  if (version) v.name = version, v.hash = elf_hash(version), v.exact = true;
  Definition d;
  bool found;
  Module* h = nullptr;
  if (handle == RTLD_DEFAULT) {
    found = lookup_default(ret, n, v, &d);
#if STATICDL_HYBRID
    // ld.so may have loaded RTLD_GLOBAL objects since the last look: they
    // come after everything already indexed, so only a miss can change.
    if (!found && hybrid_refresh()) found = lookup_default(ret, n, v, &d);
#endif
  } else if (handle == RTLD_NEXT) {
    found = lookup_next(caller_module(ret), n, v, &d);
  } else {
    h = validate_handle(handle);
    if (!h) return set_error_text("%sinvalid handle", ""), nullptr;
    found = lookup_in_handle(h, n, v, &d);
  }
  if (!found) return undefined_symbol(handle, h, n, version, ret);
  // The caller is bound to it now (not for RTLD_NEXT: glibc's do_sym); a
  // NODELETE definer (as every one the host found before is) needs nothing.
  if (d.module && handle == RTLD_DEFAULT && !d.module->nodelete) {
    Module* caller = caller_module(ret);
    keep_loaded(caller ? caller : host_handle(), d.module);
  }
  return definition_result(d, name);
}

}  // namespace

void set_dlerror(const char* fmt, const char* arg) { set_error_text(fmt, arg); }

}  // namespace staticdl

using namespace staticdl;

extern "C" {

void* staticdl_dlopen(const char* file, int flags) {
  if (unknown_mode_bits(flags)) return nullptr;
  OpenRequest r;
  r.path = file, r.flags = flags;
  return open_common(r, __builtin_return_address(0));
}

// glibc's checks before its _dl_open, with its texts.
void* staticdl_dlmopen(long lmid, const char* file, int flags) {
  if (lmid != 0 && !file) return set_error_text("%sinvalid namespace: Invalid argument", ""), nullptr;
  if (lmid != 0 && (flags & RTLD_GLOBAL)) return set_error_text("%sinvalid mode: Invalid argument", ""), nullptr;
  OpenRequest r;
  r.path = file, r.flags = flags, r.ns = lmid;
  return open_common(r, __builtin_return_address(0));
}

void* staticdl_open(const char* file, int flags) {
  if (unknown_mode_bits(flags)) return nullptr;
  OpenRequest r;
  r.path = file, r.flags = flags;
  return open_common(r, __builtin_return_address(0));
}

void* staticdl_open_fd(int fd, const char* name, int flags) {
  char buf[32];
  if (!name) snprintf(buf, sizeof buf, "fd:%d", fd), name = buf;
  if (fd < 0) return set_error_text("%s: cannot read file data: Bad file descriptor", name), nullptr;
  if (unknown_mode_bits(flags)) return nullptr;
  OpenRequest r;
  r.fd = fd, r.name = name, r.flags = flags;
  return open_common(r, __builtin_return_address(0));
}

void* staticdl_open_memory(const void* data, size_t size, const char* name, int flags) {
  if (!name) name = "memory";
  if (!data) return set_error_text("%s: no image (NULL buffer)", name), nullptr;
  if (unknown_mode_bits(flags)) return nullptr;
  OpenRequest r;
  r.mem = data, r.size = size, r.name = name, r.flags = flags;
  return open_common(r, __builtin_return_address(0));
}

int staticdl_dlclose(void* handle) {
  forget_error();
  LoaderLock lock;
  Module* m = validate_handle(handle);
  if (!m) return set_error_text("%sshared object not open", ""), -1;
  Status s = close_object(m);
  if (!s) return set_error(s.error()), -1;
  return 0;
}

void* staticdl_dlsym(void* handle, const char* name) { return sym_common(handle, name, nullptr, __builtin_return_address(0)); }

void* staticdl_dlvsym(void* handle, const char* name, const char* version) {
  return sym_common(handle, name, version, __builtin_return_address(0));
}

char* staticdl_dlerror(void) {
  if (!t_error.pending) return nullptr;
  t_error.pending = false;
  return t_error.text;
}

int staticdl_dladdr(const void* addr, Dl_info* info) {
  LoaderLock lock;
  return find_address(addr, info);
}

int staticdl_dladdr1(const void* addr, Dl_info* info, void** extra, int flags) {
  LoaderLock lock;
  return find_address1(addr, info, extra, flags);
}

int staticdl_dlinfo(void* handle, int request, void* arg) {
  forget_error();
  LoaderLock lock;
  Module* m = validate_handle(handle);
  if (!m) return set_error_text("%sinvalid handle", ""), -1;
  switch (request) {
    case RTLD_DI_LMID:
      *static_cast<long*>(arg) = m->ns;  // the host handle's is 0 (LM_ID_BASE)
      return 0;
    case RTLD_DI_LINKMAP:
      *static_cast<struct link_map**>(arg) = &m->lm;
      return 0;
    case RTLD_DI_ORIGIN: {
      const char* o = is_host_handle(m) ? "" : m->origin.c_str();
      memcpy(arg, o, strlen(o) + 1);
      return 0;
    }
    case RTLD_DI_TLS_MODID:
      *static_cast<size_t*>(arg) = handle_tls_modid(m);
      return 0;
    case RTLD_DI_TLS_DATA:
      *static_cast<void**>(arg) = handle_tls_data(m);
      return 0;
    case RTLD_DI_SERINFO:
    case RTLD_DI_SERINFOSIZE:
      if (search_info(is_host_handle(m) ? nullptr : m, arg, request == RTLD_DI_SERINFOSIZE)) return 0;
      set_error_text("%scannot allocate memory", "");
      return -1;
    case RTLD_DI_PHDR: {  // glibc 2.36: the count is the return value
      const Elf64_Phdr* p = is_host_handle(m) ? host_info().phdr : m->phdrs.begin();
      *static_cast<const Elf64_Phdr**>(arg) = p;
      return is_host_handle(m) ? host_info().phnum : static_cast<int>(m->phdrs.size());
    }
    default:
      set_error_text("%sunsupported dlinfo request", "");
      return -1;
  }
}

int staticdl_dl_iterate_phdr(int (*cb)(struct dl_phdr_info*, size_t, void*), void* data) {
  LoaderLock lock;
  return iterate_phdr(cb, data);
}

int staticdl_foreach_symbol(void* handle, int (*fn)(const char*, void*, void*), void* data) {
  LoaderLock lock;
  Module* m = validate_handle(handle);
  if (!m || is_host_handle(m)) return set_error_text("%sinvalid handle", ""), -1;
  return foreach_symbol(m, fn, data);
}

int staticdl_add_symbol(const char* name, void* addr) {
  LoaderLock lock;
  return host_add_symbol(name, addr) ? 0 : -1;
}

int staticdl_add_symbols(const struct staticdl_symbol* symbols, size_t count) {
  LoaderLock lock;
  for (size_t i = 0; i < count; i++)
    if (!host_add_symbol(symbols[i].name, symbols[i].addr)) return -1;
  return 0;
}

int staticdl_add_search_dir(const char* dir) {
  LoaderLock lock;
  return add_search_dir(dir) ? 0 : -1;
}

int staticdl_set_reloc_cache(const char* dir) {
  LoaderLock lock;
  return reloc_cache_set_dir(dir) ? 0 : -1;
}

const char* staticdl_version(void) { return STATICDL_VERSION; }

#if !STATICDL_HYBRID
// The drop-ins of a static host: the same functions under libc's names.
#define STATICDL_ALIAS(name, target) __typeof__(target) name __attribute__((alias(#target)))
STATICDL_ALIAS(dlopen, staticdl_dlopen);
STATICDL_ALIAS(dlmopen, staticdl_dlmopen);
STATICDL_ALIAS(dlsym, staticdl_dlsym);
STATICDL_ALIAS(dlvsym, staticdl_dlvsym);
STATICDL_ALIAS(dlclose, staticdl_dlclose);
STATICDL_ALIAS(dlerror, staticdl_dlerror);
STATICDL_ALIAS(dladdr, staticdl_dladdr);
STATICDL_ALIAS(dladdr1, staticdl_dladdr1);
STATICDL_ALIAS(dlinfo, staticdl_dlinfo);
STATICDL_ALIAS(dl_iterate_phdr, staticdl_dl_iterate_phdr);
#endif

}  // extern "C"
