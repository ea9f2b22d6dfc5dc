#include "mapper.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "debug.h"
#include "fault.h"
#include "range.h"
#include "reloc_cache.h"

namespace staticdl {

static int prot_of(uint32_t flags) {
  return ((flags & PF_R) ? PROT_READ : 0) | ((flags & PF_W) ? PROT_WRITE : 0) | ((flags & PF_X) ? PROT_EXEC : 0);
}

// Reserves `size` bytes aligned to `align` and trims the excess.
static Status reserve(const char* name, uint64_t size, uint64_t align, uint64_t page, Mapping* out) {
  uint64_t extra = align > page ? align - page : 0;
  uint64_t total;
  if (!add_ok(size, extra, &total)) return fail(Errc::NoMemory, "%s: cannot map zero-fill pages", name);
  void* p = sd_mmap(nullptr, total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    return fail(Errc::NoMemory, "%s: failed to map segment from shared object: %s", name, strerror(errno));
  uintptr_t start = reinterpret_cast<uintptr_t>(p);
  uintptr_t aligned = (start + align - 1) & ~(uintptr_t)(align - 1);
  if (aligned > start) munmap(p, aligned - start);
  uintptr_t end = aligned + size;
  if (start + total > end) munmap(reinterpret_cast<void*>(end), start + total - end);
  *out = Mapping(reinterpret_cast<void*>(aligned), size);
  return Status::ok();
}

// glibc's reservation: the first segment mapped from the file with the
// length of the whole image (one system call instead of an anonymous
// reservation and the segment's own mmap). The pages past the first
// segment are replaced by the other segments or made inaccessible
// (close_holes); none is touched before that.
static Status reserve_with_first(const char* name, const Elf64_Phdr& first, const Input& in, uint64_t span,
                                 uint64_t page, Mapping* out) {
  void* p = sd_mmap(nullptr, span, prot_of(first.p_flags), MAP_PRIVATE, in.fd,
                    static_cast<off_t>(page_down(first.p_offset, page)));
  if (p == MAP_FAILED)
    return fail(Errc::NoMemory, "%s: failed to map segment from shared object: %s", name, strerror(errno));
  *out = Mapping(p, span);
  return Status::ok();
}

// Reserves [at, at + size) if nothing is mapped there (MAP_FIXED_NOREPLACE,
// Linux 4.17; an older kernel takes the address as a hint, so the result is
// compared). False: the range is taken.
static bool reserve_at(uintptr_t at, uint64_t size, Mapping* out) {
  constexpr int kFixedNoReplace = 0x100000;
  void* want = reinterpret_cast<void*>(at);
  void* p = sd_mmap(want, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | kFixedNoReplace, -1, 0);
  if (p == MAP_FAILED) return false;
  if (p != want) return munmap(p, size), false;
  *out = Mapping(p, size);
  return true;
}

static Status map_fixed_anon(const char* name, uintptr_t at, uint64_t len, int prot) {
  if (!len) return Status::ok();
  void* p = sd_mmap(reinterpret_cast<void*>(at), len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (p == MAP_FAILED) return fail(Errc::NoMemory, "%s: cannot map zero-fill pages: %s", name, strerror(errno));
  return Status::ok();
}

// Copies the file bytes of `ph` into anonymous pages, then sets `prot`.
static Status copy_segment(const char* name, const Elf64_Phdr& ph, const Input& in, uintptr_t bias, uint64_t page,
                           int prot) {
  uintptr_t start = page_down(bias + ph.p_vaddr, page);
  uint64_t end;
  if (!page_up(bias + ph.p_vaddr + ph.p_memsz, page, &end)) return fail(Errc::BadElf, "%s: invalid segment", name);
  STATICDL_TRY(map_fixed_anon(name, start, end - start, PROT_READ | PROT_WRITE));
  STATICDL_TRY(in.read(name, reinterpret_cast<void*>(bias + ph.p_vaddr), ph.p_offset, ph.p_filesz));
  if (prot != (PROT_READ | PROT_WRITE) && sd_mprotect(reinterpret_cast<void*>(start), end - start, prot) != 0)
    return fail(Errc::NoMemory, "%s: cannot change memory protections: %s", name, strerror(errno));
  return Status::ok();
}

// A file truncated while it is being mapped would fault (SIGBUS) when a
// page past its new end is touched, so the size is checked once after
// mapping and before the loader touches a mapped page. (Everything read afterwards is
// the mapped image itself, validated against the segments, so a file that
// is rewritten instead cannot make the loader read out of bounds.)
static Status check_unchanged_size(const char* name, const Input& in) {
  struct stat st;
  if (fstat(in.fd, &st) != 0 || static_cast<uint64_t>(st.st_size) < in.size)
    return fail(Errc::Io, "%s: file changed size while being loaded", name);
  return Status::ok();
}

// Whether `ph` is mapped from the fd (else its bytes are copied).
static bool maps_file(const Elf64_Phdr& ph, const Input& in, uint64_t page) {
  bool congruent = ((ph.p_vaddr - ph.p_offset) & (page - 1)) == 0;
  bool tail_in_readonly = ph.p_memsz > ph.p_filesz && !(prot_of(ph.p_flags) & PROT_WRITE);
  return !in.mem && !in.zstd && congruent && !tail_in_readonly;
}

// The first PT_LOAD, if its file mapping can reserve the whole image
// (reserve_with_first).
static const Elf64_Phdr* spanning_segment(const ElfImage& img, const Input& in) {
  for (const Elf64_Phdr& ph : img.phdrs)
    if (ph.p_type == PT_LOAD && ph.p_memsz)
      return img.align <= img.page && ph.p_filesz && maps_file(ph, in, img.page) ? &ph : nullptr;
  return nullptr;
}

// Zeroes the rest of the last file page of a file-mapped segment with a
// .bss (the bytes after p_filesz are the file's next bytes). Only after
// check_unchanged_size().
static void zero_file_tail(const Elf64_Phdr& ph, uintptr_t bias, uint64_t page) {
  uintptr_t file_end = bias + ph.p_vaddr + ph.p_filesz;
  if (ph.p_filesz && ph.p_memsz > ph.p_filesz && (file_end & (page - 1)))
    memset(reinterpret_cast<void*>(file_end), 0, page - (file_end & (page - 1)));
}

// Maps `ph` from fd at off (the file's, or the relocation cache's), and
// the .bss pages after it.
static Status file_segment(const char* name, const Elf64_Phdr& ph, int fd, uint64_t off, uintptr_t bias,
                           uint64_t page, int prot, bool file_part_mapped = false) {
  uintptr_t start = page_down(bias + ph.p_vaddr, page);
  uintptr_t file_end = bias + ph.p_vaddr + ph.p_filesz;
  uint64_t file_map_end, mem_end;
  if (!page_up(file_end, page, &file_map_end) || !page_up(bias + ph.p_vaddr + ph.p_memsz, page, &mem_end))
    return fail(Errc::BadElf, "%s: invalid segment", name);
  if (ph.p_filesz && !file_part_mapped) {
    void* p = sd_mmap(reinterpret_cast<void*>(start), file_map_end - start, prot, MAP_PRIVATE | MAP_FIXED, fd,
                      static_cast<off_t>(off));
    if (p == MAP_FAILED)
      return fail(Errc::NoMemory, "%s: failed to map segment from shared object: %s", name, strerror(errno));
  } else if (!ph.p_filesz) {
    file_map_end = start;
  }
  if (mem_end > file_map_end) STATICDL_TRY(map_fixed_anon(name, file_map_end, mem_end - file_map_end, prot));
  return Status::ok();
}

// Two segments must not share a page: their protections would conflict.
// That happens with objects linked for a smaller page size than this
// system's; glibc refuses them as well.
static Status check_page_separation(const char* name, const ElfImage& img) {
  uint64_t prev_end = 0;
  bool first = true;
  for (const Elf64_Phdr& ph : img.phdrs) {
    if (ph.p_type != PT_LOAD || !ph.p_memsz) continue;
    if (!first && page_down(ph.p_vaddr, img.page) < prev_end)
      return fail(Errc::Unsupported,
                  "%s: segments share a %lu-byte page (linked for a smaller page size; relink with "
                  "-z max-page-size=%lu)",
                  name, (unsigned long)img.page, (unsigned long)img.page);
    first = false;
    if (!page_up(ph.p_vaddr + ph.p_memsz, img.page, &prev_end)) return fail(Errc::BadElf, "%s: invalid segment", name);
  }
  return Status::ok();
}

// Program header i's place in the relocation cache file, or 0.
static uint64_t cache_offset(const CachedPages* cache, size_t i) { return cache ? cache->offset[i] : 0; }

static Status map_segments(const char* name, const ElfImage& img, const Input& in, Module& m,
                           const CachedPages* cache, const Elf64_Phdr* spanning) {
  for (size_t i = 0; i < img.phdrs.size(); i++) {
    const Elf64_Phdr& ph = img.phdrs[i];
    (void)m.phdrs.push(ph);
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    int prot = prot_of(ph.p_flags);
    if (uint64_t off = cache_offset(cache, i))
      STATICDL_TRY(file_segment(name, ph, cache->fd.get(), off, m.bias, img.page, prot));
    else if (maps_file(ph, in, img.page))
      STATICDL_TRY(file_segment(name, ph, in.fd, page_down(ph.p_offset, img.page), m.bias, img.page, prot,
                                &ph == spanning));
    else
      STATICDL_TRY(copy_segment(name, ph, in, m.bias, img.page, prot));
    Segment s{m.bias + ph.p_vaddr, ph.p_memsz, ph.p_filesz, prot};
    if (!m.segments.push(s)) return fail(Errc::NoMemory, "%s: cannot allocate memory", name);
  }
  if (cache) {
    Input c;
    c.fd = cache->fd.get(), c.size = cache->size;
    STATICDL_TRY(check_unchanged_size(name, c));
  }
  return Status::ok();
}

// Makes the pages between segments inaccessible, as an anonymous
// reservation leaves them (after reserve_with_first they still show the
// file with the first segment's protection).
static Status close_holes(const char* name, const ElfImage& img, uintptr_t bias) {
  uint64_t prev_end = img.min_vaddr, start, end;
  for (const Elf64_Phdr& ph : img.phdrs) {
    if (ph.p_type != PT_LOAD || !ph.p_memsz) continue;
    start = page_down(ph.p_vaddr, img.page);
    if (start > prev_end && sd_mprotect(reinterpret_cast<void*>(bias + prev_end), start - prev_end, PROT_NONE) != 0)
      return fail(Errc::NoMemory, "%s: cannot change memory protections: %s", name, strerror(errno));
    if (page_up(ph.p_vaddr + ph.p_memsz, img.page, &end) && end > prev_end) prev_end = end;
  }
  return Status::ok();
}

Status map_image(const char* name, const ElfImage& img, const Input& in, Module& m, const CachedPages* cache) {
  STATICDL_TRY(check_page_separation(name, img));
  uint64_t span = img.max_vaddr - img.min_vaddr;
  if (cache && !reserve_at(cache->bias + img.min_vaddr, span, &m.image)) {
    debug(DebugLibs, "relocation cache: the address of %s is taken; loading without the cache", name);
    cache = nullptr;
  }
  const Elf64_Phdr* spanning = cache ? nullptr : spanning_segment(img, in);
  if (spanning) STATICDL_TRY(reserve_with_first(name, *spanning, in, span, img.page, &m.image));
  else if (!cache) STATICDL_TRY(reserve(name, span, img.align, img.page, &m.image));
  m.cache_mapped = cache != nullptr;
  m.relative_prefix = cache ? cache->relative_prefix : 0;
  m.bias = reinterpret_cast<uintptr_t>(m.image.data()) - img.min_vaddr;
  if (!m.phdrs.reserve(img.phdrs.size())) return fail(Errc::NoMemory, "%s: cannot allocate memory", name);
  STATICDL_TRY(map_segments(name, img, in, m, cache, spanning));
  if (spanning) STATICDL_TRY(close_holes(name, img, m.bias));
  if (!in.mem && !in.zstd) STATICDL_TRY(check_unchanged_size(name, in));
  for (size_t i = 0; i < img.phdrs.size(); i++) {  // a cached page has its tail zeroed
    const Elf64_Phdr& ph = img.phdrs[i];
    if (ph.p_type == PT_LOAD && ph.p_memsz && maps_file(ph, in, img.page) && !cache_offset(cache, i))
      zero_file_tail(ph, m.bias, img.page);
  }
  if (img.relro >= 0) {
    const Elf64_Phdr& r = img.phdrs[static_cast<size_t>(img.relro)];
    m.relro_start = page_down(m.bias + r.p_vaddr, img.page);
    m.relro_end = page_down(m.bias + r.p_vaddr + r.p_memsz, img.page);
    bool inside = false;  // within the pages of one writable segment
    for (const Segment& s : m.segments) {
      uint64_t lo = page_down(s.start, img.page), hi;
      if ((s.prot & PROT_WRITE) && page_up(s.start + s.memsz, img.page, &hi))
        inside |= range_contains(lo, hi - lo, m.relro_start, m.relro_end - m.relro_start);
    }
    if (m.relro_end > m.relro_start && !inside)
      return fail(Errc::BadElf, "%s: PT_GNU_RELRO is not inside a writable segment", name);
  }
  return Status::ok();
}

Status apply_relro(const char* name, Module& m) {
  if (m.relro_end <= m.relro_start) return Status::ok();
  if (sd_mprotect(reinterpret_cast<void*>(m.relro_start), m.relro_end - m.relro_start, PROT_READ) != 0)
    return fail(Errc::NoMemory, "%s: cannot apply additional memory protection after relocation: %s", name,
                strerror(errno));
  return Status::ok();
}

}  // namespace staticdl
