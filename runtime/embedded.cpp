// Plugins embedded in the host binary (cmake/StaticdlEmbed.cmake).
//
// The host may define a table of compressed (or plain) images:
//   const struct staticdl_embedded staticdl_embedded_plugins[];
//   const unsigned long staticdl_embedded_count;
// Both are referenced weakly here, so hosts without embedded plugins link
// as before. staticdl_open_embedded(name) loads an entry from memory; the
// loader also consults the table for bare DT_NEEDED names, so an embedded
// plugin's dependencies can be embedded too, and a tool and its plugins ship
// as one file.
#include <stdlib.h>
#include <string.h>

#include <staticdl/staticdl.h>

#include "registry.h"
#include "runtime.h"

extern "C" {
extern const struct staticdl_embedded staticdl_embedded_plugins[] __attribute__((weak));
extern const unsigned long staticdl_embedded_count __attribute__((weak));
}

namespace {

const struct staticdl_embedded* find(const char* name) {
  if (!&staticdl_embedded_count || !staticdl_embedded_plugins) return nullptr;
  for (unsigned long i = 0; i < staticdl_embedded_count; i++)
    if (!strcmp(staticdl_embedded_plugins[i].name, name)) return &staticdl_embedded_plugins[i];
  return nullptr;
}

bool lookup(const char* name, const void** data, size_t* size) {
  const struct staticdl_embedded* e = find(name);
  if (!e) return false;
  *data = e->data, *size = e->size;
  return true;
}

}  // namespace

namespace staticdl {
void install_embedded_lookup() { set_embedded_lookup(lookup); }
}  // namespace staticdl

extern "C" void* staticdl_open_embedded(const char* name, int flags) {
  staticdl::install_embedded_lookup();
  const struct staticdl_embedded* e = name ? find(name) : nullptr;
  if (!e) return staticdl::set_dlerror("%s: no such embedded plugin", name ? name : "(null)"), nullptr;
  return staticdl_open_memory(e->data, e->size, e->name, flags);
}

extern "C" const char* const* staticdl_list_embedded(size_t* count) {
  static const char** names = nullptr;  // built once; the table never changes
  unsigned long n = &staticdl_embedded_count && staticdl_embedded_plugins ? staticdl_embedded_count : 0;
  if (count) *count = n;
  if (!n) return nullptr;
  staticdl::LoaderLock lock;
  if (!names) {
    const char** v = static_cast<const char**>(malloc((n + 1) * sizeof *v));
    if (!v) return nullptr;
    for (unsigned long i = 0; i < n; i++) v[i] = staticdl_embedded_plugins[i].name;
    v[n] = nullptr;
    names = v;
  }
  return names;
}
