// The host executable as a symbol scope.
//
// A static host has no dynamic loader to tell us what it contains, so the
// loader finds the host's symbols itself, in this order:
//   1. the executable's own .dynsym (linked -rdynamic; static or static-pie),
//      found through AT_PHDR -> PT_DYNAMIC -> DT_SYMTAB/DT_GNU_HASH/DT_HASH;
//   2. otherwise .symtab read from /proc/self/exe (not stripped);
//   3. plus symbols added explicitly with staticdl_add_symbol(), which take
//      precedence over both.
// The host's load bias is AT_PHDR - PT_PHDR.p_vaddr (0 for non-PIE).
#pragma once

#include <elf.h>
#include <link.h>
#include <stddef.h>
#include <stdint.h>

#include "expected.h"
#include "hwcaps.h"
#include "symtab.h"

namespace staticdl {

enum class HostSource { None, Dynsym, Symtab };

struct HostInfo {
  uintptr_t bias = 0;
  const Elf64_Phdr* phdr = nullptr;
  uint16_t phnum = 0;
  const char* path = "";      // "/proc/self/exe" target, for dladdr/dlinfo
  HostSource source = HostSource::None;
  size_t nsymbols = 0;        // exported symbols found (statistics)
};

// Finds the host's symbols once; later calls return the same result.
// Not thread-safe by itself: call under the loader lock.
const HostInfo& host_info();

// Only bias, phdr and phnum (from the auxiliary vector): what TLS setup
// needs, without reading the executable's path and symbols. Same locking.
const HostInfo& host_layout();

// The executable's DT_RPATH (without DT_RUNPATH: glibc ignores it then),
// DT_RUNPATH and DF_1_NODEFLIB, from its PT_DYNAMIC: it takes part in the
// library search as glibc's main program does (search.h). Null and false
// for a static executable without them. Same locking as host_info().
struct HostPaths {
  const char* rpath = nullptr;
  const char* runpath = nullptr;
  bool nodeflib = false;
};
const HostPaths& host_paths();

// Address of the host's default definition of `n`, or nullptr.
// A versioned request binds to an unversioned host definition.
// An STT_GNU_IFUNC definition is resolved (its resolver called as ld.so
// calls it: Arch::call_ifunc); an STT_TLS definition has no address and
// yields nullptr (see host_find_symbol).
void* host_lookup(const SymName& n, const VersionReq& ver);

// The raw definition behind host_lookup: `value` is the runtime address
// (bias applied unless SHN_ABS; an IFUNC's resolver, not resolved), or for
// STT_TLS the symbol's offset in the host's TLS block (st_value).
// Explicit symbols report STT_NOTYPE and size 0.
struct HostSymbol {
  uintptr_t value = 0;
  uint64_t size = 0;
  unsigned char type = STT_NOTYPE;
  // STT_TLS: `value` is the variable's offset in module 1 (the host's
  // block, static TLS). In hybrid mode, a variable of an object the system
  // loader gave dynamic TLS has no such offset: tls_modid is that module's
  // id there, and `value` the offset in its block.
  uint64_t tls_modid = 0;
};
// `needed_by` (hybrid mode): search only the system objects that these
// modules' DT_NEEDED entries name, and their dependencies (dlsym on a
// handle); nullptr: the whole global scope.
struct Module;
template <typename T>
class Vec;
bool host_find_symbol(const SymName& n, const VersionReq& ver, HostSymbol* out,
                      const Vec<Module*>* needed_by = nullptr);

// Whether the host may define a name whose GNU hash is h_even or h_even | 1
// (filters only: true means "look it up"). For self_binding.h.
bool host_may_define(uint32_t h_even);

// The symbol table and path of a library the host provides by `name`
// (hybrid mode: one of the system loader's objects); false in a static
// host, whose C library defines no symbol versions (version_check.h).
bool host_library_symbols(const char* name, const SymbolTable** syms, const char** path);

// Adds or replaces an explicit host symbol. Returns false on no memory.
bool host_add_symbol(const char* name, void* addr);

// dladdr support: the host symbol whose [value, value+size) contains addr
// (or the nearest preceding one). Returns false when addr is not in the host.
bool host_find_address(uintptr_t addr, const char** sym_name, void** sym_addr);

// ---- hybrid mode ---------------------------------------------------------
// In a dynamically linked process the system loader (glibc's ld.so) has
// already loaded the executable and its dependencies. There the host scope
// is the system loader's global scope instead of the executable's own
// tables: the runtime (runtime/hybrid.cpp) installs these callbacks once,
// before the first load. Explicit symbols still come first.
struct SystemScope {
  // The default definition of n (or of version ver) in the system scope;
  // `value` is the resolved address (IFUNCs already called), or for
  // STT_TLS the offset from the executable's TLS block (module 1), which
  // holds for every object the system loader placed in static TLS.
  bool (*find)(const SymName& n, const VersionReq& ver, HostSymbol* out, const Vec<Module*>* needed_by);
  // True when the system loader has loaded an object by the name `name`
  // (a DT_NEEDED entry or dlopen() name: its soname or the path it was
  // loaded from): it is then never loaded twice. Answered from the system
  // loader's object list, without opening a file.
  bool (*has_library)(const char* name);
  // True when the file (st_dev, st_ino) is one of the system loader's
  // objects, however it was named: the identity check glibc makes after
  // opening a file, made on the file staticdl's own search opened for
  // `name` (nullptr: a caller's fd). As ld.so does, a match makes `name`
  // one of the object's names (has_library, and the needed-by scopes).
  bool (*has_file)(const char* name, uint64_t dev, uint64_t ino);
  // host_may_define() for the system objects (nullptr: always "maybe").
  bool (*may_define)(uint32_t h_even);
  // LD_LIBRARY_PATH as ld.so read it at startup (nullptr: unset, or the
  // process is AT_SECURE), searched as ld.so searches it (search.h).
  const char* (*library_path)();
  // The glibc-hwcaps subdirectories ld.so prefers on this CPU (hwcaps.h;
  // nullptr: none), tried in every search directory and in ld.so.cache.
  const Hwcaps* (*hwcaps)();
  // Rereads the system loader's list if it changed since the last read
  // (objects it loaded or unloaded since); true if it did.
  bool (*refresh)();
  // The symbol table and path of the system loader's object named `name`
  // (as has_library matches names), for version checks (version_check.h).
  bool (*library_symbols)(const char* name, const SymbolTable** syms, const char** path);
};
void set_system_scope(const SystemScope* scope);
const SystemScope* system_scope();

// True when `name` (a DT_NEEDED entry or a dlopen() path) is provided by
// the host: a C-library name in a static host, or in hybrid mode any
// object the system loader has loaded.
bool host_provides_library(const char* name);
// True when the file (st_dev, st_ino) opened for `name` is already loaded
// by the system loader (hybrid mode; a static host has no such files).
bool host_provides_file(const char* name, uint64_t dev, uint64_t ino);

// For tests: forget everything (explicit symbols included).
void host_reset_for_tests();

}  // namespace staticdl
