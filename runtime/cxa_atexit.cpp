// Per-plugin __cxa_atexit and __cxa_finalize.
//
// A plugin registers destructors of its globals and function-local statics
// with __cxa_atexit(fn, arg, &__dso_handle). In a static musl host the
// libc version keeps them until exit, when the plugin's code may be gone,
// and musl's __cxa_finalize does nothing. So the loader binds plugins'
// references to these two functions instead (see builtin_override in
// dlfcn.cpp): handlers whose dso handle lies inside a plugin are kept per
// plugin and run, newest first, when it is unloaded or at exit. Anything
// else (dso == NULL, or the host's own handle) goes to libc as usual.
// libc's own __cxa_atexit/__cxa_finalize are never overridden.
#include <pthread.h>
#include <stdlib.h>

#include "registry.h"
#include "runtime.h"

extern "C" int __cxa_atexit(void (*fn)(void*), void* arg, void* dso);

namespace staticdl {

namespace {

struct Handler {
  void (*fn)(void*);
  void* arg;
  uintptr_t dso;
  Handler* next;
};

pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
Handler* g_handlers = nullptr;  // newest first

// Removes and returns the newest handler with lo <= dso < hi.
Handler* pop_in_range(uintptr_t lo, uintptr_t hi) {
  pthread_mutex_lock(&g_lock);
  Handler** pp = &g_handlers;
  while (*pp && !((*pp)->dso >= lo && (*pp)->dso < hi)) pp = &(*pp)->next;
  Handler* h = *pp;
  if (h) *pp = h->next;
  pthread_mutex_unlock(&g_lock);
  return h;
}

// Runs handlers one at a time, outside the lock, so a handler may register
// another or call dlclose.
void run_range(uintptr_t lo, uintptr_t hi) {
  while (Handler* h = pop_in_range(lo, hi)) {
    h->fn(h->arg);
    free(h);
  }
}

}  // namespace

extern "C" int staticdl_cxa_atexit(void (*fn)(void*), void* arg, void* dso) {
  uintptr_t d = reinterpret_cast<uintptr_t>(dso);
  bool in_plugin;
  {
    LoaderLock lock;
    in_plugin = d && module_containing(d) != nullptr;
  }
  if (!in_plugin) return __cxa_atexit(fn, arg, dso);
  Handler* h = static_cast<Handler*>(malloc(sizeof(Handler)));
  if (!h) return -1;
  *h = Handler{fn, arg, d, nullptr};
  pthread_mutex_lock(&g_lock);
  h->next = g_handlers;
  g_handlers = h;
  pthread_mutex_unlock(&g_lock);
  return 0;
}

extern "C" void staticdl_cxa_finalize(void* dso) {
  if (!dso) return;  // whole-process finalization is libc's exit()
  uintptr_t d = reinterpret_cast<uintptr_t>(dso);
  run_range(d, d + 1);
}

void finalize_module(Module& m) {
  uintptr_t lo = reinterpret_cast<uintptr_t>(m.image.data());
  run_range(lo, lo + m.image.size());
}

}  // namespace staticdl
