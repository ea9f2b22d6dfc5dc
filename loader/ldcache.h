// /etc/ld.so.cache lookups, for hybrid mode (search.h).
//
// glibc's ld.so looks a DT_NEEDED or dlopen() name that no RPATH,
// LD_LIBRARY_PATH or RUNPATH directory holds up in /etc/ld.so.cache, which
// ldconfig writes from /etc/ld.so.conf (libraries in /usr/local/lib, or in
// a directory a package added), before trying its default directories. In
// hybrid mode staticdl does the same. The format, "glibc-ld.so.cache1.1"
// (glibc's sysdeps/generic/dl-cache.h; the only one ldconfig writes since
// glibc 2.32, after an older "ld.so-1.7.0" part before that):
//
//   header, 48 bytes: magic "glibc-ld.so.cache", version "1.1", nlibs,
//     len_strings, flags (byte order), 3 padding bytes, extension_offset,
//     3 unused words
//   nlibs entries, 24 bytes: flags (int32), key and value (offsets of the
//     name and the path, from the header), osversion, hwcap (uint64)
//   strings
//
//   extension directory (at extension_offset, from the start of the file):
//     magic 0xeaa42174, count, then count sections (tag, flags, offset,
//     size); tag 1 is an array of file offsets of the glibc-hwcaps
//     subdirectory names
//
// ldconfig sorts the entries by name (ldcache_compare, descending), and a
// lookup is a binary search, as in glibc's _dl_load_cache_lookup. Of the
// entries with the name whose flags say an ELF libc6 object of this
// architecture (Arch::kLdCacheFlags), ldconfig lists the builds in
// glibc-hwcaps subdirectories first: their hwcap is bit 62, the ISA level
// the build needs in bits 32-41 and the index of its subdirectory's name
// in the low 32 bits. As ld.so (glibc 2.36, search_cache), the build the
// CPU supports whose subdirectory it prefers most wins (hwcaps.h);
// without one, the first entry whose hwcap is 0. Entries with other hwcap
// bits (the legacy AT_HWCAP subdirectories) are not used. Every count,
// offset and string is checked against the file's size; a cache that does
// not parse is not used, and an extension directory that does not is
// ignored (no glibc-hwcaps build is taken, as in ld.so).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "containers.h"
#include "hwcaps.h"

namespace staticdl {

// glibc's _dl_cache_libcmp: like strcmp, but runs of digits compare as
// numbers, and a digit sorts after any other character.
int ldcache_compare(const char* a, const char* b);

// The path the cache image [data, data + size) gives for `name` (a
// pointer into data), or nullptr. hw: the CPU's glibc-hwcaps
// subdirectories (nullptr: plain entries only).
const char* ldcache_find(const uint8_t* data, size_t size, const char* name, const Hwcaps* hw = nullptr);

// ldcache_find() in the system's cache, mapped on first use and again when
// the file changes (device, inode, size or modification time). False when
// there is no cache or no entry. Under the loader lock.
bool ldcache_lookup(const char* name, const Hwcaps* hw, OwnedStr* path);

// Tests: read this file instead of /etc/ld.so.cache (nullptr: the default).
// The string must outlive its use.
void ldcache_set_path(const char* path);

}  // namespace staticdl
