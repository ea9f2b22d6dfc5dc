#include "populate.h"

#include <stdlib.h>
#include <sys/mman.h>

#include "elf_reader.h"
#include "fault.h"
#include "relr.h"

namespace staticdl {

namespace {

constexpr int kPopulateWrite = 23;  // MADV_POPULATE_WRITE (Linux 5.14)
constexpr size_t kMergeGap = 4;     // populate across shorter gaps: one call instead of two

// One bit per page of [lo, lo + npages * page).
struct PageSet {
  uintptr_t lo = 0;
  size_t npages = 0;
  unsigned shift = 12;
  uint64_t* bits = nullptr;

  void mark(uintptr_t a) {
    if (a < lo) return;
    uintptr_t p = (a - lo) >> shift;
    if (p < npages) bits[p >> 6] |= 1ull << (p & 63);
  }
  void mark_span(uintptr_t a, uintptr_t b) {  // [a, b], either order
    if (a > b) {
      uintptr_t t = a;
      a = b, b = t;
    }
    if (b < lo) return;
    uintptr_t p = a < lo ? 0 : (a - lo) >> shift, q = (b - lo) >> shift;
    for (; p <= q && p < npages; p++) bits[p >> 6] |= 1ull << (p & 63);
  }
  bool has(size_t p) const { return bits[p >> 6] >> (p & 63) & 1; }
};

void mark_relr(PageSet& ps, const Module& m) {
  (void)for_each_relr(reinterpret_cast<const uint64_t*>(m.dyn.relr), m.dyn.relrsz / sizeof(uint64_t), m.bias,
                      [&](uintptr_t p) { return ps.mark(p), true; });
}

// The pages of n RELA entries sorted by offset, reading one entry in
// kStride: when two read entries lie within kMergeGap pages of each other,
// every page between them is taken as written (populate_marked() would
// merge across such a gap anyway); further apart, or out of order, every
// entry between them is read.
void mark_sorted_rela(PageSet& ps, const Elf64_Rela* r, size_t n, uintptr_t bias) {
  constexpr size_t kStride = 64;
  if (!n) return;
  uintptr_t near = uintptr_t(kMergeGap) << ps.shift, prev = bias + r[0].r_offset;
  ps.mark(prev);
  for (size_t i = 0; i + 1 < n;) {
    size_t j = n - 1 - i > kStride ? i + kStride : n - 1;
    uintptr_t a = bias + r[j].r_offset;
    if (a >= prev && a - prev <= near)
      ps.mark_span(prev, a);
    else
      for (size_t k = i + 1; k <= j; k++) ps.mark(bias + r[k].r_offset);
    prev = a, i = j;
  }
}

void mark_plt(PageSet& ps, const Module& m) {
  size_t ent = m.dyn.pltrel == DT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
  size_t n = m.dyn.pltrelsz / ent;
  if (!n) return;
  const uint8_t* t = reinterpret_cast<const uint8_t*>(m.dyn.jmprel);
  uint64_t first = reinterpret_cast<const Elf64_Rel*>(t)->r_offset;  // r_offset leads both layouts
  uint64_t last = reinterpret_cast<const Elf64_Rel*>(t + (n - 1) * ent)->r_offset;
  ps.mark_span(m.bias + first, m.bias + last);
}

void populate(uintptr_t a, uintptr_t e) {
  if (e > a) (void)madvise(reinterpret_cast<void*>(a), e - a, kPopulateWrite);
}

// The file-backed pages of a writable segment, [*a, *e).
bool file_pages(const Segment& s, uint64_t page, uintptr_t* a, uintptr_t* e) {
  if (!(s.prot & PROT_WRITE) || !s.filesz) return false;
  *a = s.start & ~(page - 1);
  *e = (s.start + s.filesz + page - 1) & ~(page - 1);
  return *e > *a;
}

// madvise over the runs of marked pages of [a, e), merging short gaps.
void populate_marked(const PageSet& ps, uintptr_t a, uintptr_t e, uint64_t page) {
  size_t p = (a - ps.lo) >> ps.shift, end = (e - ps.lo) >> ps.shift;
  while (p < end) {
    while (p < end && !ps.has(p)) p++;
    if (p == end) return;
    size_t q = p + 1, gap = 0;
    for (; q < end && gap < kMergeGap; q++) gap = ps.has(q) ? 0 : gap + 1;
    q -= gap;  // the run ends at its last marked page
    populate(ps.lo + p * page, ps.lo + q * page);
    p = q;
  }
}

}  // namespace

void populate_relocated_pages(const Module& m) {
  static const uint64_t page = runtime_page_size();
  uintptr_t lo = UINTPTR_MAX, hi = 0, a, e;
  for (const Segment& s : m.segments)
    if (file_pages(s, page, &a, &e)) lo = a < lo ? a : lo, hi = e > hi ? e : hi;
  if (hi <= lo) return;
  size_t relacount = m.dyn.relacount < m.dyn.relasz / sizeof(Elf64_Rela) ? m.dyn.relacount
                                                                          : m.dyn.relasz / sizeof(Elf64_Rela);
  PageSet ps;
  ps.lo = lo, ps.npages = (hi - lo) / page, ps.shift = static_cast<unsigned>(__builtin_ctzll(page));
  bool informed = (m.dyn.relrsz || relacount) && !m.dyn.relsz;
  if (informed) ps.bits = static_cast<uint64_t*>(sd_calloc((ps.npages + 63) / 64, sizeof(uint64_t)));
  if (!ps.bits) {  // no way to tell the pages apart: all of them
    for (const Segment& s : m.segments)
      if (file_pages(s, page, &a, &e)) populate(a, e);
    return;
  }
  mark_relr(ps, m);
  mark_sorted_rela(ps, reinterpret_cast<const Elf64_Rela*>(m.dyn.rela), relacount, m.bias);
  mark_plt(ps, m);
  // Adjacent writable segments (lld's RELRO segment and the data after it)
  // are one range: a run may cross from one into the next.
  uintptr_t run_a = 0, run_e = 0;
  for (const Segment& s : m.segments) {
    if (!file_pages(s, page, &a, &e)) continue;
    if (a != run_e && run_e > run_a) populate_marked(ps, run_a, run_e, page);
    if (a != run_e) run_a = a;
    run_e = e;
  }
  if (run_e > run_a) populate_marked(ps, run_a, run_e, page);
  free(ps.bits);
}

}  // namespace staticdl
