#include "reloc_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>

#include "arch.h"
#include "debug.h"
#include "fault.h"
#include "range.h"
#include "reloc_cache_format.h"

namespace staticdl {

namespace {

using namespace reloc_cache_format;

OwnedStr g_dir;      // staticdl_set_reloc_cache()'s choice
bool g_dir_set = false;

const char* cache_dir() {
  if (g_dir_set) return g_dir.empty() ? nullptr : g_dir.c_str();
  return safe_getenv("STATICDL_RELOC_CACHE");
}

// FNV-1a over the program headers, a word at a time (Elf64_Phdr is 7 words).
uint64_t phdr_hash(const Vec<Elf64_Phdr>& ph) {
  static_assert(sizeof(Elf64_Phdr) % 8 == 0, "whole words");
  uint64_t h = 0xcbf29ce484222325ull, w;
  for (const Elf64_Phdr& p : ph)
    for (size_t i = 0; i < sizeof p; i += 8) {
      memcpy(&w, reinterpret_cast<const char*>(&p) + i, 8);
      h = (h ^ w) * 0x100000001b3ull;
    }
  return h;
}

// The file's layout: after one header page, for each writable PT_LOAD
// with file bytes (program header i), its file pages [a, e) =
// [page_down(p_vaddr), page_up(p_vaddr + p_filesz)) at offset `off`, in
// program-header order. fn(i, a, e, off) returns false to stop.
template <typename Fn>
bool for_each_run(const Vec<Elf64_Phdr>& phdrs, uint64_t page, Fn fn) {
  uint64_t off = page;
  for (size_t i = 0; i < phdrs.size(); i++) {
    const Elf64_Phdr& ph = phdrs[i];
    if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_W) || !ph.p_filesz) continue;
    uint64_t a = page_down(ph.p_vaddr, page), e;
    if (!page_up(ph.p_vaddr + ph.p_filesz, page, &e) || !fn(i, a, e, off)) return false;
    off += e - a;
  }
  return true;
}

uint64_t count_pages(const Vec<Elf64_Phdr>& phdrs, uint64_t page) {
  uint64_t n = 0;
  for_each_run(phdrs, page, [&](size_t, uint64_t a, uint64_t e, uint64_t) { return n += (e - a) / page, true; });
  return n;
}

// Owned by the effective user, and no one else may write it.
bool users_own(const struct stat& st) { return st.st_uid == geteuid() && !(st.st_mode & (S_IWGRP | S_IWOTH)); }

// The directory, if it is one the effective user owns and only it may write.
int open_dir(const char* dir) {
  int fd = sd_open(dir, O_RDONLY | O_DIRECTORY);
  struct stat st;
  if (fd < 0) {
    debug(DebugLibs, "relocation cache: cannot open %s: %s", dir, strerror(errno));
    return -1;
  }
  if (fstat(fd, &st) != 0 || !users_own(st)) {
    debug(DebugLibs, "relocation cache: %s is not a directory only this user can write; not used", dir);
    close(fd);
    return -1;
  }
  return fd;
}

// The directory, opened on first use within a RelocCacheScope (one
// dlopen) and closed when the scope ends; -1 outside a scope or when it is
// not usable.
struct ScopeState {
  int depth = 0, fd = -1;
  bool tried = false;
} g_scope;

int scope_dir() {
  if (g_scope.depth && !g_scope.tried) g_scope.tried = true, g_scope.fd = open_dir(cache_dir());
  return g_scope.fd;
}

Header expected_header(const Vec<Elf64_Phdr>& phdrs, const CacheKey& k, uint64_t page) {
  Header h{};
  memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kVersion, h.machine = Arch::kMachine, h.page = page;
  h.dev = k.dev, h.ino = k.ino, h.size = k.size, h.mtime_ns = k.mtime_ns, h.ctime_ns = k.ctime_ns;
  h.phdr_hash = phdr_hash(phdrs);
  h.npages = count_pages(phdrs, page);
  return h;
}

// The header read from fd describes this object, and the file is the user's own and whole.
bool valid(int fd, const Header& want, Header* got) {
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !users_own(st)) return false;
  if (sd_pread(fd, got, sizeof *got, 0) != static_cast<ssize_t>(sizeof *got)) return false;
  bool same = !memcmp(got->magic, want.magic, sizeof want.magic) && got->version == want.version &&
              got->machine == want.machine && got->page == want.page && got->dev == want.dev &&
              got->ino == want.ino && got->size == want.size && got->mtime_ns == want.mtime_ns &&
              got->ctime_ns == want.ctime_ns && got->phdr_hash == want.phdr_hash && got->npages == want.npages;
  return same && static_cast<uint64_t>(st.st_size) == (want.npages + 1) * want.page;
}

bool write_all(int fd, const void* p, size_t n, uint64_t off) {
  const char* c = static_cast<const char*>(p);
  while (n) {
    ssize_t w = pwrite(fd, c, n, static_cast<off_t>(off));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    c += w, off += static_cast<uint64_t>(w), n -= static_cast<size_t>(w);
  }
  return true;
}

// The number of leading DT_RELA entries that are RELATIVE (at most DT_RELACOUNT).
uint64_t relative_prefix(const Module& m) {
  const Elf64_Rela* r = reinterpret_cast<const Elf64_Rela*>(m.dyn.rela);
  uint64_t n = m.dyn.relasz / sizeof(Elf64_Rela), i = 0;
  if (m.dyn.relacount < n) n = m.dyn.relacount;
  while (r && i < n && ELF64_R_TYPE(r[i].r_info) == Arch::R_RELATIVE) i++;
  return i;
}

// The header and the library's path (its page's rest a hole), then the
// runs at page k + 1, to fd. The path (symbolic links resolved) is for
// `staticdl cache prune`, which removes the files of libraries that are
// gone or were replaced; the loader does not read it.
bool write_cache(int fd, const Module& m, Header h, uint64_t page) {
  static char path[PATH_MAX];  // under the loader lock
  h.bias = m.bias, h.relative_prefix = relative_prefix(m);
  h.path_len = realpath(m.name.c_str(), path) ? strlen(path) : 0;
  if (sizeof h + h.path_len > page) h.path_len = 0;
  if (!write_all(fd, &h, sizeof h, 0) || !write_all(fd, path, h.path_len, sizeof h)) return false;
  return for_each_run(m.phdrs, page, [&](size_t, uint64_t a, uint64_t e, uint64_t off) {
    return write_all(fd, reinterpret_cast<const void*>(m.bias + a), e - a, off);
  });
}

// A new file named tmp in dirfd; one left by a process that died before
// renaming it (and had this pid) is replaced.
int create_temp(int dirfd, const char* tmp) {
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;
  int fd = openat(dirfd, tmp, kFlags, 0600);
  if (fd < 0 && errno == EEXIST && unlinkat(dirfd, tmp, 0) == 0) fd = openat(dirfd, tmp, kFlags, 0600);
  return fd;
}

}  // namespace

bool reloc_cache_set_dir(const char* dir) {
  OwnedStr d;
  if (dir && *dir && !OwnedStr::make(dir, &d)) return false;
  g_dir = std::move(d), g_dir_set = true;
  return true;
}

bool reloc_cache_wanted(const ElfImage& img, const Input& in) {
  if (!in.has_id() || in.mem || in.zstd || !cache_dir()) return false;
  for (const Elf64_Phdr& ph : img.phdrs)
    if (ph.p_type == PT_LOAD && (ph.p_flags & PF_W) && ph.p_filesz && ((ph.p_vaddr - ph.p_offset) & (img.page - 1)))
      return false;  // copied, not mapped (mapper.cpp)
  return count_pages(img.phdrs, img.page) != 0;
}

// DT_REL entries keep their addend in the place, which a cached page has
// overwritten with the relocated value: such objects are not cached.
bool reloc_cache_storable(const Module& m) { return !m.dyn.relsz && (!m.dyn.pltrelsz || m.dyn.pltrel == DT_RELA); }

RelocCacheScope::RelocCacheScope() { g_scope.depth++; }

void RelocCacheScope::end() {
  if (ended_) return;
  ended_ = true;
  if (--g_scope.depth > 0) return;
  if (g_scope.fd >= 0) close(g_scope.fd);
  g_scope = ScopeState{};
}

bool reloc_cache_find(const char* name, const ElfImage& img, const Input& in, CachedPages* out) {
  int dir = scope_dir();
  if (dir < 0) return false;
  char file[64];
  file_name(in.dev, in.ino, file);
  Fd fd(openat(dir, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  Header want = expected_header(img.phdrs, in.key(), img.page), got;
  if (fd.get() < 0 || !valid(fd.get(), want, &got) || (got.bias & (img.align - 1))) {
    debug(DebugLibs, "relocation cache: no valid entry %s for %s", file, name);
    return false;
  }
  if (!out->offset.reserve(img.phdrs.size())) return false;
  for (size_t i = 0; i < img.phdrs.size(); i++) (void)out->offset.push(0);
  for_each_run(img.phdrs, img.page,
               [&](size_t i, uint64_t, uint64_t, uint64_t off) { return out->offset[i] = off, true; });
  out->fd = std::move(fd);
  out->bias = got.bias, out->relative_prefix = got.relative_prefix, out->size = (got.npages + 1) * img.page;
  return true;
}

void reloc_cache_store(const Module& m) {
  static const uint64_t page = runtime_page_size();
  if (!reloc_cache_storable(m)) return;
  int dir = scope_dir();
  if (dir < 0) return;
  char file[64], tmp[96];
  file_name(m.cache_key.dev, m.cache_key.ino, file);
  snprintf(tmp, sizeof tmp, ".%s.%d.tmp", file, static_cast<int>(getpid()));
  Fd fd(create_temp(dir, tmp));
  bool ok = fd.get() >= 0 && write_cache(fd.get(), m, expected_header(m.phdrs, m.cache_key, page), page) &&
            fdatasync(fd.get()) == 0 && renameat(dir, tmp, dir, file) == 0;
  if (!ok) {
    debug(DebugLibs, "relocation cache: cannot store %s for %s: %s", file, m.name.c_str(), strerror(errno));
    if (fd.get() >= 0) unlinkat(dir, tmp, 0);
    return;
  }
  debug(DebugLibs, "relocation cache: stored %s for %s", file, m.name.c_str());
}

}  // namespace staticdl
