// Required symbol versions, checked at dlopen before anything is
// relocated, as glibc's _dl_check_map_versions checks them: every version
// an object's DT_VERNEED asks of a dependency must be defined by that
// dependency's DT_VERDEF, unless the requirement is weak (VER_FLG_WEAK) or
// the dependency defines no versions at all (a musl host's C library, an
// unversioned plugin). The failure is glibc's text, e.g.
//   /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found (required by /p/plugin.so)
// A version the object only mentions fails it too, as in glibc, not just
// one a relocation uses.
#pragma once

#include "module.h"

namespace staticdl {

// The loaded object that the DT_VERNEED file name `file` of `m` names (its
// symbol table and the path it was loaded from), or false when no loaded
// object has that name (then there is nothing to check).
using FindDependency = bool (*)(const Module& m, const char* file, const SymbolTable** syms, const char** path,
                                void* ctx);

Status check_needed_versions(const Module& m, FindDependency find, void* ctx);

}  // namespace staticdl
