// Reading and validating an ELF shared object's headers, in stages.
//
// The stages follow bionic's ElfReader: read the ELF header, verify it,
// read the program headers, verify them. Each stage names the file and the
// offending value in its error ("libx.so: is for EM_AARCH64 (183) instead
// of EM_X86_64 (62)"). Nothing here maps memory; mapper.h does that from
// the validated ElfImage.
//
// Input comes from a path, a caller's fd or a memory buffer through one
// Input type, so the same code is fuzzed (memory) and used (fd).
#pragma once

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "containers.h"
#include "expected.h"

namespace staticdl {

class ZstdSource;

// Where the bytes come from. For Fd, `fd` is borrowed; for Memory, `mem`;
// for a zstd-compressed plugin, `zstd` (zstd_input.h).
// A file's identity and version, as the relocation cache keys it.
struct CacheKey {
  uint64_t dev = 0, ino = 0, size = 0;
  int64_t mtime_ns = 0, ctime_ns = 0;
};

struct Input {
  int fd = -1;
  const uint8_t* mem = nullptr;
  ZstdSource* zstd = nullptr;  // set: a forward-only decompressed stream
  uint64_t size = 0;  // file size (fstat) or buffer size
  // A file's identity (fstat at open), for "already loaded?" checks;
  // valid when there is a file (fd >= 0).
  uint64_t dev = 0, ino = 0;
  int64_t mtime_ns = 0, ctime_ns = 0;  // for the relocation cache (reloc_cache.h)
  bool has_id() const { return fd >= 0; }
  CacheKey key() const { return {dev, ino, size, mtime_ns, ctime_ns}; }
  // The file's first bytes, read once at open: the ELF header and (nearly
  // always) the program headers come from here, as glibc reads 832 bytes.
  uint32_t head_len = 0;
  uint8_t head[1024];

  // Reads exactly n bytes at off into dst. Fails (without reading) when the
  // range is outside the input.
  Status read(const char* name, void* dst, uint64_t off, uint64_t n) const;
};

// Opens `path` O_RDONLY|O_CLOEXEC, fstat()s it and reads its head. glibc's wording:
// "<path>: cannot open shared object file: No such file or directory".
Expected<Input> open_path(const char* path, Fd* owner);
// Wraps a caller's fd (fstat for the size and identity, and its head).
Expected<Input> input_from_fd(const char* name, int fd);
Input input_from_memory(const void* data, size_t size);

struct ElfImage {
  Elf64_Ehdr ehdr{};
  Vec<Elf64_Phdr> phdrs;
  uint64_t page = 4096;         // runtime page size
  uint64_t min_vaddr = 0;       // page_down(lowest PT_LOAD p_vaddr)
  uint64_t max_vaddr = 0;       // page_up(highest p_vaddr + p_memsz)
  uint64_t align = 0;           // reservation alignment (>= page)
  int dynamic = -1, relro = -1, tls = -1, eh_frame = -1;  // phdr indexes
};

// The page size from AT_PAGESZ (4096 if absent).
uint64_t runtime_page_size();

// All stages. `name` is used in messages.
Expected<ElfImage> read_elf(const char* name, const Input& in);

// Individual stages, exposed for unit tests.
Status verify_elf_header(const char* name, const Elf64_Ehdr& eh);
Status verify_program_headers(const char* name, ElfImage& img, uint64_t file_size);

}  // namespace staticdl
