// Finding a DT_NEEDED or dlopen() name on disk.
//
// A name containing '/' is used as it is, after $ORIGIN (the requester's
// directory), $LIB and $PLATFORM are expanded in it. Otherwise, as glibc does:
//   1. only when the requesting object has no DT_RUNPATH: its DT_RPATH,
//      then that of the object that loaded it (whose DT_NEEDED or dlopen
//      call brought it in), and on up, then the program's;
//   2. STATICDL_LIBRARY_PATH (ignored under AT_SECURE); in hybrid mode then
//      LD_LIBRARY_PATH, as ld.so read it at startup;
//   3. DT_RUNPATH of the requesting object;
//   4. in hybrid mode, /etc/ld.so.cache (ldcache.h);
//   5. directories added with staticdl_add_search_dir() (hybrid mode adds
//      ld.so's default directories first).
// A requester marked DF_1_NODEFLIB (-z nodefaultlib) skips 5, and the
// ld.so.cache entries that lie in those directories.
// Path lists are ':'-separated (the environment's also ';'-separated, as
// ld.so splits LD_LIBRARY_PATH); an empty element means the current
// directory. In hybrid mode, DIR/glibc-hwcaps/<name>/ for each of the CPU's
// subdirectory names comes before each DIR, and ld.so.cache's entries for
// such builds count (hwcaps.h). $ORIGIN (or ${ORIGIN}), $LIB and $PLATFORM are
// expanded; under AT_SECURE an element may use $ORIGIN only as glibc allows
// (OriginRule below), else it is skipped.
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

// Where $ORIGIN may expand (glibc's _dl_dst_substitute). Without AT_SECURE:
// anywhere. Under AT_SECURE: only where it starts the string and a '/' or
// the string's end follows (a string using it elsewhere is dropped); in
// the program's own strings (its DT_RPATH and DT_RUNPATH, its dlopen()
// names) the expanded string must also lie in one of the configured
// (default) directories or below one, glibc's trusted directories; in an
// environment search path, never.
enum class OriginRule : uint8_t { Anywhere, Leading, LeadingTrusted, Never };
// The rule for the program's strings (`program`) or an object's, in this process.
OriginRule origin_rule(bool program);

// Expands $ORIGIN/${ORIGIN}, $LIB/${LIB}, $PLATFORM/${PLATFORM} in `in`
// (glibc's rules: "$ORIGINx" is no variable; any other '$' stays as it is).
// Returns false when $ORIGIN is used but `origin` is null/empty or `rule`
// refuses it, or on no memory; the element is then skipped.
bool expand_dst(const char* in, const char* origin, OriginRule rule, OwnedStr* out);

// What $LIB expands to: "lib", unless set (hybrid mode: glibc's, which is
// its build's slibdir without the leading '/', so ld.so's first default
// directory: Debian's "lib/x86_64-linux-gnu"). Too long a value is ignored.
void set_dst_lib(const char* dir);

// The directory part of `path` ("." when there is none).
bool dirname_of(const char* path, OwnedStr* out);
// An object's $ORIGIN: the directory part of the path it is loaded from,
// made absolute with the current directory as glibc makes it (not
// normalized: "./libx.so" in /p gives "/p/."), so that it keeps its meaning
// when the program changes directory. A name without '/' (a display name
// for a descriptor or memory) gives ".".
bool origin_of(const char* path, OwnedStr* out);

// One DT_RPATH string and the $ORIGIN of the object it belongs to.
struct RpathList {
  const char* list;
  const char* origin;
  bool program = false;  // the program's own (OriginRule)
};

// Search context of the object whose DT_NEEDED (or dlopen call) asks
// (registry.h search_from() fills it).
struct SearchFrom {
  Vec<RpathList> rpaths;          // step 1, in order (unused with a runpath)
  const char* runpath = nullptr;  // DT_RUNPATH string, or null
  const char* origin = nullptr;   // $ORIGIN of the requester
  bool program = false;           // the requester is the program (OriginRule)
  bool nodeflib = false;          // DF_1_NODEFLIB
};

// Where a dlopen call from `m`, or m's DT_NEEDED entries, are searched for
// (nullptr: the host's dlopen calls): glibc's _dl_map_object. False on no
// memory.
struct Module;
bool search_from(const Module* m, SearchFrom* out);

// Calls `try_path(path, ctx)` for each candidate in order until it returns
// true. Returns true if one did.
using TryPath = bool (*)(const char* path, void* ctx);
bool search_library(const char* name, const SearchFrom& from, TryPath try_path, void* ctx);

// The directories of a path list split at any of `seps`, as glibc keeps
// them: expanded ($ORIGIN is `origin`, under `rule`), an empty element
// ".", trailing slashes removed, each once; appended to *out. False on no
// memory.
bool list_dirs(const char* list, const char* seps, const char* origin, OriginRule rule, Vec<OwnedStr>* out);

// Calls fn(dir, ctx) for each directory search_library() tries, in its
// order, without ld.so.cache and glibc-hwcaps subdirectories, trailing
// slashes removed and each list without repeats: glibc's RTLD_DI_SERINFO.
using DirFn = void (*)(const char* dir, void* ctx);
void search_dirs(const SearchFrom& from, DirFn fn, void* ctx);

// The program's directory ($ORIGIN for the program itself; empty when
// unknown). Read once.
const char* program_origin();

// staticdl_add_search_dir(); returns false on no memory.
bool add_search_dir(const char* dir);
// Tests only: forget every configured directory.
void clear_search_dirs_for_tests();

}  // namespace staticdl
