#include "zstd_input.h"

#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "range.h"

#if defined(STATICDL_WITH_ZSTD)
#include <zstd.h>
#endif

namespace staticdl {

namespace {
constexpr uint8_t kMagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
constexpr uint64_t kHeadMax = 1 << 16;       // header bytes kept for re-reading
constexpr uint64_t kInChunk = 1 << 17;       // compressed bytes read at a time (fd)
constexpr uint64_t kMaxContent = 1ull << 34;  // 16 GiB: larger frames are refused
}  // namespace

bool is_zstd(const Input& in) {
  uint8_t m[4];
  if (in.size < 4) return false;
  return in.read("", m, 0, 4) && memcmp(m, kMagic, 4) == 0;
}

#if defined(STATICDL_WITH_ZSTD)

ZstdSource::~ZstdSource() {
  if (dctx_) ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(dctx_));
  free(in_buf_);
  free(head_);
}

Status ZstdSource::open(const char* name, const Input& raw, Input* out) {
  raw_copy_ = raw;
  raw_ = &raw_copy_;
  uint8_t hdr[18];  // ZSTD_FRAMEHEADERSIZE_MAX (a static-linking-only macro)
  uint64_t hn = raw.size < sizeof hdr ? raw.size : sizeof hdr;
  STATICDL_TRY(raw.read(name, hdr, 0, hn));
  unsigned long long cs = ZSTD_getFrameContentSize(hdr, hn);
  if (cs == ZSTD_CONTENTSIZE_ERROR) return fail(Errc::BadElf, "%s: invalid zstd frame header", name);
  if (cs == ZSTD_CONTENTSIZE_UNKNOWN)
    return fail(Errc::BadElf, "%s: zstd frame does not record its content size (compress with staticdl pack)", name);
  if (cs > kMaxContent) return fail(Errc::BadElf, "%s: zstd content size %llu is too large", name, cs);
  size_ = cs;
  dctx_ = ZSTD_createDCtx();
  head_ = static_cast<uint8_t*>(sd_malloc(kHeadMax));
  if (!raw.mem) in_buf_ = static_cast<uint8_t*>(sd_malloc(kInChunk));
  if (!dctx_ || !head_ || (!raw.mem && !in_buf_)) return fail(Errc::NoMemory, "%s: cannot allocate memory", name);
  *out = Input{};
  out->size = size_;
  out->zstd = this;
  return Status::ok();
}

// Decompresses the next n bytes of output into dst.
Status ZstdSource::pump(const char* name, uint8_t* dst, uint64_t n) {
  ZSTD_outBuffer out{dst, n, 0};
  while (out.pos < out.size) {
    ZSTD_inBuffer in;
    if (raw_->mem) {
      in = ZSTD_inBuffer{raw_->mem, raw_->size, in_pos_};
    } else {
      if (in_pos_ == in_len_) {
        uint64_t want = raw_->size - in_off_ < kInChunk ? raw_->size - in_off_ : kInChunk;
        if (!want) return fail(Errc::BadElf, "%s: truncated zstd frame", name);
        STATICDL_TRY(raw_->read(name, in_buf_, in_off_, want));
        in_off_ += want, in_pos_ = 0, in_len_ = want;
      }
      in = ZSTD_inBuffer{in_buf_, in_len_, in_pos_};
    }
    size_t before = out.pos, in_before = in.pos;
    size_t r = ZSTD_decompressStream(static_cast<ZSTD_DCtx*>(dctx_), &out, &in);
    if (ZSTD_isError(r)) return fail(Errc::BadElf, "%s: zstd: %s", name, ZSTD_getErrorName(r));
    in_pos_ = in.pos;
    if (out.pos == before && in.pos == in_before) return fail(Errc::BadElf, "%s: truncated zstd frame", name);
    if (raw_->mem && in_pos_ == raw_->size && out.pos < out.size && r == 0)
      return fail(Errc::BadElf, "%s: truncated zstd frame", name);
  }
  pos_ += n;
  return Status::ok();
}

Status ZstdSource::skip_to(const char* name, uint64_t off) {
  uint8_t scratch[4096];
  while (pos_ < off) {
    uint64_t n = off - pos_ < sizeof scratch ? off - pos_ : sizeof scratch;
    if (head_open_ && pos_ + n <= kHeadMax) {
      STATICDL_TRY(pump(name, head_ + pos_, n));
      head_len_ = pos_;
    } else {
      head_open_ = false;
      STATICDL_TRY(pump(name, scratch, n));
    }
  }
  return Status::ok();
}

Status ZstdSource::read(const char* name, void* dst, uint64_t off, uint64_t n) {
  if (!range_within(off, n, size_)) return fail(Errc::BadElf, "%s: file too short", name);
  uint8_t* d = static_cast<uint8_t*>(dst);
  if (off < head_len_) {  // the part already kept in the head buffer
    uint64_t k = head_len_ - off < n ? head_len_ - off : n;
    memcpy(d, head_ + off, k);
    d += k, off += k, n -= k;
    if (!n) return Status::ok();
  }
  if (off < pos_)
    return fail(Errc::BadElf, "%s: zstd-compressed plugin reads backwards (segments out of file order)", name);
  STATICDL_TRY(skip_to(name, off));
  if (head_open_ && off + n <= kHeadMax) {  // still small: keep a copy for later re-reads
    STATICDL_TRY(pump(name, head_ + off, n));
    head_len_ = pos_;
    memcpy(d, head_ + off, n);
    return Status::ok();
  }
  head_open_ = false;
  return pump(name, d, n);  // straight into the destination (the mapping)
}

#else  // !STATICDL_WITH_ZSTD

ZstdSource::~ZstdSource() {}
Status ZstdSource::open(const char* name, const Input&, Input*) {
  return fail(Errc::Unsupported, "%s: zstd-compressed plugin, but staticdl was built without zstd", name);
}
Status ZstdSource::read(const char* name, void*, uint64_t, uint64_t) { return fail(Errc::Unsupported, "%s: no zstd", name); }
Status ZstdSource::pump(const char* name, uint8_t*, uint64_t) { return fail(Errc::Unsupported, "%s: no zstd", name); }
Status ZstdSource::skip_to(const char* name, uint64_t) { return fail(Errc::Unsupported, "%s: no zstd", name); }

#endif

}  // namespace staticdl
