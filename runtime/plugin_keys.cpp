// Per-plugin pthread keys.
//
// A plugin that carries its own C++ runtime creates pthread keys (libc++abi's
// exception globals, libc++'s thread data) and never deletes them: on glibc
// the runtime is a shared libstdc++ that stays loaded. In a static musl
// host every load of such a plugin would use up more of musl's 128 keys, and
// a key's destructor would point into unmapped code after dlclose. So
// plugins' pthread_key_create/pthread_key_delete bind here: keys created
// from a plugin's code are recorded and deleted when it is unloaded, after
// its finalizers.
#include <pthread.h>
#include <stdlib.h>

#include "registry.h"
#include "runtime.h"

namespace staticdl {
namespace {

struct KeyRec {
  pthread_key_t key;
  uintptr_t lo, hi;  // the creating module's range
  KeyRec* next;
};

pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
KeyRec* g_keys = nullptr;

}  // namespace

void delete_module_keys(Module& m) {
  uintptr_t lo = reinterpret_cast<uintptr_t>(m.image.data()), hi = lo + m.image.size();
  pthread_mutex_lock(&g_lock);
  for (KeyRec** pp = &g_keys; *pp;) {
    KeyRec* r = *pp;
    if (r->lo != lo || r->hi != hi) {
      pp = &r->next;
      continue;
    }
    *pp = r->next;
    pthread_key_delete(r->key);
    free(r);
  }
  pthread_mutex_unlock(&g_lock);
}

}  // namespace staticdl

using namespace staticdl;

extern "C" __attribute__((noinline)) int staticdl_pthread_key_create(pthread_key_t* key, void (*dtor)(void*)) {
  int r = pthread_key_create(key, dtor);
  if (r != 0) return r;
  uintptr_t caller = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  Module* m;
  {
    LoaderLock lock;
    m = module_containing(caller);
    if (!m && dtor) m = module_containing(reinterpret_cast<uintptr_t>(dtor));
    if (!m) return 0;  // not a plugin's key
    KeyRec* rec = static_cast<KeyRec*>(malloc(sizeof(KeyRec)));
    if (!rec) return 0;  // the key works; it is just not reclaimed at unload
    uintptr_t lo = reinterpret_cast<uintptr_t>(m->image.data());
    *rec = KeyRec{*key, lo, lo + m->image.size(), nullptr};
    pthread_mutex_lock(&g_lock);
    rec->next = g_keys;
    g_keys = rec;
    pthread_mutex_unlock(&g_lock);
  }
  return 0;
}

extern "C" int staticdl_pthread_key_delete(pthread_key_t key) {
  pthread_mutex_lock(&g_lock);
  for (KeyRec** pp = &g_keys; *pp; pp = &(*pp)->next) {
    if ((*pp)->key != key) continue;
    KeyRec* r = *pp;
    *pp = r->next;
    free(r);
    break;
  }
  pthread_mutex_unlock(&g_lock);
  return pthread_key_delete(key);
}
