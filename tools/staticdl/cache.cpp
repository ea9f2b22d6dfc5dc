// staticdl cache list|prune DIR: housekeeping of a relocation cache
// directory (STATICDL_RELOC_CACHE; README "Relocation cache").
//
// The loader writes one file per library, named by the library's device
// and inode, and finds it again only while that file is the same (device,
// inode, size, mtime, ctime). A library that is deleted or replaced (a
// package upgrade writes a new inode) leaves its cache file behind, never
// to be used again. The header records the library's path when the file
// was written (loader/reloc_cache_format.h), so each entry can be judged:
//   valid       the library at the recorded path is still the one cached
//   stale       a different file is at that path now (replaced, changed)
//   gone        nothing is at that path
//   unknown     no path recorded (too long, or unresolvable): kept
//   old-format  written by another version of staticdl: never used
//   damaged     not a whole cache file (short, wrong magic, wrong name)
//   temp        a temporary file whose writer has died (or older than an hour)
//   writing     a temporary file of a live writer
// prune removes everything but valid, unknown and writing; prune --all removes every cache and temporary file.
// Nothing else in the directory is touched, and symbolic links are not
// followed.
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../../loader/reloc_cache_format.h"
#include "util.h"

namespace sdtool {
namespace {

namespace fmt = staticdl::reloc_cache_format;

struct Entry {
  std::string file;     // name in the directory
  std::string state;    // see the top of the file
  std::string library;  // recorded path ("" if none)
  uint64_t bytes = 0;
};

bool ends_with(const std::string& s, const char* suffix) {
  size_t n = strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

int64_t ns(const struct timespec& t) { return int64_t(t.tv_sec) * 1000000000 + t.tv_nsec; }

// .<name>.sdlrc.<pid>.tmp: whether its writer is gone (or it is over an hour old).
bool dead_temp(const std::string& name, const struct stat& st) {
  size_t dot = name.rfind(".tmp");
  size_t start = name.rfind('.', dot == std::string::npos ? 0 : dot - 1);
  long pid = start == std::string::npos ? 0 : strtol(name.c_str() + start + 1, nullptr, 10);
  bool alive = pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
  return !alive || time(nullptr) - st.st_mtime > 3600;
}

// The state of cache file `name` (opened without following links).
std::string judge(int dirfd, const std::string& name, const struct stat& st, std::string* library) {
  int fd = openat(dirfd, name.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return "damaged";
  fmt::Header h;
  ssize_t got = pread(fd, &h, sizeof h, 0);
  std::string state;
  if (got < static_cast<ssize_t>(offsetof(fmt::Header, version) + sizeof h.version) ||
      memcmp(h.magic, fmt::kMagic, sizeof fmt::kMagic) != 0) {
    state = "damaged";
  } else if (h.version != fmt::kVersion) {
    state = "old-format";
  } else {
    char want[64];
    fmt::file_name(h.dev, h.ino, want);
    uint64_t size = 0;
    bool whole = got == static_cast<ssize_t>(sizeof h) && h.page >= sizeof h && h.path_len <= h.page - sizeof h &&
                 !__builtin_mul_overflow(h.npages + 1, h.page, &size) && size == uint64_t(st.st_size);
    std::string path(whole ? h.path_len : 0, '\0');
    if (whole && h.path_len &&
        pread(fd, &path[0], h.path_len, sizeof h) != static_cast<ssize_t>(h.path_len))
      whole = false;
    struct stat lib;
    if (!whole || name != want) {
      state = "damaged";
    } else if (path.empty()) {
      state = "unknown";
    } else if (*library = path, stat(path.c_str(), &lib) != 0) {
      state = "gone";
    } else {
      bool same = uint64_t(lib.st_dev) == h.dev && uint64_t(lib.st_ino) == h.ino && uint64_t(lib.st_size) == h.size &&
                  ns(lib.st_mtim) == h.mtime_ns && ns(lib.st_ctim) == h.ctime_ns;
      state = same ? "valid" : "stale";
    }
  }
  close(fd);
  return state;
}

bool read_dir(int dirfd, std::vector<Entry>* out) {
  DIR* d = fdopendir(dup(dirfd));
  if (!d) return false;
  while (struct dirent* e = readdir(d)) {
    std::string name = e->d_name;
    bool temp = name[0] == '.' && ends_with(name, ".tmp") && name.find(fmt::kSuffix) != std::string::npos;
    if (!temp && (name[0] == '.' || !ends_with(name, fmt::kSuffix))) continue;
    struct stat st;
    if (fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    Entry x;
    x.file = name, x.bytes = uint64_t(st.st_blocks) * 512;
    if (temp)
      x.state = dead_temp(name, st) ? "temp" : "writing";
    else
      x.state = judge(dirfd, name, st, &x.library);
    out->push_back(x);
  }
  closedir(d);
  std::sort(out->begin(), out->end(), [](const Entry& a, const Entry& b) { return a.file < b.file; });
  return true;
}

bool removable(const Entry& e, bool all) {
  if (all) return true;
  return e.state != "valid" && e.state != "unknown" && e.state != "writing";
}

}  // namespace

int cmd_cache(int argc, char** argv) {
  if (argc < 2) return usage("cache wants list|prune and a directory");
  std::string what = argv[0], dir;
  bool all = false;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a == "--all" && what == "prune")
      all = true;
    else if (a[0] == '-' || !dir.empty())
      return usage(("cache: unexpected argument " + a).c_str());
    else
      dir = a;
  }
  if ((what != "list" && what != "prune") || dir.empty()) return usage("cache wants list|prune and a directory");
  int dirfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::vector<Entry> entries;
  if (dirfd < 0 || !read_dir(dirfd, &entries)) {
    fprintf(stderr, "%s: %s: %s\n", g_prog, dir.c_str(), strerror(errno));
    if (dirfd >= 0) close(dirfd);
    return 1;
  }
  int status = 0;
  uint64_t kept = 0, kept_bytes = 0, removed = 0, removed_bytes = 0;
  for (const Entry& e : entries) {
    if (what == "list") {
      printf("%-10s %8llu KiB  %s  %s\n", e.state.c_str(), (unsigned long long)(e.bytes / 1024), e.file.c_str(),
             e.library.empty() ? "-" : e.library.c_str());
      continue;
    }
    if (!removable(e, all)) {
      kept++, kept_bytes += e.bytes;
      continue;
    }
    if (unlinkat(dirfd, e.file.c_str(), 0) != 0) {
      fprintf(stderr, "%s: %s/%s: %s\n", g_prog, dir.c_str(), e.file.c_str(), strerror(errno));
      status = 1;
      continue;
    }
    removed++, removed_bytes += e.bytes;
    printf("removed %s (%s%s%s)\n", e.file.c_str(), e.state.c_str(), e.library.empty() ? "" : ": ",
           e.library.c_str());
  }
  if (what == "prune")
    printf("%llu removed (%llu KiB), %llu kept (%llu KiB)\n", (unsigned long long)removed,
           (unsigned long long)(removed_bytes / 1024), (unsigned long long)kept, (unsigned long long)(kept_bytes / 1024));
  close(dirfd);
  return status;
}

}  // namespace sdtool
