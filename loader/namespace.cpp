#include "namespace.h"

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

}  // namespace staticdl
