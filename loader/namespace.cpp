#include "namespace.h"

#include <string.h>

#include "registry.h"

namespace staticdl {

bool namespace_in_use(uint32_t ns) {
  for (const Module* m : loaded_modules())
    if (m->ns == ns) return true;
  return false;
}

Expected<uint32_t> target_namespace(long lmid, const Module* caller, const char* name) {
  if (lmid == kNamespaceOfCaller) return caller ? caller->ns : 0u;
  if (lmid == 0) return 0u;
  if (lmid == kNamespaceNew) {
    for (uint32_t ns = 1; ns < kMaxNamespaces; ns++)
      if (!namespace_in_use(ns)) return ns;
    return fail(Errc::Invalid, "%s: no more namespaces available for dlmopen(): Invalid argument", name);
  }
  if (lmid > 0 && lmid < static_cast<long>(kMaxNamespaces) && namespace_in_use(static_cast<uint32_t>(lmid)))
    return static_cast<uint32_t>(lmid);
  return fail(Errc::Invalid, "%s: invalid target namespace in dlmopen(): Invalid argument", name);
}

namespace {

const char* base_name(const char* p) {
  const char* s = strrchr(p, '/');
  return s ? s + 1 : p;
}

}  // namespace

Module* find_by_identity(dev_t dev, ino_t ino, uint32_t ns) {
  for (Module* m : loaded_modules())
    if (m->has_identity && m->dev == dev && m->ino == ino && m->ns == ns) return m;
  return nullptr;
}

Module* find_by_name(const char* name, uint32_t ns, const Vec<Module*>& extra) {
  bool path = strchr(name, '/') != nullptr;
  auto match = [&](Module* m) {
    if (path) return strcmp(m->name.c_str(), name) == 0;
    return (m->soname && !strcmp(m->soname, name)) || !strcmp(base_name(m->name.c_str()), name);
  };
  for (Module* m : loaded_modules())
    if (m->ns == ns && match(m)) return m;
  for (Module* m : extra)
    if (match(m)) return m;
  return nullptr;
}

}  // namespace staticdl
