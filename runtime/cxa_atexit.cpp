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
// libc's own __cxa_atexit/__cxa_finalize are never overridden. Plain
// atexit() from a plugin is routed the same way (staticdl_atexit).
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
Handler* g_free = nullptr;      // spare handlers

// Handlers come in blocks and go back to a free list, never to malloc: a
// large library's initializers register thousands (libLLVM-14: 3,038), and
// a malloc each cost as much as the rest of a registration. glibc's own
// __cxa_atexit fills blocks of 32 likewise. Under g_lock.
Handler* new_handler() {
  constexpr size_t kBlock = 64;
  if (!g_free) {
    Handler* b = static_cast<Handler*>(malloc(kBlock * sizeof(Handler)));
    if (!b) return nullptr;
    for (size_t i = 0; i < kBlock; i++) b[i].next = g_free, g_free = &b[i];
  }
  Handler* h = g_free;
  g_free = h->next;
  return h;
}

// Gives back `done` (the handler run last, or nullptr), then removes and
// returns the newest handler with lo <= dso < hi.
Handler* pop_in_range(uintptr_t lo, uintptr_t hi, Handler* done) {
  pthread_mutex_lock(&g_lock);
  if (done) done->next = g_free, g_free = done;
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
  for (Handler* h = nullptr; (h = pop_in_range(lo, hi, h)) != nullptr;) h->fn(h->arg);
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
  pthread_mutex_lock(&g_lock);
  Handler* h = new_handler();
  if (h) *h = Handler{fn, arg, d, g_handlers}, g_handlers = h;
  pthread_mutex_unlock(&g_lock);
  return h ? 0 : -1;
}

// Plain atexit() from a plugin. glibc links atexit into every object as
// __cxa_atexit(fn, NULL, __dso_handle) (libc_nonshared.a), so the handler
// runs when the object is unloaded; musl's atexit is libc's, which would
// run it at exit, after dlclose unmapped it. Plugins' references bind here
// (builtin_override) and the handler is kept with the plugin that holds its
// code: the address of fn stands for the dso handle (the caller's return
// address would name the wrong object after a tail call).
extern "C" int staticdl_atexit(void (*fn)(void)) {
  return staticdl_cxa_atexit(reinterpret_cast<void (*)(void*)>(fn), nullptr, reinterpret_cast<void*>(fn));
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

// ---- thread_local destructors ------------------------------------------------
//
// __cxa_thread_atexit_impl(dtor, obj, dso) is glibc's hook behind C++
// thread_local destructors; musl has none, so libc++abi in a plugin falls
// back to a pthread key of its own, whose destructor would run plugin code
// at thread exit even after dlclose. Plugins' weak references bind here
// instead. Destructors run at thread exit (newest first) and, for the
// thread calling exit(), before the plugins' finalizers, as glibc does.
// While one is pending, its plugin stays loaded (pin_module).

namespace staticdl {
namespace {

struct ThreadDtor {
  void (*fn)(void*);
  void* obj;
  Module* module;
  ThreadDtor* next;
};

__thread ThreadDtor* t_dtors __attribute__((tls_model("initial-exec")));
pthread_key_t g_dtor_key;
pthread_once_t g_dtor_once = PTHREAD_ONCE_INIT;

void run_dtors_of_thread(void*) {
  while (ThreadDtor* d = t_dtors) {
    t_dtors = d->next;
    d->fn(d->obj);
    if (d->module) {
      LoaderLock lock;
      unpin_module(d->module);
    }
    free(d);
  }
}

void make_dtor_key() { pthread_key_create(&g_dtor_key, run_dtors_of_thread); }

}  // namespace

void run_thread_dtors_at_exit() { run_dtors_of_thread(nullptr); }

}  // namespace staticdl

extern "C" int staticdl_cxa_thread_atexit_impl(void (*fn)(void*), void* obj, void* dso) {
  using namespace staticdl;
  ThreadDtor* d = static_cast<ThreadDtor*>(malloc(sizeof(ThreadDtor)));
  if (!d) return -1;
  pthread_once(&g_dtor_once, make_dtor_key);
  Module* m;
  {
    LoaderLock lock;
    m = module_containing(reinterpret_cast<uintptr_t>(dso));
    if (m) pin_module(m);
  }
  *d = ThreadDtor{fn, obj, m, t_dtors};
  t_dtors = d;
  pthread_setspecific(g_dtor_key, reinterpret_cast<void*>(1));  // non-null: the key destructor runs
  return 0;
}
