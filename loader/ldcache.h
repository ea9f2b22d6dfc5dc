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
// ldconfig sorts the entries by name (ldcache_compare, descending), and a
// lookup is a binary search, as in glibc's _dl_load_cache_lookup; of the
// entries with the name, the first one that matches is used: its flags say
// an ELF libc6 object of this architecture (Arch::kLdCacheFlags), and its
// hwcap is 0.
// Entries with hwcap set are for glibc-hwcaps subdirectories (x86-64-v3
// builds of a library): ld.so may pick one of those by the CPU; staticdl
// takes the baseline file. Every count, offset and string is checked
// against the file's size; a cache that does not parse is not used.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "containers.h"

namespace staticdl {

// glibc's _dl_cache_libcmp: like strcmp, but runs of digits compare as
// numbers, and a digit sorts after any other character.
int ldcache_compare(const char* a, const char* b);

// The path the cache image [data, data + size) gives for `name` (a
// pointer into data), or nullptr.
const char* ldcache_find(const uint8_t* data, size_t size, const char* name);

// ldcache_find() in the system's cache, mapped on first use and again when
// the file changes (device, inode, size or modification time). False when
// there is no cache or no entry. Under the loader lock.
bool ldcache_lookup(const char* name, OwnedStr* path);

// Tests: read this file instead of /etc/ld.so.cache (nullptr: the default).
// The string must outlive its use.
void ldcache_set_path(const char* path);

}  // namespace staticdl
