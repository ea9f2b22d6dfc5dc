// The relocation cache (opt-in): relocated writable pages kept in files
// and mapped again by later processes, at the same address.
//
// Why. About 60 % of the time glibc and staticdl spend loading a large
// library (libLLVM, librustc_driver, libpython) is the kernel copying the
// pages relocations write: the writable segment is a private file mapping,
// and the first write to each page is a copy-on-write fault (~2 µs a page
// on the machines measured, the same for glibc's faults one by one, for
// MADV_POPULATE_WRITE and for anonymous memory filled by pread). Mapping a
// page whose content is already right costs a read fault, which maps the
// page-cache page itself, sixteen at a time with fault-around (~0.3 µs a
// page). Android shares relocated RELRO pages between processes the same
// way; prelink wrote them into the library.
//
// How. With STATICDL_RELOC_CACHE=<dir> (ignored under AT_SECURE), the
// first process that loads an object writes, once its relocations are
// applied and before its IFUNC resolvers, RELRO and initializers run (so
// the pages hold the file and the relocations, nothing code wrote), the
// file pages of its writable segments to <dir>/<dev>-<ino>.sdlrc: one
// header page (with the library's path; reloc_cache_format.h), then the
// pages in segment order. A later process that opens the same file (same device, inode,
// size, mtime and ctime, same staticdl cache version, machine, page size
// and program headers) reserves the object's span at the recorded address
// with MAP_FIXED_NOREPLACE and maps those pages from the cache file
// (MAP_PRIVATE, still copy-on-write). Relocation then
//   - skips the RELATIVE relocations (B + A, and B is the recorded one);
//   - computes every other relocation (symbols of objects that moved or of
//     ld.so's randomised objects, TLS offsets, IFUNC results) and writes
//     only the words that differ, so pages whose words all match stay the
//     page cache's.
// When the address is taken, or anything about the cache is off, the object
// loads as without a cache and the cache file is written again.
//
// The trade. An object mapped from the cache is at the address its first
// load got: address-space randomisation happens once per cache file, not
// once per process (as with prelink). The cache holds code addresses, so it
// is trusted only as far as the user's own files: the directory must be
// owned by the effective user and not writable by group or others, and so
// must every cache file (opened O_NOFOLLOW); otherwise it is not used.
// Files are written to a temporary name, synced and renamed, so a reader
// sees a whole file or none. The loader never deletes cache files:
// `staticdl cache prune` (tools/staticdl/cache.cpp) removes those of
// libraries that are gone or were replaced.
#pragma once

#include "containers.h"
#include "elf_reader.h"
#include "module.h"

namespace staticdl {

// A cache file found valid for one object: map_image() reserves the span
// at bias + min_vaddr and maps the file pages of program header i from
// `fd` at offset[i] (0: not from the cache; the header page is at 0).
struct CachedPages {
  Fd fd;
  uintptr_t bias = 0;
  uint64_t relative_prefix = 0;  // leading DT_RELA entries known to be RELATIVE
  uint64_t size = 0;             // of the file: header page and data pages
  Vec<uint64_t> offset;          // one per program header
};

// The directory staticdl_set_reloc_cache() chose (nullptr: off); until
// it is called, STATICDL_RELOC_CACHE's. False: out of memory.
bool reloc_cache_set_dir(const char* dir);

// One dlopen's loading and relocation: the cache directory is opened at
// most once (on first use) for all the objects, instead of once per
// object, and only within a scope is the cache used. end() (or the
// destructor) closes it: before initializers run, which may close
// descriptors. Nests.
class RelocCacheScope {
 public:
  RelocCacheScope();
  ~RelocCacheScope() { end(); }
  RelocCacheScope(const RelocCacheScope&) = delete;
  RelocCacheScope& operator=(const RelocCacheScope&) = delete;
  void end();

 private:
  bool ended_ = false;
};

// Whether the cache applies to `in`: a directory is configured and the
// object is a plain file whose writable segments are mapped from it.
bool reloc_cache_wanted(const ElfImage& img, const Input& in);

// Opens and validates the cache file of `in`. False: no usable cache.
bool reloc_cache_find(const char* name, const ElfImage& img, const Input& in, CachedPages* out);

// Whether m's relocations can be redone over cached pages: every table
// carries its addends (RELA, RELR).
bool reloc_cache_storable(const Module& m);

// Stores m's relocated writable file pages (m.cache_store set by the
// load): called by relocate() before the IFUNC pass.
// Failures only leave no cache (STATICDL_DEBUG=libs says why).
void reloc_cache_store(const Module& m);

}  // namespace staticdl
