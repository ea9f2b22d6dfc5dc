// Dynamic symbol tables: validation, hashed lookup and symbol versioning.
//
// Formats (ELF64; all words little-endian host order):
//
// DT_GNU_HASH:
//     uint32 nbuckets, symoffset, bloom_size, bloom_shift
//     uint64 bloom[bloom_size]        (bloom_size a power of two)
//     uint32 buckets[nbuckets]        (0 = empty, else a symbol index >= symoffset)
//     uint32 chain[nsyms - symoffset] (hash of symbol symoffset+k with bit 0
//                                      replaced by "last in this chain")
//   Symbols below symoffset are not hashed. The symbols of one bucket are
//   contiguous, so a chain is walked by incrementing the index until an
//   entry with bit 0 set. The table does not store nsyms: it is the end of
//   the chain that starts at the largest bucket value.
//
// DT_HASH (SysV):
//     uint32 nbucket, nchain, buckets[nbucket], chain[nchain]
//   nchain equals the number of symbols; chain[i] is the next index in the
//   bucket's list, 0 (STN_UNDEF) ending it. A crafted chain may cycle, so a
//   walk takes at most nchain steps.
//
// DT_VERSYM is a uint16 per symbol: 0 = local, 1 = global (unversioned),
// otherwise the index of a version defined in DT_VERDEF (for definitions) or
// needed in DT_VERNEED (for references); bit 15 (0x8000) marks a hidden,
// non-default version (foo@V rather than foo@@V).
// DT_VERDEF is a list of Elf64_Verdef records linked by vd_next byte offsets;
// each has vd_cnt Elf64_Verdaux records (at vd_aux, then linked by vda_next),
// the first naming the version. DT_VERNEED is a list of Elf64_Verneed
// records (vn_next), each with vn_cnt Elf64_Vernaux records (vn_aux,
// vna_next); vna_other is the version index used in DT_VERSYM.
//
// build_symbol_table() checks all of this once, against the object's
// MemoryCheck, and the accessors below check their indices again, so a table
// that is malformed (or altered after the check) yields "not found", never
// an out-of-bounds read or an endless loop.
#include "symtab.h"

#include <string.h>

#include "fault.h"
#include "range.h"
#include "symmatch.h"

namespace staticdl {

using symmatch::kVerHidden;
using symmatch::kVerIndex;
using symmatch::matches;

namespace {

// A T at `addr`, or nullptr when it is misaligned or outside `mem`.
template <typename T>
const T* at(const MemoryCheck& mem, uintptr_t addr) {
  if (addr == 0 || addr % alignof(T) != 0 || !mem.contains(addr, sizeof(T))) return nullptr;
  return reinterpret_cast<const T*>(addr);
}

// base + off, or 0 on overflow.
uintptr_t offset(uintptr_t base, uint64_t off) {
  uint64_t r;
  return add_ok(base, off, &r) ? static_cast<uintptr_t>(r) : 0;
}

// `count` elements of `elem` bytes at `addr`, aligned to `align`, lie in mem.
bool array_ok(const MemoryCheck& mem, uintptr_t addr, uint64_t count, uint64_t elem, uint64_t align) {
  uint64_t bytes;
  return addr % align == 0 && mul_ok(count, elem, &bytes) && mem.contains(addr, bytes);
}

// ---- Version records -------------------------------------------------------

struct VerdefEntry {
  uint16_t ndx = 0, flags = 0;
  uint32_t hash = 0;
  const char* name = nullptr;
};

struct VernauxEntry {
  const char* file = nullptr;  // the Elf64_Verneed's vn_file
  uint16_t other = 0, flags = 0;
  uint32_t hash = 0;
  const char* name = nullptr;
};

// Checks the `cnt` Elf64_Verdaux records of one verdef; returns the first
// one's name (the version being defined) or nullptr when malformed.
const char* verdaux_name(const SymbolTable& t, uintptr_t vd, const Elf64_Verdef& d) {
  if (d.vd_cnt == 0) return nullptr;
  const char* first = nullptr;
  uintptr_t p = offset(vd, d.vd_aux);
  for (uint32_t k = 0; k < d.vd_cnt; k++) {
    const Elf64_Verdaux* a = p ? at<Elf64_Verdaux>(t.mem, p) : nullptr;
    const char* name = a ? t.str(a->vda_name) : nullptr;
    if (!name) return nullptr;
    if (k == 0) first = name;
    if (k + 1 < d.vd_cnt && (a->vda_next == 0 || !(p = offset(p, a->vda_next)))) return nullptr;
  }
  return first;
}

// Walks DT_VERDEF, calling visit(const VerdefEntry&) until it returns true.
// Returns false when a record is malformed.
template <typename F>
bool walk_verdef(const SymbolTable& t, F&& visit) {
  uintptr_t p = reinterpret_cast<uintptr_t>(t.verdef);
  for (uint32_t k = 0; p && k < t.verdefnum; k++) {
    const Elf64_Verdef* d = at<Elf64_Verdef>(t.mem, p);
    if (!d || d->vd_version != VER_DEF_CURRENT) return false;
    VerdefEntry e;
    e.ndx = d->vd_ndx, e.flags = d->vd_flags, e.hash = d->vd_hash;
    if (!(e.name = verdaux_name(t, p, *d))) return false;
    if (visit(e)) return true;
    if (k + 1 < t.verdefnum && (d->vd_next == 0 || !(p = offset(p, d->vd_next)))) return false;
  }
  return true;
}

// Walks the Elf64_Vernaux records of one verneed; see walk_verneed.
template <typename F>
int walk_vernaux(const SymbolTable& t, uintptr_t vn, const Elf64_Verneed& n, F& visit) {
  uintptr_t p = offset(vn, n.vn_aux);
  for (uint32_t k = 0; k < n.vn_cnt; k++) {
    const Elf64_Vernaux* a = p ? at<Elf64_Vernaux>(t.mem, p) : nullptr;
    if (!a) return -1;
    VernauxEntry e;
    e.file = t.str(n.vn_file);
    e.other = a->vna_other, e.flags = a->vna_flags, e.hash = a->vna_hash;
    if (!(e.name = t.str(a->vna_name))) return -1;
    if (visit(e)) return 1;
    if (k + 1 < n.vn_cnt && (a->vna_next == 0 || !(p = offset(p, a->vna_next)))) return -1;
  }
  return 0;
}

// Walks DT_VERNEED, calling visit(const VernauxEntry&) until it returns
// true. Returns false when a record is malformed.
template <typename F>
bool walk_verneed(const SymbolTable& t, F&& visit) {
  uintptr_t p = reinterpret_cast<uintptr_t>(t.verneed);
  for (uint32_t k = 0; p && k < t.verneednum; k++) {
    const Elf64_Verneed* n = at<Elf64_Verneed>(t.mem, p);
    if (!n || n->vn_version != VER_NEED_CURRENT || !t.str(n->vn_file)) return false;
    int r = walk_vernaux(t, p, *n, visit);
    if (r != 0) return r > 0;
    if (k + 1 < t.verneednum && (n->vn_next == 0 || !(p = offset(p, n->vn_next)))) return false;
  }
  return true;
}

// The VERDEF record with index `ndx`. Relocations and lookups ask for the
// same few versions over and over (libstdc++: GLIBCXX_3.4 in most of its
// 5,000 self-references), so recent answers are memoized per table.
bool find_verdef(const SymbolTable& t, uint16_t ndx, VerdefEntry* out) {
  // A memo entry with name == nullptr records an index with no record; the
  // zeroed entries say that of index 0 (VER_NDX_LOCAL), which is true.
  SymbolTable::VersionMemos* m = t.memos();
  SymbolTable::VersionMemo* memo = m ? &m->verdef[ndx % SymbolTable::kVerdefMemo] : nullptr;
  if (memo && memo->ndx == ndx) {
    if (!memo->name) return false;
    out->ndx = memo->ndx, out->flags = memo->flags, out->hash = memo->hash, out->name = memo->name;
    return true;
  }
  // One walk memoizes every record it passes: a lookup asks for many of a
  // libc's versions, and each first ask would otherwise walk again. Per
  // slot the walk's first record stays (of two with one index, the first
  // counts; in a table with more versions than slots, some walk again).
  static_assert(SymbolTable::kVerdefMemo <= 64, "one bit per slot");
  bool found = false;
  uint64_t written = 0;
  walk_verdef(t, [&](const VerdefEntry& e) {
    if (e.ndx == ndx && !found) *out = e, found = true;
    if (!m) return found;
    size_t k = e.ndx % SymbolTable::kVerdefMemo;
    if (!(written >> k & 1)) written |= 1ull << k, m->verdef[k] = {e.ndx, e.flags, e.hash, e.name};
    return false;
  });
  if (!found && memo) *memo = SymbolTable::VersionMemo{ndx, 0, 0, nullptr};
  return found;
}

// ---- Matching ----------------------------------------------------------------

// The GNU table's walk is symmatch::gnu_walk (symmatch.h), inline; what
// it calls for a version other than the default one is here.

}  // namespace

bool symmatch::version_record_matches(const SymbolTable& t, uint16_t v, const VersionReq& ver) {
  bool hidden = v & kVerHidden;
  VerdefEntry d;
  // An index with no VERDEF record (0, or 1 = global) is an unversioned
  // definition, and glibc binds a versioned reference to it, but not a
  // dlvsym (ver.exact). The base record (VER_FLG_BASE, naming the file) is
  // not a version either: glibc keeps it out of matching.
  if (!find_verdef(t, v & kVerIndex, &d) || (d.flags & VER_FLG_BASE)) return !hidden && !ver.exact;
  return d.hash == ver.hash && strcmp(d.name, ver.name) == 0;
}

namespace {

int64_t sysv_lookup(const SymbolTable& t, const SymName& n, const VersionReq& ver) {
  uint32_t i = t.sysv_buckets[n.sysv() % t.sysv_nbuckets];
  for (uint32_t steps = 0; i != STN_UNDEF && steps < t.nsyms; steps++) {  // nsyms == nchain
    if (i >= t.nsyms) return -1;
    if (matches(t, i, n, ver)) return i;
    i = t.sysv_chain[i];
  }
  return -1;
}

// ---- Building ----------------------------------------------------------------

Error invalid(const char* what, const char* table) {
  return fail(Errc::BadElf, "%s: invalid %s table", what, table);
}

Status setup_strtab(SymbolTable& t, const char* what, const SymbolTableInputs& in) {
  if (!in.strtab) return in.symtab ? fail(Errc::BadElf, "%s: DT_SYMTAB without DT_STRTAB", what) : Status();
  if (in.strsz == 0 || !t.mem.contains(in.strtab, in.strsz)) return invalid(what, "DT_STRTAB");
  t.strtab = reinterpret_cast<const char*>(in.strtab);
  t.strsz = in.strsz;
  t.str_terminated = t.strtab[t.strsz - 1] == 0;
  return Status();
}

// nsyms for a GNU table: the end of the chain of the largest bucket value.
Status gnu_count(SymbolTable& t, const char* what) {
  uint32_t maxb = 0;
  for (uint32_t b = 0; b < t.gnu_nbuckets; b++) {
    uint32_t v = t.gnu_buckets[b];
    if (v != 0 && v < t.gnu_symoffset) return invalid(what, "DT_GNU_HASH");
    if (v > maxb) maxb = v;
  }
  if (maxb == 0) return t.nsyms = t.gnu_symoffset, Status();
  uintptr_t chain = reinterpret_cast<uintptr_t>(t.gnu_chain);
  for (uint32_t i = maxb;; i++) {
    if (i == UINT32_MAX) return invalid(what, "DT_GNU_HASH");
    const uint32_t* c = at<uint32_t>(t.mem, offset(chain, uint64_t(i - t.gnu_symoffset) * 4));
    if (!c) return invalid(what, "DT_GNU_HASH");
    if (*c & 1) return t.nsyms = i + 1, Status();
  }
}

Status setup_gnu(SymbolTable& t, const char* what, uintptr_t addr) {
  const uint32_t* h = reinterpret_cast<const uint32_t*>(addr);
  if (!array_ok(t.mem, addr, 4, 4, 8)) return invalid(what, "DT_GNU_HASH");
  t.gnu_nbuckets = h[0], t.gnu_symoffset = h[1], t.gnu_bloom_size = h[2], t.gnu_bloom_shift = h[3];
  t.gnu_bloom_mask = t.gnu_bloom_size - 1;
  if (t.gnu_nbuckets == 0 || !is_pow2(t.gnu_bloom_size) || t.gnu_bloom_shift >= 32)
    return invalid(what, "DT_GNU_HASH");
  t.gnu_bucket_magic = SymbolTable::bucket_magic(t.gnu_nbuckets);  // nbuckets 1: every remainder 0
  uintptr_t bloom = addr + 16;
  uintptr_t buckets = offset(bloom, uint64_t(t.gnu_bloom_size) * 8);
  uintptr_t chain = buckets ? offset(buckets, uint64_t(t.gnu_nbuckets) * 4) : 0;
  if (!chain || !array_ok(t.mem, bloom, t.gnu_bloom_size, 8, 8) || !array_ok(t.mem, buckets, t.gnu_nbuckets, 4, 4))
    return invalid(what, "DT_GNU_HASH");
  t.gnu_bloom = reinterpret_cast<const uint64_t*>(bloom);
  t.gnu_buckets = reinterpret_cast<const uint32_t*>(buckets);
  t.gnu_chain = reinterpret_cast<const uint32_t*>(chain);  // entry k is symbol symoffset + k
  STATICDL_TRY(gnu_count(t, what));
  if (!array_ok(t.mem, chain, t.nsyms - t.gnu_symoffset, 4, 4)) return invalid(what, "DT_GNU_HASH");
  return Status();
}

Status setup_sysv(SymbolTable& t, const char* what, uintptr_t addr) {
  const uint32_t* h = reinterpret_cast<const uint32_t*>(addr);
  if (!array_ok(t.mem, addr, 2, 4, 4)) return invalid(what, "DT_HASH");
  uint32_t nbucket = h[0], nchain = h[1];
  uint64_t total = uint64_t(nbucket) + nchain;
  if (nbucket == 0 || !array_ok(t.mem, addr + 8, total, 4, 4)) return invalid(what, "DT_HASH");
  const uint32_t* buckets = h + 2;
  const uint32_t* chain = buckets + nbucket;
  for (uint32_t b = 0; b < nbucket; b++)
    if (buckets[b] >= nchain) return invalid(what, "DT_HASH");
  for (uint32_t c = 0; c < nchain; c++)
    if (chain[c] >= nchain) return invalid(what, "DT_HASH");
  t.sysv_buckets = buckets, t.sysv_chain = chain, t.sysv_nbuckets = nbucket;
  t.nsyms = nchain;
  return Status();
}

Status setup_symbols(SymbolTable& t, const char* what, const SymbolTableInputs& in) {
  if (!in.symtab) {
    if (in.gnu_hash || in.sysv_hash || in.versym) return fail(Errc::BadElf, "%s: hash table without DT_SYMTAB", what);
    return Status();
  }
  if (in.syment != sizeof(Elf64_Sym))
    return fail(Errc::BadElf, "%s: invalid DT_SYMENT %llu", what, (unsigned long long)in.syment);
  if (in.gnu_hash) STATICDL_TRY(setup_gnu(t, what, in.gnu_hash));
  else if (in.sysv_hash) STATICDL_TRY(setup_sysv(t, what, in.sysv_hash));
  else return fail(Errc::BadElf, "%s: no DT_GNU_HASH or DT_HASH table", what);
  if (!array_ok(t.mem, in.symtab, t.nsyms, sizeof(Elf64_Sym), alignof(Elf64_Sym))) return invalid(what, "DT_SYMTAB");
  t.syms = reinterpret_cast<const Elf64_Sym*>(in.symtab);
  return Status();
}

Status setup_versions(SymbolTable& t, const char* what, const SymbolTableInputs& in) {
  if (in.versym) {
    if (!array_ok(t.mem, in.versym, t.nsyms, 2, 2)) return invalid(what, "DT_VERSYM");
    t.versym = reinterpret_cast<const uint16_t*>(in.versym);
  }
  if (in.verdef) {
    if (in.verdefnum == 0 || in.verdefnum > UINT32_MAX) return invalid(what, "DT_VERDEF");
    t.verdef = reinterpret_cast<const uint8_t*>(in.verdef);
    t.verdefnum = static_cast<uint32_t>(in.verdefnum);
    if (!walk_verdef(t, [](const VerdefEntry&) { return false; })) return invalid(what, "DT_VERDEF");
  }
  if (in.verneed) {
    if (in.verneednum == 0 || in.verneednum > UINT32_MAX) return invalid(what, "DT_VERNEED");
    t.verneed = reinterpret_cast<const uint8_t*>(in.verneed);
    t.verneednum = static_cast<uint32_t>(in.verneednum);
    if (!walk_verneed(t, [](const VernauxEntry&) { return false; })) return invalid(what, "DT_VERNEED");
  }
  return Status();
}

}  // namespace

bool for_each_needed_version(const SymbolTable& t, bool (*visit)(const NeededVersion& v, void* ctx), void* ctx) {
  bool stopped = false;
  walk_verneed(t, [&](const VernauxEntry& e) {
    stopped = !visit(NeededVersion{e.file, e.name, e.hash, (e.flags & VER_FLG_WEAK) != 0}, ctx);
    return stopped;
  });
  return !stopped;
}

bool defines_version(const SymbolTable& t, const char* name, uint32_t hash) {
  if (!t.verdef) return true;
  // The definitions' memo holds every record once any find_verdef walk
  // has run (up to kVerdefMemo of them: libc.so.6 defines 39); a version
  // found there needs no walk. Not found: the records themselves decide.
  VerdefEntry base;
  if (SymbolTable::VersionMemos* m = t.memos(); m && find_verdef(t, 1, &base))
    for (const SymbolTable::VersionMemo& v : m->verdef)
      if (v.name && v.hash == hash && !strcmp(v.name, name)) return true;
  bool found = false;
  walk_verdef(t, [&](const VerdefEntry& e) { return found = e.hash == hash && !strcmp(e.name, name); });
  return found;
}

bool MemoryCheck::contains(uintptr_t addr, uint64_t size) const {
  if (!(hi >= lo && range_contains(lo, hi - lo, addr, size))) return false;
  return !exact || exact(ctx, addr, size);
}

// ---- SymbolTable -----------------------------------------------------------------

const char* SymbolTable::str(uint64_t off) const {
  if (!strtab || off >= strsz) return nullptr;
  const char* s = strtab + off;
  if (str_terminated) return s;  // every string ends by the table's final NUL
  return memchr(s, 0, strsz - off) ? s : nullptr;
}

const char* SymbolTable::name_of(uint32_t i) const {
  if (!syms || i >= nsyms) return nullptr;
  return str(syms[i].st_name);
}

int64_t SymbolTable::lookup_hashed(const SymName& n, const VersionReq& ver) const {
  if (!syms || !n.name) return -1;
  if (gnu_buckets) return symmatch::gnu_walk(*this, n, ver);
  if (sysv_buckets) return sysv_lookup(*this, n, ver);
  return -1;
}

VersionReq SymbolTable::required_version(uint32_t i) const {
  VersionReq r;
  if (!versym || i >= nsyms) return r;
  uint16_t ndx = versym[i] & kVerIndex;
  if (ndx <= VER_NDX_GLOBAL) return r;
  // A relocation through a defined symbol asks for that symbol's own
  // version (glibc's l_versions holds VERDEF and VERNEED indexes alike):
  // libm's GLOB_DAT against its _LIB_VERSION@GLIBC_2.2.5, a hidden one.
  VerdefEntry d;
  if (syms[i].st_shndx != SHN_UNDEF && find_verdef(*this, ndx, &d) && !(d.flags & VER_FLG_BASE)) {
    r.name = d.name, r.hash = d.hash;
    return r;
  }
  VersionMemos* m = memos();
  VersionMemo* memo = m ? &m->verneed[ndx % kVerneedMemo] : nullptr;  // as for find_verdef
  if (memo && memo->name && memo->ndx == ndx) {
    r.name = memo->name, r.hash = memo->hash, r.weak = memo->flags != 0;
    return r;
  }
  static_assert(kVerneedMemo <= 64, "one bit per slot");
  uint64_t written = 0;
  walk_verneed(*this, [&](const VernauxEntry& e) {  // memoizing all it passes, as find_verdef
    uint16_t x = e.other & kVerIndex, weak = (e.flags & VER_FLG_WEAK) != 0;
    if (x == ndx && !r.name) r.name = e.name, r.hash = e.hash, r.weak = weak;
    if (!m) return r.name != nullptr;
    size_t k = x % kVerneedMemo;
    if (!(written >> k & 1)) written |= 1ull << k, m->verneed[k] = VersionMemo{x, weak, e.hash, e.name};
    return false;
  });
  return r;
}

SymbolTable::VersionMemos* SymbolTable::memos() const {
  if (!memos_.p) memos_.p = static_cast<VersionMemos*>(sd_calloc(1, sizeof(VersionMemos)));
  return memos_.p;
}

const char* SymbolTable::defined_version(uint32_t i) const {
  if (!versym || !verdef || i >= nsyms) return nullptr;
  uint16_t ndx = versym[i] & kVerIndex;
  VerdefEntry d;
  if (ndx <= VER_NDX_GLOBAL || !find_verdef(*this, ndx, &d) || (d.flags & VER_FLG_BASE)) return nullptr;
  return d.name;
}

namespace {
// Runtime address of a d_ptr, or 0 when it points outside [lo, hi). A
// dynamic section holds link-time addresses, unless the startup code
// rewrote them in place (glibc's ld.so does, on x86_64 and aarch64).
uintptr_t dyn_ptr(uint64_t d_ptr, uintptr_t bias, const MemoryCheck& span) {
  uint64_t a;
  if (!d_ptr) return 0;
  if (add_ok(d_ptr, bias, &a) && a >= span.lo && a < span.hi) return a;
  return d_ptr >= span.lo && d_ptr < span.hi ? d_ptr : 0;
}
}  // namespace

bool read_symbol_inputs(const Elf64_Dyn* d, size_t count, uintptr_t bias, const MemoryCheck& span,
                        SymbolTableInputs* in) {
  for (size_t i = 0; i < count && d[i].d_tag != DT_NULL; i++) {
    uint64_t v = d[i].d_un.d_val;
    switch (d[i].d_tag) {
      case DT_SYMTAB: in->symtab = dyn_ptr(v, bias, span); break;
      case DT_STRTAB: in->strtab = dyn_ptr(v, bias, span); break;
      case DT_STRSZ: in->strsz = v; break;
      case DT_SYMENT: in->syment = v; break;
      case DT_GNU_HASH: in->gnu_hash = dyn_ptr(v, bias, span); break;
      case DT_HASH: in->sysv_hash = dyn_ptr(v, bias, span); break;
      case DT_VERSYM: in->versym = dyn_ptr(v, bias, span); break;
      case DT_VERDEF: in->verdef = dyn_ptr(v, bias, span); break;
      case DT_VERDEFNUM: in->verdefnum = v; break;
      case DT_VERNEED: in->verneed = dyn_ptr(v, bias, span); break;
      case DT_VERNEEDNUM: in->verneednum = v; break;
      default: break;
    }
  }
  return in->symtab != 0;
}

Expected<SymbolTable> build_symbol_table(const char* what, const SymbolTableInputs& in, const MemoryCheck& mem) {
  SymbolTable t;
  t.mem = mem;
  STATICDL_TRY(setup_strtab(t, what, in));
  STATICDL_TRY(setup_symbols(t, what, in));
  STATICDL_TRY(setup_versions(t, what, in));
  return t;
}

}  // namespace staticdl
