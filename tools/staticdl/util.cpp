// Small helpers of the staticdl tool: paths, whole-file I/O, zstd frames,
// JSON string escaping.
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

namespace sdtool {

const char* g_prog = "staticdl";

std::string base_name(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

std::string dir_name(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return ".";
  if (s == 0) return "/";
  return p.substr(0, s);
}

bool starts_with(const std::string& s, const char* p) { return s.compare(0, strlen(p), p) == 0; }

bool file_exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

std::string exe_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  buf[n] = 0;
  return dir_name(buf);
}

bool read_file(const std::string& path, std::vector<unsigned char>* out, std::string* err) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return *err = strerror(errno), false;
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    fclose(f);
    return *err = "not a regular file", false;
  }
  out->resize(static_cast<size_t>(st.st_size));
  size_t n = out->empty() ? 0 : fread(out->data(), 1, out->size(), f);
  bool ok = n == out->size() && !ferror(f);
  fclose(f);
  if (!ok) *err = "read error";
  return ok;
}

bool write_file_atomic(const std::string& path, const void* data, size_t size, std::string* err) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  FILE* f = fopen(tmp.c_str(), "wb");
  if (!f) return *err = tmp + ": " + strerror(errno), false;
  bool ok = (size == 0 || fwrite(data, 1, size, f) == size) && fflush(f) == 0;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    *err = path + ": " + strerror(errno);
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

bool is_zstd(const std::vector<unsigned char>& d) {
  return d.size() >= 4 && d[0] == 0x28 && d[1] == 0xb5 && d[2] == 0x2f && d[3] == 0xfd;
}

bool zstd_decompress(const std::vector<unsigned char>& in, std::vector<unsigned char>* out, std::string* err) {
  ZSTD_DStream* ds = ZSTD_createDStream();
  if (!ds) return *err = "out of memory", false;
  out->clear();
  unsigned long long hint = ZSTD_getFrameContentSize(in.data(), in.size());
  if (hint != ZSTD_CONTENTSIZE_UNKNOWN && hint != ZSTD_CONTENTSIZE_ERROR && hint < (1ull << 32)) out->reserve(hint);
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  std::vector<unsigned char> chunk(ZSTD_DStreamOutSize());
  bool ok = true;
  for (;;) {
    ZSTD_outBuffer ob{chunk.data(), chunk.size(), 0};
    size_t r = ZSTD_decompressStream(ds, &ob, &ib);
    if (ZSTD_isError(r)) {
      *err = std::string("zstd: ") + ZSTD_getErrorName(r);
      ok = false;
      break;
    }
    out->insert(out->end(), chunk.data(), chunk.data() + ob.pos);
    if (ib.pos == ib.size && r == 0) break;                      // every frame done
    if (ib.pos == ib.size && ob.pos < ob.size) {                 // input ended inside a frame
      *err = "zstd: truncated frame";
      ok = false;
      break;
    }
  }
  ZSTD_freeDStream(ds);
  return ok;
}

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

}  // namespace sdtool
