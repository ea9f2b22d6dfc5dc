// Link-map namespaces (glibc's dlmopen), and which loaded object a name or
// a file means in one.
//
// Namespace 0 (LM_ID_BASE) is where the host's dlopen calls load.
// dlmopen(LM_ID_NEWLM, ...) takes the lowest free namespace of 1..15
// (glibc's DL_NNS is 16); a namespace is free again once nothing is loaded
// in it. Each namespace has its own copy of every object loaded into it,
// its own global scope and its own STB_GNU_UNIQUE definitions, as in glibc:
//   - an object already loaded in another namespace is loaded again (new
//     mapping, new data, its own initializers);
//   - a namespace's global scope is the first object loaded into it and
//     that object's dependencies (glibc's `_ns_loaded->l_searchlist`),
//     then what a plain dlopen(RTLD_GLOBAL) from inside the namespace
//     adds (dlmopen itself refuses RTLD_GLOBAL outside namespace 0);
//   - dlopen called by code of an object in namespace N loads into N
//     (glibc's __LM_ID_CALLER), so a plugin's own plugins stay with it.
// What is not copied: the host. glibc gives every namespace its own libc;
// staticdl's objects always bind to the host's one C library, so the
// host's symbols (in hybrid mode: ld.so's objects) come first in every
// namespace's global scope.
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include "containers.h"
#include "expected.h"

namespace staticdl {

struct Module;

// OpenRequest::ns values besides 0..kMaxNamespaces-1 (glibc's LM_ID_NEWLM
// and __LM_ID_CALLER).
constexpr long kNamespaceNew = -1;
constexpr long kNamespaceOfCaller = -2;
constexpr uint32_t kMaxNamespaces = 16;

// The namespace a request for `lmid` loads `name` into: the caller's, a
// free one (kNamespaceNew), or `lmid` itself if something is loaded there.
// Errors are glibc's texts ("...: invalid target namespace in dlmopen()").
Expected<uint32_t> target_namespace(long lmid, const Module* caller, const char* name);
// Whether some loaded module is in namespace ns.
bool namespace_in_use(uint32_t ns);

// The loaded module of namespace ns that is the file (dev, ino), or nullptr.
Module* find_by_identity(dev_t dev, ino_t ino, uint32_t ns);
// The loaded module of namespace ns that `name` means, or nullptr: a name
// without '/' matches a DT_SONAME or the basename an object was opened by,
// a path the path it was opened by. `extra` (objects being loaded, all in
// ns) is searched after the loaded ones.
Module* find_by_name(const char* name, uint32_t ns, const Vec<Module*>& extra);

}  // namespace staticdl
