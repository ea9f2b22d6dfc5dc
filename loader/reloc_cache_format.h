// The relocation cache's file format, shared by the loader
// (loader/reloc_cache.cpp) and the `staticdl cache` command
// (tools/staticdl/cache.cpp), which lists and prunes a cache directory.
//
// A cache directory holds, per object, <dev>-<ino>.sdlrc (device and inode
// of the library, lower-case hex), and, while one is being written,
// .<dev>-<ino>.sdlrc.<pid>.tmp. A cache file is
//   page 0     Header, then the library's path (path_len bytes, no NUL;
//              0: not known), the rest of the page a hole;
//   page 1...  the file pages of the writable PT_LOADs, in program-header
//              order (reloc_cache.cpp: for_each_run).
// Plain C++ on purpose: the loader has no standard library, the tool is
// built with the system compiler.
#pragma once

#include <stdint.h>
#include <stdio.h>

namespace staticdl {
namespace reloc_cache_format {

constexpr char kMagic[8] = {'s', 'd', 'l', 'r', 'e', 'l', 'c', '\n'};
// Raised whenever what the loader writes into a cached page can change
// (the relocation semantics) or this layout does. 2: the library's path.
constexpr uint32_t kVersion = 2;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t machine;  // e_machine
  uint64_t page;
  uint64_t dev, ino, size;
  int64_t mtime_ns, ctime_ns;
  uint64_t phdr_hash;
  uint64_t bias;
  uint64_t npages;           // data pages after the header page
  uint64_t relative_prefix;  // leading DT_RELA entries that are all RELATIVE
  uint64_t path_len;         // bytes of the path after the header
};

constexpr char kSuffix[] = ".sdlrc";

// <dev>-<ino>.sdlrc into out (64 bytes are enough).
inline void file_name(uint64_t dev, uint64_t ino, char (&out)[64]) {
  snprintf(out, sizeof out, "%llx-%llx%s", (unsigned long long)dev, (unsigned long long)ino, kSuffix);
}

}  // namespace reloc_cache_format
}  // namespace staticdl
