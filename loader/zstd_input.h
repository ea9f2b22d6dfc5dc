// zstd-compressed plugins (.so.zst), recognised by the frame magic.
//
// The image is decompressed as a stream, straight into the mapped segments:
// no temporary file and no full-size buffer. The ELF reader's early reads
// (the headers) are kept in a small head buffer, because the first PT_LOAD
// usually starts at file offset 0 and is copied again later; after that,
// reads must move forward through the file, which holds for every linker's
// layout (segments in ascending file order). A frame must record its
// content size (`zstd` and `staticdl pack` write it), which stands in for
// the file size in every range check.
#pragma once

#include "elf_reader.h"

namespace staticdl {

// True when `in` starts with the zstd frame magic.
bool is_zstd(const Input& in);

// Owns the decompression state behind a streaming Input.
class ZstdSource {
 public:
  ZstdSource() = default;
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;
  ~ZstdSource();

  // Starts decompressing `raw`; on success *out reads the decompressed
  // bytes through this object (which must outlive it).
  Status open(const char* name, const Input& raw, Input* out);

  // Reads decompressed bytes [off, off+n) into dst (see the file comment).
  Status read(const char* name, void* dst, uint64_t off, uint64_t n);

 private:
  Status pump(const char* name, uint8_t* dst, uint64_t n);  // next n bytes of output
  Status skip_to(const char* name, uint64_t off);

  const Input* raw_ = nullptr;
  Input raw_copy_;
  void* dctx_ = nullptr;         // ZSTD_DCtx*
  uint8_t* in_buf_ = nullptr;    // compressed input window (fd input)
  uint64_t in_off_ = 0;          // next compressed byte to read
  uint64_t in_pos_ = 0, in_len_ = 0;
  uint64_t pos_ = 0;             // decompressed bytes produced so far
  uint64_t size_ = 0;            // frame content size
  uint8_t* head_ = nullptr;      // bytes [0, head_len_) kept for re-reads
  uint64_t head_len_ = 0;
  bool head_open_ = true;        // still appending to head_
};

}  // namespace staticdl
