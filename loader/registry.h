// The set of loaded objects: opening (with dependencies), closing,
// init/fini order, and the process-wide lock.
//
// Lifetime follows glibc: each dlopen() of an object adds one to its open
// count; an object stays loaded while it is reachable through DT_NEEDED
// edges from an object with a non-zero open count or marked NODELETE.
// dlclose() drops the count and unloads everything no longer reachable
// (a mark-and-sweep, so dependency cycles are freed too): finalizers run
// first, in reverse initialization order, then the memory is unmapped.
//
// Every entry point takes one recursive lock, so constructors and
// destructors may call dlopen/dlclose themselves.
#pragma once

#include <stddef.h>

#include "lock.h"
#include "module.h"
#include "namespace.h"

namespace staticdl {

extern RecursiveLock g_loader_lock;  // registry.cpp
inline void lock_loader() { g_loader_lock.lock(); }
inline void unlock_loader() { g_loader_lock.unlock(); }
struct LoaderLock {
  LoaderLock() { lock_loader(); }
  ~LoaderLock() { unlock_loader(); }
  LoaderLock(const LoaderLock&) = delete;
  LoaderLock& operator=(const LoaderLock&) = delete;
};

// What to open. Exactly one of path / fd / mem is used.
// glibc's RTLD_DEEPBIND (musl's <dlfcn.h> has none).
constexpr int kRtldDeepbind = 0x00008;

struct OpenRequest {
  const char* path = nullptr;  // nullptr with fd<0 and no mem: the host
  int fd = -1;
  const void* mem = nullptr;
  size_t size = 0;
  const char* name = nullptr;  // display name for fd/memory input
  int flags = 0;
  long ns = kNamespaceOfCaller;  // dlmopen's lmid (namespace.h)
  bool run_init = true;  // false: map and relocate only, run no plugin code
                         // (no init, no IFUNC resolvers): for the fuzzer
};

// The handle returned for dlopen(NULL) and for C-library names.
Module* host_handle();
// m == host_handle(), for a valid module m (without initializing the host).
inline bool is_host_handle(const Module* m) { return m->is_host; }

// Opens (or finds) an object and its dependencies, relocates and
// initializes them. Returns nullptr with no error for RTLD_NOLOAD misses.
Expected<Module*> open_object(const OpenRequest& req, Module* caller);

// Drops one open count of `h`; unloads what is no longer reachable.
Status close_object(Module* h);

// nullptr unless `h` is a live handle (a loaded module or the host handle).
// The last handle found valid is remembered until the next dlclose (or
// unload): a program's dlsym calls mostly go through one handle, and the
// search compares it with every loaded module.
extern Module* g_last_valid_handle;  // registry.cpp
Module* find_handle(void* h);
// m is a loaded module (a dependency, or one being closed, too).
bool is_loaded_module(const void* m);
inline Module* validate_handle(void* h) {
  if (h && h == g_last_valid_handle) return g_last_valid_handle;
  return find_handle(h);
}

// `user` bound a symbol to a definition in `def` (a relocation, or a
// dlsym(RTLD_DEFAULT) it called): `def` stays loaded as long as
// `user` does, even after its last dlclose. The host, which is never
// unloaded, pins `def` for good (NODELETE), as glibc does.
void keep_loaded(Module* user, Module* def);

// The module whose mapped segments contain addr, or nullptr (host/unknown).
Module* module_containing(uintptr_t addr);

// Loaded modules in load order (every namespace), and namespace ns's
// global scope after the host (RTLD_GLOBAL objects; namespace.h).
const Vec<Module*>& loaded_modules();
const Vec<Module*>& global_scope(uint32_t ns);
// Loaded modules opened with RTLD_DEEPBIND or outside namespace 0: while
// there are none, RTLD_DEFAULT need not find its caller's module before
// searching (its hot path reads this: a plain load).
extern size_t g_caller_scoped_modules;  // registry.cpp
inline bool caller_scope_matters() { return g_caller_scoped_modules != 0; }
uint64_t load_count();    // dlpi_adds
uint64_t unload_count();  // dlpi_subs

// Hook run for each module at unload and at exit, after its fini
// functions: the runtime's per-plugin __cxa_finalize.
using FinalizeHook = void (*)(Module& m);
void set_finalize_hook(FinalizeHook hook);

// The argc and argv passed to initializers, as glibc's ld.so does (their
// envp is the environment at the call). The signature of an .init_array
// entry: hybrid.cpp registers this function as one. envp is not kept.
void set_init_args(int argc, char** argv, char** envp);

// Keeps m loaded while a thread_local destructor of it is pending; the
// last unpin of an otherwise unused module unloads it.
void pin_module(Module* m);
void unpin_module(Module* m);

// Plugins embedded in the host (runtime/embedded.cpp): consulted for bare
// names before the file system.
using EmbeddedLookup = bool (*)(const char* name, const void** data, size_t* size);
void set_embedded_lookup(EmbeddedLookup lookup);

// Hooks run after a module is relocated (before its initializers) and
// before it is unmapped (after its finalizers): unwind-table registration.
using ModuleHook = void (*)(Module& m);
void set_module_hooks(ModuleHook loaded, ModuleHook unloading);

// Runs the finalizers of every loaded module (at exit); does not unmap.
void run_exit_finalizers();

}  // namespace staticdl
