// One loaded object and the registry's view of it.
//
// A Module owns its reserved address range (Mapping), a copy of its program
// headers, the validated dynamic-section facts (DynInfo) and its symbol
// table view. Pointers inside DynInfo/SymbolTable point into the mapping and
// were all range-checked against the PT_LOAD segments before being stored.
#pragma once

#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <sys/types.h>

#include "containers.h"
#include "elf_reader.h"
#include "expected.h"
#include "symtab.h"
#include "tls.h"

namespace staticdl {

struct Segment {
  uintptr_t start = 0;  // runtime address of p_vaddr
  uint64_t memsz = 0;
  uint64_t filesz = 0;
  int prot = 0;  // PROT_READ|PROT_WRITE|PROT_EXEC
};

// A dependency named in PT_DYNAMIC: DT_NEEDED, or a filtee of this object
// (DT_FILTER: must load; DT_AUXILIARY: may be missing). glibc's ld.so puts
// a filtee just before its filter in every search list (deps.h).
enum class DepKind : uint8_t { Needed, Filter, Auxiliary };
// The tag a dependency name came from: "DT_NEEDED", "DT_FILTER", "DT_AUXILIARY".
inline const char* dep_tag_name(DepKind k) {
  return k == DepKind::Needed ? "DT_NEEDED" : k == DepKind::Filter ? "DT_FILTER" : "DT_AUXILIARY";
}
struct DepName {
  uint32_t name;  // string-table offset (dynamic.cpp refuses larger ones)
  DepKind kind;
};

// Facts from PT_DYNAMIC. Addresses are runtime addresses (bias applied).
struct DynInfo {
  uintptr_t dynamic = 0;
  SymbolTableInputs symin;
  uintptr_t rela = 0, rel = 0, jmprel = 0, relr = 0;
  uint64_t relasz = 0, relsz = 0, pltrelsz = 0, relrsz = 0;
  uint64_t relacount = 0;  // DT_RELACOUNT: leading RELATIVE entries of DT_RELA (a hint)
  int64_t pltrel = 0;  // DT_RELA or DT_REL
  uintptr_t init = 0, fini = 0, init_array = 0, fini_array = 0;
  uint64_t init_arraysz = 0, fini_arraysz = 0;
  uint64_t soname = 0, rpath = 0, runpath = 0;  // string-table offsets (0: absent)
  bool has_soname = false, has_rpath = false, has_runpath = false;
  Vec<DepName> needed;   // DT_NEEDED, DT_FILTER, DT_AUXILIARY, in order
  uint64_t flags = 0, flags_1 = 0;
  bool textrel = false, symbolic = false, bind_now = false;
};

// dlsym hits an object serves through the walk before it is indexed.
// Building reads every chain, symbol entry and the string table in order
// (libLLVM: ~1 ms, ~20 ns a symbol); an indexed hit there saves 20-40 ns,
// more while the strings are cold. 1024 hits keep the index away from
// programs that dlsym a handful of entry points (no memory, no time), and
// a library big enough to need it pays the build back within a few
// thousand more. Misses do not count: the bloom filter rejects nearly all.
constexpr uint32_t kIndexAfterLookups = 1024;

class SymIndex;  // symindex.h: lookup.h and symindex.cpp use it whole
void destroy_symindex(SymIndex* x);

// The module's SymIndex, freed with it.
class SymIndexOwner {
 public:
  SymIndexOwner() = default;
  SymIndexOwner(const SymIndexOwner&) = delete;
  SymIndexOwner& operator=(const SymIndexOwner&) = delete;
  ~SymIndexOwner() { destroy_symindex(p_); }
  const SymIndex* get() const { return p_; }
  void reset(SymIndex* p) {
    destroy_symindex(p_);
    p_ = p;
  }

 private:
  SymIndex* p_ = nullptr;
};

struct Module {
  OwnedStr name;    // the path it was opened by (dlerror, dladdr, link_map)
  OwnedStr origin;  // directory of name, for $ORIGIN and RTLD_DI_ORIGIN
  const char* soname = nullptr;  // into strtab, or nullptr
  dev_t dev = 0;
  ino_t ino = 0;
  bool has_identity = false;  // dev/ino valid (opened from a path or fd)

  Mapping image;
  uintptr_t bias = 0;  // runtime address = bias + p_vaddr
  Vec<Elf64_Phdr> phdrs;
  Vec<Segment> segments;
  uintptr_t relro_start = 0, relro_end = 0;
  DynInfo dyn;
  SymbolTable syms;
  // The adaptive dlsym index (symindex.h): built under the loader lock by
  // the dlsym hit that makes index_countdown reach 0, if the table is big
  // enough (worth_indexing).
  SymIndexOwner index;
  uint32_t index_countdown = kIndexAfterLookups;  // 0: built, or tried and failed

  Vec<Module*> deps;   // direct DT_NEEDED modules and filtees (host-satisfied ones excluded)
  bool needs_host = false;  // some DT_NEEDED is satisfied by the host
  Vec<Module*> bfs;    // this module and its dependencies, breadth first
  Module* root = nullptr;  // the module whose dlopen loaded this one (local scope)

  int open_count = 0;     // outstanding dlopen handles
  int pins = 0;           // pending thread_local destructors: keeps it loaded
  bool global = false;    // RTLD_GLOBAL
  bool nodelete = false;  // RTLD_NODELETE or DF_1_NODELETE
  bool relocated = false, init_started = false, initialized = false, fini_done = false;
  bool mark = false;      // scratch for graph walks
  bool is_host = false;   // the host handle (registry.cpp's Registry::host)
  bool run_code = true;   // false: never call its IFUNC resolvers or init (fuzzing)
  uint64_t serial = 0;    // load order

  ModuleTls tls;  // PT_TLS state (tls.h)
  uintptr_t eh_frame = 0;            // .eh_frame registered with libgcc (runtime/unwind.cpp)
  void* unwind_object[16] = {};      // libgcc's `struct object` for that registration

  struct link_map lm {};

  // The relocation cache (reloc_cache.h): the file's key, whether to store
  // the relocated pages, and whether they were mapped from the cache (then
  // relocation skips the first relative_prefix DT_RELA entries and every
  // RELATIVE one, and writes only words that differ). Last: the lookup
  // paths' fields keep their places.
  CacheKey cache_key;
  bool cache_store = false, cache_mapped = false;
  uint64_t relative_prefix = 0;

  // Added after the fields above, which keep the places the lookup paths
  // were measured with:
  // loaded modules outside its DT_NEEDED graph (RTLD_GLOBAL ones) that its
  // relocations or its dlsym(RTLD_DEFAULT) calls bound to: kept loaded
  // while it is (glibc's l_reldeps; registry.h keep_loaded());
  Vec<Module*> reldeps;
  uintptr_t pltgot = 0;   // DT_PLTGOT: checked where it is used (lazy.cpp)
  bool lazy = false;      // opened with RTLD_LAZY (lazy.h)
  bool lazy_got = false;  // GOT[1..2] set for deferred PLT slots
  // Per DT_JMPREL entry (dyn.pltrelsz / 24 of them) of a deferred slot: what
  // it bound to at dlopen (0: nothing defined it), for a first call while
  // the loader is busy (lazy.h). Made at the first deferred slot.
  HeapArray<uintptr_t> lazy_bound;
  bool deepbind = false;  // opened with RTLD_DEEPBIND: its local scope before the global one
  uint32_t ns = 0;        // its link-map namespace (namespace.h)
  // The module whose DT_NEEDED entry loaded it (nullptr: loaded by dlopen,
  // or that module is unloaded): its DT_RPATH, and its loader's, on up, are
  // searched for this one's dependencies (glibc's l_loader).
  Module* loader = nullptr;
  Vec<Module*> filtees;  // the deps that are its DT_FILTER / DT_AUXILIARY objects

  bool contains(uintptr_t addr) const;
  const char* str(uint64_t off) const { return syms.str(off); }
};

}  // namespace staticdl
