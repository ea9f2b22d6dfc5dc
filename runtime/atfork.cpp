// Per-plugin fork handlers (pthread_atfork).
//
// glibc links pthread_atfork into every object as __register_atfork(...,
// __dso_handle) (libc_nonshared.a), and the object's __cxa_finalize drops
// its handlers when it is unloaded. musl keeps every handler for the life
// of the process, so a fork after dlclose would call into an unmapped
// plugin. Plugins' references to pthread_atfork and __register_atfork (a
// glibc-built plugin's) bind here instead (builtin_override): handlers
// whose code lies in a plugin are kept in staticdl's list, run by one set
// of handlers registered with libc at the first such registration, and
// dropped at the plugin's unload (forget_fork_handlers). Handlers of the
// host go to libc as usual.
//
// As POSIX orders them, prepare handlers run newest first, parent and
// child handlers oldest first. g_lock is held from prepare to parent/child
// (glibc holds its atfork lock the same way), so a fork handler must not
// register another.
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include <new>

#include "registry.h"
#include "runtime.h"

#if STATICDL_HYBRID
extern "C" int __register_atfork(void (*prepare)(), void (*parent)(), void (*child)(), void* dso);
#endif

namespace staticdl {

namespace {

using Fn = void (*)();

struct ForkHandlers {
  Fn prepare, parent, child;
  uintptr_t dso;  // an address in the plugin that registered them
};

pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_once_t g_once = PTHREAD_ONCE_INIT;
bool g_installed = false;
// Oldest first. Never destroyed: a fork may come after static destructors.
Vec<ForkHandlers>& handlers() {
  alignas(Vec<ForkHandlers>) static unsigned char storage[sizeof(Vec<ForkHandlers>)];
  static Vec<ForkHandlers>* v = new (storage) Vec<ForkHandlers>();
  return *v;
}

void run_prepare() {
  pthread_mutex_lock(&g_lock);
  Vec<ForkHandlers>& v = handlers();
  for (size_t i = v.size(); i-- > 0;)
    if (v[i].prepare) v[i].prepare();
}
void run_parent() {
  for (const ForkHandlers& h : handlers())
    if (h.parent) h.parent();
  pthread_mutex_unlock(&g_lock);
}
void run_child() {
  for (const ForkHandlers& h : handlers())
    if (h.child) h.child();
  pthread_mutex_unlock(&g_lock);  // the forking thread's lock, now this process's only thread
}

void install() { g_installed = pthread_atfork(run_prepare, run_parent, run_child) == 0; }

// The plugin a handler set belongs to: the one holding `dso`, else the one
// holding the first handler's code; 0 for the host.
uintptr_t plugin_of(void* dso, Fn prepare, Fn parent, Fn child) {
  LoaderLock lock;
  for (uintptr_t a : {reinterpret_cast<uintptr_t>(dso), reinterpret_cast<uintptr_t>(prepare),
                      reinterpret_cast<uintptr_t>(parent), reinterpret_cast<uintptr_t>(child)})
    if (a && module_containing(a)) return a;
  return 0;
}

int add(uintptr_t dso, Fn prepare, Fn parent, Fn child) {
  pthread_once(&g_once, install);
  if (!g_installed) return ENOMEM;
  pthread_mutex_lock(&g_lock);
  bool ok = handlers().push(ForkHandlers{prepare, parent, child, dso});
  pthread_mutex_unlock(&g_lock);
  return ok ? 0 : ENOMEM;
}

}  // namespace

void forget_fork_handlers(const Module& m) {
  uintptr_t lo = reinterpret_cast<uintptr_t>(m.image.data()), hi = lo + m.image.size();
  pthread_mutex_lock(&g_lock);
  Vec<ForkHandlers>& v = handlers();
  size_t kept = 0;
  for (size_t i = 0; i < v.size(); i++)
    if (v[i].dso < lo || v[i].dso >= hi) v[kept++] = v[i];
  while (v.size() > kept) v.pop();
  pthread_mutex_unlock(&g_lock);
}

}  // namespace staticdl

using namespace staticdl;

extern "C" int staticdl_pthread_atfork(Fn prepare, Fn parent, Fn child) {
  if (uintptr_t dso = plugin_of(nullptr, prepare, parent, child)) return add(dso, prepare, parent, child);
  return pthread_atfork(prepare, parent, child);
}

extern "C" int staticdl_register_atfork(Fn prepare, Fn parent, Fn child, void* dso) {
  if (uintptr_t d = plugin_of(dso, prepare, parent, child)) return add(d, prepare, parent, child);
#if STATICDL_HYBRID
  return __register_atfork(prepare, parent, child, dso);
#else
  return pthread_atfork(prepare, parent, child);
#endif
}
