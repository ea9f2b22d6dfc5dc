// Internal interface between the dlfcn entry points (dlfcn.cpp) and the
// rest of the runtime. Not installed.
#pragma once

#include <dlfcn.h>
#include <link.h>
#include <pthread.h>

#include "module.h"

// glibc's lookup for libgcc's unwinder (unwind.cpp); staticdl's version
// is staticdl_dl_find_object (<staticdl/staticdl.h>).
extern "C" {
struct dl_find_object;
int _dl_find_object(void* pc, struct dl_find_object* result);
}

namespace staticdl {

// Introspection (introspect.cpp); called with the loader lock held.
int iterate_phdr(int (*cb)(struct dl_phdr_info*, size_t, void*), void* data);
int find_address(const void* addr, Dl_info* info);
int find_address1(const void* addr, Dl_info* info, void** extra, int flags);
int foreach_symbol(Module* m, int (*fn)(const char*, void*, void*), void* data);
// dlinfo's RTLD_DI_SERINFO (counting: RTLD_DI_SERINFOSIZE) for a dlopen
// from m (nullptr: the host). False on no memory.
bool search_info(const Module* m, void* serinfo, bool counting);
// Hybrid mode: adds ld.so's default directories to the search path
// (hybrid_paths.cpp).
void add_system_dirs();

// Per-plugin __cxa_atexit (cxa_atexit.cpp).
extern "C" int staticdl_cxa_atexit(void (*fn)(void*), void* arg, void* dso);
extern "C" void staticdl_cxa_finalize(void* dso);
extern "C" int staticdl_atexit(void (*fn)(void));
extern "C" int staticdl_pthread_atfork(void (*prepare)(), void (*parent)(), void (*child)());
extern "C" int staticdl_register_atfork(void (*prepare)(), void (*parent)(), void (*child)(), void* dso);
// Runs and forgets the handlers registered with a dso handle inside m.
void finalize_module(Module& m);
// Drops the fork handlers the module registered (atfork.cpp).
void forget_fork_handlers(const Module& m);

// Per-plugin pthread keys (plugin_keys.cpp).
extern "C" int staticdl_pthread_key_create(pthread_key_t* key, void (*dtor)(void*));
extern "C" int staticdl_pthread_key_delete(pthread_key_t key);
void delete_module_keys(Module& m);

// Sets the calling thread's dlerror() text (dlfcn.cpp).
void set_dlerror(const char* fmt, const char* arg);

// Embedded plugins (embedded.cpp).
void install_embedded_lookup();

// Hybrid mode (hybrid.cpp): the system loader's objects as the host scope.
void install_hybrid_host();
// Re-reads ld.so's objects if it loaded or unloaded any (under the lock,
// before each load, and after an RTLD_DEFAULT miss). True when it did.
bool hybrid_refresh();

// Unwinder support (unwind.cpp).
void install_unwind_hooks();

// thread_local destructors (cxa_atexit.cpp).
extern "C" int staticdl_cxa_thread_atexit_impl(void (*fn)(void*), void* obj, void* dso);
void run_thread_dtors_at_exit();

}  // namespace staticdl
