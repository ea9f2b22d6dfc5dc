// Dynamic symbol tables: hashing, lookup and symbol versioning.
//
// A SymbolTable is a validated view of one object's .dynsym: the symbols,
// their string table, a hash table (DT_GNU_HASH preferred, DT_HASH as
// fallback) and the optional version tables (DT_VERSYM, DT_VERDEF,
// DT_VERNEED). It is used for loaded plugins and for the host executable's
// own .dynsym alike.
//
// Every index read from the tables is checked before use: bucket and chain
// values against the symbol count, string offsets against DT_STRSZ, and the
// version records against the mapped range that holds them. A GNU hash
// chain is walked at most nsyms steps, so a crafted file cannot loop.
#pragma once

#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "expected.h"

namespace staticdl {

// The classic SysV ELF hash (DT_HASH) and the GNU hash (DT_GNU_HASH, djb2):
// symhash.cpp. gnu_hash_len also stores strlen(name) in *len (one pass;
// SSE2 blocks on x86_64, else gnu_hash_len_words, 64-bit words);
// gnu_hash_reference is the plain byte loop, for tests.
uint32_t elf_hash(const char* name);
uint32_t gnu_hash(const char* name);
uint32_t gnu_hash_len(const char* name, size_t* len);
uint32_t gnu_hash_len_words(const char* name, size_t* len);
uint32_t gnu_hash_reference(const char* name);

// A name with its length and hashes, computed once per lookup: the GNU
// hash at once, the SysV hash only if some object without DT_GNU_HASH is
// searched.
struct SymName {
  const char* name;
  uint32_t gnu;
  size_t len;          // strlen(name)
  uint64_t bloom_bit;  // 1 << (gnu % 64): the GNU bloom filter's first bit, the same in every object
  explicit SymName(const char* n) : name(n) {
    alignas(16) static const char kEmpty[16] = {};  // aligned, so no byte of the hash's block is outside it
    gnu = gnu_hash_len(n ? n : kEmpty, &len);
    bloom_bit = uint64_t(1) << (gnu % 64);
  }
  uint32_t sysv() const {
    if (!have_sysv_) sysv_ = elf_hash(name ? name : ""), have_sysv_ = true;
    return sysv_;
  }

 private:
  mutable uint32_t sysv_ = 0;
  mutable bool have_sysv_ = false;
};

// A version a reference asks for: from the referencing object's VERNEED
// (or from dlvsym). `name == nullptr` means "no version requested".
struct VersionReq {
  const char* name = nullptr;
  uint32_t hash = 0;  // elf_hash(name)
  bool weak = false;  // VER_FLG_WEAK in the vernaux
  // dlvsym's request (glibc's r_found_version.hidden): only a definition of
  // exactly that version, not an unversioned one of an object with VERSYM.
  bool exact = false;
};

// Callback that checks [addr, addr+size) lies inside the object's mapped,
// readable image. Tables are only dereferenced after this check.
struct MemoryCheck {
  uintptr_t lo = 0, hi = 0;  // the reserved span of the object
  // When set, the exact test (the mapped segments, not the gaps between
  // them, which are PROT_NONE); lo/hi are then only a first filter.
  bool (*exact)(const void* ctx, uintptr_t addr, uint64_t size) = nullptr;
  const void* ctx = nullptr;
  bool contains(uintptr_t addr, uint64_t size) const;
};

struct SymbolTable {
  const Elf64_Sym* syms = nullptr;
  uint32_t nsyms = 0;  // derived from the hash table, validated
  const char* strtab = nullptr;
  uint64_t strsz = 0;
  bool str_terminated = false;  // strtab[strsz-1] == 0: no per-string scan needed

  // DT_GNU_HASH
  const uint32_t* gnu_buckets = nullptr;
  const uint32_t* gnu_chain = nullptr;  // indexed by symbol index - symoffset
  const uint64_t* gnu_bloom = nullptr;
  uint32_t gnu_nbuckets = 0, gnu_symoffset = 0, gnu_bloom_size = 0, gnu_bloom_shift = 0;
  uint32_t gnu_bloom_mask = 0;  // gnu_bloom_size - 1
  // 2^64 / gnu_nbuckets, rounded up: gnu_bucket() takes h % gnu_nbuckets
  // with two multiplications (Lemire, Kaser and Kurz, "Faster remainder by
  // direct computation", 2019) instead of a division, whose latency sits
  // between the hash and the first load of every lookup.
  uint64_t gnu_bucket_magic = 0;
  static uint64_t bucket_magic(uint32_t nbuckets) { return UINT64_MAX / nbuckets + 1; }  // nbuckets 1: 0
  uint32_t gnu_bucket(uint32_t h) const {
    return static_cast<uint32_t>((static_cast<unsigned __int128>(gnu_bucket_magic * h) * gnu_nbuckets) >> 64);
  }
  // DT_HASH
  const uint32_t* sysv_buckets = nullptr;
  const uint32_t* sysv_chain = nullptr;
  uint32_t sysv_nbuckets = 0;

  // Versioning (all optional).
  const uint16_t* versym = nullptr;       // nsyms entries
  const uint8_t* verdef = nullptr;        // DT_VERDEF
  uint32_t verdefnum = 0;
  const uint8_t* verneed = nullptr;       // DT_VERNEED
  uint32_t verneednum = 0;
  MemoryCheck mem;

  // Memos of recent VERDEF records (find_verdef) and VERNEED records
  // (required_version; flags holds "weak"), by index: symtab.cpp. Lookups
  // run under the loader lock. The definitions' memo holds 64: libc.so.6
  // defines 39 versions and libstdc++ 48, and with 32 entries the indexes
  // above 32 evicted the ones below, each miss a walk of the records (a
  // sixth of libpython3.11's load in hybrid mode went there). A module
  // needs fewer versions than a libc defines. The 1.5 KiB are allocated
  // at the first question about a version (the plugins of a musl host
  // have none); without memory every question walks the records.
  static constexpr size_t kVerdefMemo = 64, kVerneedMemo = 32;
  struct VersionMemo {
    uint16_t ndx, flags;
    uint32_t hash;
    const char* name;
  };
  struct VersionMemos {
    VersionMemo verdef[kVerdefMemo];
    VersionMemo verneed[kVerneedMemo];
  };
  VersionMemos* memos() const;  // nullptr: out of memory

  // Name of symbol i, or nullptr if its st_name is out of range.
  const char* name_of(uint32_t i) const;
  // Name of string-table offset `off`, or nullptr if out of range / unterminated.
  const char* str(uint64_t off) const;

  // Finds a defined (st_shndx != SHN_UNDEF), non-local symbol named `n`
  // whose version matches `ver`:
  //  - ver.name == nullptr: the default version (not VER_FLG_HIDDEN /
  //    0x8000 bit clear), or an unversioned symbol;
  //  - ver.name set: the symbol whose VERDEF entry has that name (hidden
  //    or not), or, unless ver.exact, an unversioned one; an object without
  //    VERSYM matches any request (the host's unversioned libc satisfies
  //    memcpy@GLIBC_2.14).
  // Returns the symbol index or -1.
  // The GNU table's bloom filter is tested here, inline: most objects of
  // a scope do not define a given name.
  int64_t lookup(const SymName& n, const VersionReq& ver) const {
    if (gnu_bloom && !bloom_admits(n.gnu, n.bloom_bit)) return -1;
    return lookup_hashed(n, ver);
  }
  // The GNU Bloom filter's test of hash h (gnu_bloom set); first_bit is
  // 1 << (h % 64), which a SymName carries precomputed.
  bool bloom_admits(uint32_t h, uint64_t first_bit) const {
    uint64_t bits = first_bit | (uint64_t(1) << ((h >> gnu_bloom_shift) % 64));
    return (gnu_bloom[(h / 64) & gnu_bloom_mask] & bits) == bits;
  }
  int64_t lookup_hashed(const SymName& n, const VersionReq& ver) const;  // past the bloom filter

  // The version this object's reference from symbol `i` requires (from
  // VERSYM -> VERNEED). Empty VersionReq when unversioned or local.
  VersionReq required_version(uint32_t i) const;

  // The version name defined for symbol `i` (VERSYM -> VERDEF) or nullptr.
  const char* defined_version(uint32_t i) const;

 private:
  // Owns the memos: moves with the table (which cannot be copied), freed with it.
  class MemoOwner {
   public:
    MemoOwner() = default;
    MemoOwner(const MemoOwner&) = delete;
    MemoOwner& operator=(const MemoOwner&) = delete;
    MemoOwner(MemoOwner&& o) noexcept : p(o.p) { o.p = nullptr; }
    MemoOwner& operator=(MemoOwner&& o) noexcept {
      if (this != &o) free(p), p = o.p, o.p = nullptr;
      return *this;
    }
    ~MemoOwner() { free(p); }
    VersionMemos* p = nullptr;
  };
  mutable MemoOwner memos_;
};

// One version a DT_VERNEED entry requires of the dependency `file`.
struct NeededVersion {
  const char* file;
  const char* name;
  uint32_t hash;  // ELF hash of name, as stored
  bool weak;      // VER_FLG_WEAK
};
// Calls visit(v, ctx) for each version t's DT_VERNEED requires (the table
// was checked when t was built); false once visit returned false.
bool for_each_needed_version(const SymbolTable& t, bool (*visit)(const NeededVersion& v, void* ctx), void* ctx);
// glibc's match_symbol: some DT_VERDEF record of t is `name` (stored
// hash `hash`). True for a table without DT_VERDEF: glibc checks nothing
// against an object without version definitions.
bool defines_version(const SymbolTable& t, const char* name, uint32_t hash);

// Inputs for building a SymbolTable, all runtime addresses (bias applied)
// taken from the dynamic section; any may be 0 when absent.
struct SymbolTableInputs {
  uintptr_t symtab = 0, strtab = 0, gnu_hash = 0, sysv_hash = 0;
  uint64_t strsz = 0, syment = sizeof(Elf64_Sym);
  uintptr_t versym = 0, verdef = 0, verneed = 0;
  uint64_t verdefnum = 0, verneednum = 0;
};

// Fills `in` from a mapped object's dynamic section (`count` entries at most)
// whose object spans [span.lo, span.hi) with load bias `bias`. False when
// there is no DT_SYMTAB inside the span.
bool read_symbol_inputs(const Elf64_Dyn* dyn, size_t count, uintptr_t bias, const MemoryCheck& span,
                        SymbolTableInputs* in);

// Validates the tables against `mem` and returns the view. `what` names
// the object in error messages ("libfoo.so: invalid DT_GNU_HASH table").
Expected<SymbolTable> build_symbol_table(const char* what, const SymbolTableInputs& in, const MemoryCheck& mem);

}  // namespace staticdl
