// Finding a DT_NEEDED or dlopen() name on disk.
//
// A name containing '/' is used as it is. Otherwise, as glibc does:
//   1. DT_RPATH of the requesting object (only when it has no DT_RUNPATH);
//   2. STATICDL_LIBRARY_PATH (ignored under AT_SECURE); in hybrid mode then
//      LD_LIBRARY_PATH, as ld.so read it at startup;
//   3. DT_RUNPATH of the requesting object;
//   4. in hybrid mode, /etc/ld.so.cache (ldcache.h);
//   5. directories added with staticdl_add_search_dir() (hybrid mode adds
//      ld.so's default directories first).
// Path lists are ':'-separated; an empty element means the current
// directory. In hybrid mode, DIR/glibc-hwcaps/<name>/ for each of the CPU's
// subdirectory names comes before each DIR, and ld.so.cache's entries for
// such builds count (hwcaps.h). $ORIGIN (or ${ORIGIN}), $LIB and $PLATFORM are expanded; under
// AT_SECURE an element that uses $ORIGIN is skipped, and so is an
// LD_LIBRARY_PATH element that does (ld.so would expand it to the
// executable's directory).
//
// The C library names (libc.so, libc.so.6, libm.so.6, libpthread.so.0,
// libdl.so.2, librt.so.1, ld-linux*, ld-musl*, ...) are provided by the
// host's own libc and are never searched for.
#pragma once

#include <stddef.h>

#include "containers.h"
#include "expected.h"

namespace staticdl {

// True when `name` (a DT_NEEDED entry or dlopen argument) names the C
// library that the host itself provides.
bool is_host_library(const char* name);

// Expands $ORIGIN/${ORIGIN}, $LIB/${LIB}, $PLATFORM/${PLATFORM} in `in`.
// Returns false when `in` uses an unknown substitution, when $ORIGIN is
// used but `origin` is null/empty or the process is AT_SECURE, or on no
// memory; the element is then skipped.
bool expand_dst(const char* in, const char* origin, bool secure, OwnedStr* out);

// The directory part of `path` ("." when there is none).
bool dirname_of(const char* path, OwnedStr* out);

// Search context of the object whose DT_NEEDED (or dlopen call) asks.
struct SearchFrom {
  const char* rpath = nullptr;    // DT_RPATH string, or null
  const char* runpath = nullptr;  // DT_RUNPATH string, or null
  const char* origin = nullptr;   // $ORIGIN of the requester
};

// Calls `try_path(path, ctx)` for each candidate in order until it returns
// true. Returns true if one did.
using TryPath = bool (*)(const char* path, void* ctx);
bool search_library(const char* name, const SearchFrom& from, TryPath try_path, void* ctx);

// staticdl_add_search_dir(); returns false on no memory.
bool add_search_dir(const char* dir);

}  // namespace staticdl
