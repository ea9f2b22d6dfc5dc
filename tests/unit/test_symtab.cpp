// Unit tests for loader/symtab.h (hashes, GNU/SysV lookup, versioning,
// validation of malformed tables), the name-free hash-table queries of
// self_binding.h, and the explicit-symbol part of host.h.
//
// Each test builds a small in-memory image (strtab, dynsym, one hash table,
// optional version tables) with Image (symtab_image.h), optionally corrupts it, and runs
// build_symbol_table()/lookup() over it with a MemoryCheck spanning exactly
// the image, so any read past a table's end would be caught as an error.
#include <doctest/doctest.h>
#include <elf.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "host.h"
#include "self_binding.h"
#include "symtab.h"
#include "symtab_image.h"

using namespace staticdl;
using namespace staticdl_test;

namespace {

VersionReq req(const char* name) {
  VersionReq v;
  v.name = name, v.hash = elf_hash(name);
  return v;
}

// Value of the symbol lookup() finds for `name`, or 0.
uint64_t value_of(const SymbolTable& t, const char* name, const VersionReq& v = VersionReq()) {
  int64_t i = t.lookup(SymName(name), v);
  return i < 0 ? 0 : t.syms[i].st_value;
}

// A mix of symbols that lookup() must and must not find.
Image basic_image(Hash kind, uint32_t nbuckets) {
  Image im;
  im.kind = kind, im.nbuckets = nbuckets;
  im.syms = {
      {"printf", 0x100},
      {"puts", 0x200},
      {"data", 0x300, STT_OBJECT},
      {"Ez", 0x400},  // same gnu_hash as "FY"
      {"FY", 0x500},
      {"malloc", 0, STT_FUNC, STB_GLOBAL, SHN_UNDEF},
      {"loc", 0x600, STT_FUNC, STB_LOCAL},
      {"zero", 0},
      {"tvar", 0, STT_TLS, STB_GLOBAL},
      {"sect", 0x700, STT_SECTION},
      {"weakf", 0x800, STT_FUNC, STB_WEAK},
      {"ifn", 0x900, STT_GNU_IFUNC},
      {"absz", 0, STT_NOTYPE, STB_GLOBAL, SHN_ABS},
  };
  im.build();
  return im;
}

void check_basic(const SymbolTable& t) {
  CHECK(value_of(t, "printf") == 0x100);
  CHECK(value_of(t, "puts") == 0x200);
  CHECK(value_of(t, "data") == 0x300);
  CHECK(value_of(t, "Ez") == 0x400);
  CHECK(value_of(t, "FY") == 0x500);
  CHECK(value_of(t, "weakf") == 0x800);
  CHECK(value_of(t, "ifn") == 0x900);
  CHECK(t.lookup(SymName("tvar"), {}) >= 0);  // TLS at offset 0 is a definition
  CHECK(t.lookup(SymName("absz"), {}) >= 0);  // so is SHN_ABS 0
  for (const char* absent : {"malloc", "loc", "zero", "sect", "nothere", "", "printf2", "Ey"})
    CHECK_MESSAGE(t.lookup(SymName(absent), {}) == -1, absent);
  CHECK(t.lookup(SymName(nullptr), {}) == -1);
  int64_t i = t.lookup(SymName("puts"), {});
  CHECK(i >= 0);
  if (i >= 0) CHECK(strcmp(t.name_of(uint32_t(i)), "puts") == 0);
  CHECK(t.name_of(t.nsyms) == nullptr);
}

// gnu_hash_len reads aligned words around the name (symhash.cpp): every
// start offset within a 16-byte block, every length up to 100, bytes
// 1..255, against the byte loop; SSE2 blocks (x86_64) and 64-bit words.
TEST_CASE("symtab.gnu_hash_words") {
  alignas(16) char buf[160];
  uint32_t seed = 12345;
  for (size_t off = 0; off < 32; off++)
    for (size_t len = 0; len <= 100; len++)
      for (int round = 0; round < 4; round++) {
        memset(buf, round & 1 ? 0 : 0x7f, sizeof buf);  // surroundings: NULs, or not
        for (size_t k = 0; k < len; k++) {
          seed = seed * 1103515245u + 12345u;
          buf[off + k] = static_cast<char>(1 + (seed >> 16) % 255);
        }
        buf[off + len] = 0;
        size_t got_len = ~size_t(0);
        uint32_t h = gnu_hash_len(buf + off, &got_len);
        CHECK(got_len == len);
        CHECK(h == gnu_hash_reference(buf + off));
        got_len = ~size_t(0);
        CHECK(gnu_hash_len_words(buf + off, &got_len) == h);
        CHECK(got_len == len);
        SymName n(buf + off);
        CHECK(n.len == len);
        CHECK(n.gnu == h);
      }
  CHECK(gnu_hash_reference("printf") == 0x156b2bb8u);
  CHECK(SymName(nullptr).gnu == 5381);
}

// Names that share prefixes and differ in length around the 2/4/8-byte
// steps of the name comparison (and 16 with SSE2).
TEST_CASE("symtab.lookup_name_lengths") {
  Image im;
  im.kind = Hash::Gnu, im.nbuckets = 3;
  std::string base = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (size_t len = 1; len <= 40; len++) im.syms.push_back({base.substr(0, len), 0x1000 + len});
  im.build();
  Expected<SymbolTable> t = build_symbol_table("libt.so", im.in, im.check);
  REQUIRE(t);
  for (size_t len = 1; len <= 40; len++) {
    std::string name = base.substr(0, len);
    CHECK(value_of(*t, name.c_str()) == 0x1000 + len);
    std::string other = name;
    other.back() ^= 1;
    CHECK(value_of(*t, other.c_str()) == 0);
  }
  CHECK(value_of(*t, base.substr(0, 41).c_str()) == 0);
}

}  // namespace

// ---- Hashes ------------------------------------------------------------------------

TEST_CASE("symtab.hashes") {
  CHECK(gnu_hash("") == 5381);
  CHECK(gnu_hash("printf") == 0x156b2bb8u);
  CHECK(elf_hash("") == 0);
  CHECK(elf_hash("printf") == 0x077905a6u);
  CHECK(gnu_hash("Ez") == gnu_hash("FY"));
  // Bytes >= 0x80 are hashed unsigned (x86 char is signed).
  CHECK(gnu_hash("\xff") == 5381u * 33 + 0xff);
  CHECK(elf_hash("\xff") == 0xff);
  // Long names exercise the high-nibble fold of the SysV hash.
  CHECK(elf_hash("abcdefghijklmnopqrstuvwxyz") == 0x08d1e00au);  // cross-checked in Python
  SymName n("printf");
  CHECK(n.gnu == 0x156b2bb8u);
  CHECK(n.sysv() == 0x077905a6u);
}

// ---- Lookup --------------------------------------------------------------------------

TEST_CASE("symtab.gnu_lookup") {
  for (uint32_t nb : {1u, 3u, 17u}) {
    CAPTURE(nb);
    Image im = basic_image(Hash::Gnu, nb);
    SymbolTable t = must_build(im);
    CHECK(t.nsyms == im.syms.size() + 1);
    CHECK(t.gnu_symoffset == 2);  // null + the one undefined symbol
    check_basic(t);
  }
}

TEST_CASE("symtab.sysv_lookup") {
  for (uint32_t nb : {1u, 3u, 17u}) {
    CAPTURE(nb);
    Image im = basic_image(Hash::Sysv, nb);
    SymbolTable t = must_build(im);
    CHECK(t.nsyms == im.syms.size() + 1);
    check_basic(t);
  }
}

TEST_CASE("symtab.empty_gnu_table") {
  Image im;
  im.syms = {{"malloc", 0, STT_FUNC, STB_GLOBAL, SHN_UNDEF}};
  im.build();
  SymbolTable t = must_build(im);
  CHECK(t.nsyms == 2);  // every bucket empty: nsyms == symoffset
  CHECK(t.lookup(SymName("malloc"), {}) == -1);
}

TEST_CASE("symtab.strtab_only") {
  Image im = basic_image(Hash::Gnu, 3);
  SymbolTableInputs in;
  in.strtab = im.in.strtab, in.strsz = im.in.strsz;
  Expected<SymbolTable> t = build_symbol_table("libt.so", in, im.check);
  CHECK(bool(t));
  if (!t) return;
  CHECK(t->nsyms == 0);
  const char* s = t->str(im.dynsym()[im.dynidx[0]].st_name);
  CHECK(std::string(s ? s : "(null)") == "printf");
  CHECK(t->lookup(SymName("printf"), {}) == -1);
}

// ---- Malformed tables ------------------------------------------------------------------

TEST_CASE("symtab.gnu_malformed") {
  const std::string bad = "libt.so: invalid DT_GNU_HASH table";
  Image im = basic_image(Hash::Gnu, 3);
  SUBCASE("bucket below symoffset") {
    im.gnu_buckets()[0] = 1;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("bucket past the table") {
    im.gnu_buckets()[1] = 0x7fffffff;  // its chain would start far outside
    CHECK(build_error(im) == bad);
  }
  SUBCASE("bloom size not a power of two") {
    im.hash()[2] = 3;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("bloom shift too large") {
    im.hash()[3] = 64;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("no buckets") {
    im.hash()[0] = 0;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("huge bucket count") {
    im.hash()[0] = 0xffffffff;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("last chain unterminated") {
    uint32_t n = uint32_t(im.syms.size()) + 1 - im.hash()[1];  // chain entries
    im.gnu_chain()[n - 1] &= ~1u;
    im.check.hi = reinterpret_cast<uintptr_t>(im.gnu_chain() + n);  // nothing readable after it
    CHECK(build_error(im) == bad);
  }
  SUBCASE("header outside the image") {
    im.in.gnu_hash = im.end() - 8;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("symbols outside the image") {
    im.in.symtab = im.end() - 2 * sizeof(Elf64_Sym);  // nsyms entries do not fit
    CHECK(build_error(im) == "libt.so: invalid DT_SYMTAB table");
  }
  SUBCASE("bad syment") {
    im.in.syment = 16;
    CHECK(build_error(im) == "libt.so: invalid DT_SYMENT 16");
  }
  SUBCASE("no hash table") {
    im.in.gnu_hash = 0;
    CHECK(build_error(im) == "libt.so: no DT_GNU_HASH or DT_HASH table");
  }
  SUBCASE("strtab outside the image") {
    im.in.strsz = im.end() - im.in.strtab + 1;
    CHECK(build_error(im) == "libt.so: invalid DT_STRTAB table");
  }
}

TEST_CASE("symtab.gnu_corrupted_after_build") {
  // Tables altered after validation still cannot make lookup read outside.
  Image im = basic_image(Hash::Gnu, 1);
  SymbolTable t = must_build(im);
  im.gnu_buckets()[0] = 0xffffffff;
  CHECK(t.lookup(SymName("printf"), {}) == -1);
  im.gnu_buckets()[0] = 1;  // below symoffset
  CHECK(t.lookup(SymName("printf"), {}) == -1);
  // A chain with no terminator stops at nsyms.
  im.gnu_buckets()[0] = 2;
  for (uint32_t k = 0; k + 2 < t.nsyms; k++) im.gnu_chain()[k] &= ~1u;
  CHECK(t.lookup(SymName("Ey"), {}) == -1);
  CHECK(value_of(t, "puts") == 0x200);
}

TEST_CASE("symtab.sysv_malformed") {
  const std::string bad = "libt.so: invalid DT_HASH table";
  Image im = basic_image(Hash::Sysv, 3);
  SUBCASE("bucket out of range") {
    im.sysv_buckets()[2] = im.hash()[1];  // == nchain
    CHECK(build_error(im) == bad);
  }
  SUBCASE("chain out of range") {
    im.sysv_chain()[3] = 0x12345678;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("no buckets") {
    im.hash()[0] = 0;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("nchain past the image") {
    im.hash()[1] = 0xffffffff;
    CHECK(build_error(im) == bad);
  }
  SUBCASE("misaligned") {
    im.in.sysv_hash += 2;
    CHECK(build_error(im) == bad);
  }
}

TEST_CASE("symtab.sysv_chain_cycle_terminates") {
  Image im = basic_image(Hash::Sysv, 1);  // one bucket: every symbol on one list
  uint32_t first = im.sysv_buckets()[0];
  uint32_t second = im.sysv_chain()[first];
  CHECK(second != 0);
  if (second == 0) return;
  im.sysv_chain()[second] = first;  // first -> second -> first -> ...
  SymbolTable t = must_build(im);   // indices are in range, so it builds
  CHECK(t.lookup(SymName("nothere"), {}) == -1);
  CHECK(t.name_of(first) != nullptr);
  CHECK(t.lookup(SymName(t.name_of(first)), {}) == first);
  // A self-loop as well.
  im.sysv_chain()[first] = first;
  CHECK(t.lookup(SymName("nothere"), {}) == -1);
  // And a bucket corrupted after the build.
  im.sysv_buckets()[0] = 0xfffffff0;
  CHECK(t.lookup(SymName("printf"), {}) == -1);
}

TEST_CASE("symtab.strings") {
  Image im = basic_image(Hash::Gnu, 3);
  SUBCASE("offsets") {
    SymbolTable t = must_build(im);
    CHECK(t.str(0) != nullptr);
    CHECK(*t.str(0) == '\0');
    CHECK(t.str(t.strsz) == nullptr);
    CHECK(t.str(~uint64_t(0)) == nullptr);
    CHECK(t.str(t.strsz - 1) != nullptr);  // the final NUL
  }
  SUBCASE("st_name out of range") {
    uint32_t i = im.dynidx[1];  // "puts"
    im.dynsym()[i].st_name = 0x7fffffff;
    SymbolTable t = must_build(im);
    CHECK(t.name_of(i) == nullptr);
    CHECK(t.lookup(SymName("puts"), {}) == -1);
    CHECK(value_of(t, "printf") == 0x100);
  }
  SUBCASE("unterminated last string") {
    // Cut DT_STRSZ so the last string (the last dynsym entry's) loses its NUL.
    im.in.strsz -= 1;
    SymbolTable t = must_build(im);
    uint32_t last = t.nsyms - 1;
    std::string name = reinterpret_cast<const char*>(im.in.strtab) + im.dynsym()[last].st_name;
    CHECK(t.name_of(last) == nullptr);
    CHECK(t.name_of(last - 1) != nullptr);
    CHECK(t.lookup(SymName(name.c_str()), {}) == -1);
    CHECK(value_of(t, name == "printf" ? "puts" : "printf") != 0);
  }
}

// ---- Versions ----------------------------------------------------------------------------

namespace {

// libv.so defining foo@V1 (hidden), foo@@V2, bar@V1 (hidden only), baz
// (unversioned), qux@@V1, and referencing ext@GLIBC_2.2.5, ext2@GLIBC_2.34 (weak).
Image version_image(Hash kind) {
  Image im;
  im.kind = kind;
  im.with_versym = true;
  im.verdefs = {{1, VER_FLG_BASE, "libv.so"}, {2, 0, "V1"}, {3, 0, "V2"}};
  im.verneeds = {{"libc.so", {{4, 0, "GLIBC_2.2.5"}, {5, VER_FLG_WEAK, "GLIBC_2.34"}}}};
  TSym foo1{"foo", 0x10}, foo2{"foo", 0x20}, bar{"bar", 0x30}, baz{"baz", 0x40}, qux{"qux", 0x50};
  foo1.versym = 0x8002, foo2.versym = 3, bar.versym = 0x8002, baz.versym = 1, qux.versym = 2;
  TSym ext{"ext", 0, STT_FUNC, STB_GLOBAL, SHN_UNDEF}, ext2{"ext2", 0, STT_FUNC, STB_WEAK, SHN_UNDEF};
  ext.versym = 4, ext2.versym = 5;
  im.syms = {ext, ext2, foo1, foo2, bar, baz, qux};
  im.build();
  return im;
}

}  // namespace

TEST_CASE("symtab.version_matching") {
  for (Hash kind : {Hash::Gnu, Hash::Sysv}) {
    Image im = version_image(kind);
    SymbolTable t = must_build(im);
    // Unversioned request: the default (non-hidden) version or an unversioned symbol.
    CHECK(value_of(t, "foo") == 0x20);
    CHECK(value_of(t, "bar") == 0);  // only a hidden version exists
    CHECK(value_of(t, "baz") == 0x40);
    CHECK(value_of(t, "qux") == 0x50);
    // Versioned request (relocation or dlvsym): that version, hidden or not.
    CHECK(value_of(t, "foo", req("V1")) == 0x10);
    CHECK(value_of(t, "foo", req("V2")) == 0x20);
    CHECK(value_of(t, "foo", req("V3")) == 0);
    CHECK(value_of(t, "bar", req("V1")) == 0x30);
    CHECK(value_of(t, "bar", req("V2")) == 0);
    CHECK(value_of(t, "qux", req("V2")) == 0);
    // The base version names the file; it is not matchable as a version,
    // and an unversioned definition satisfies any versioned reference (glibc).
    CHECK(value_of(t, "foo", req("libv.so")) == 0);
    CHECK(value_of(t, "baz", req("V1")) == 0x40);
    CHECK(value_of(t, "baz", req("ANY_1.0")) == 0x40);
    // The hash is compared before the name.
    VersionReq wrong = req("V1");
    wrong.hash ^= 1;
    CHECK(value_of(t, "foo", wrong) == 0);
    // Undefined references are never definitions.
    CHECK(t.lookup(SymName("ext"), {}) == -1);
  }
}

TEST_CASE("symtab.unversioned_object_matches_versioned_request") {
  Image im = basic_image(Hash::Gnu, 3);  // no DT_VERSYM
  SymbolTable t = must_build(im);
  CHECK(value_of(t, "printf", req("GLIBC_2.2.5")) == 0x100);
  CHECK(value_of(t, "puts", req("ANYTHING")) == 0x200);
}

TEST_CASE("symtab.required_and_defined_version") {
  Image im = version_image(Hash::Gnu);
  SymbolTable t = must_build(im);
  VersionReq r = t.required_version(im.dynidx[0]);  // ext
  CHECK(r.name != nullptr);
  CHECK(strcmp(r.name ? r.name : "", "GLIBC_2.2.5") == 0);
  CHECK(r.hash == elf_hash("GLIBC_2.2.5"));
  CHECK_FALSE(r.weak);
  r = t.required_version(im.dynidx[1]);  // ext2
  CHECK(r.name != nullptr);
  CHECK(strcmp(r.name ? r.name : "", "GLIBC_2.34") == 0);
  CHECK(r.weak);
  CHECK(t.required_version(im.dynidx[5]).name == nullptr);  // baz: global
  // foo@V1, a definition: a relocation through it asks for its own
  // version, as glibc's l_versions[] does (libm's GLOB_DAT against its
  // hidden _LIB_VERSION@GLIBC_2.2.5).
  CHECK(std::string(t.required_version(im.dynidx[2]).name ? t.required_version(im.dynidx[2]).name : "(null)") == "V1");
  CHECK(t.required_version(0).name == nullptr);
  CHECK(t.required_version(t.nsyms).name == nullptr);

  const char* v1 = t.defined_version(im.dynidx[2]);
  const char* v2 = t.defined_version(im.dynidx[3]);
  CHECK(std::string(v1 ? v1 : "(null)") == "V1");
  CHECK(std::string(v2 ? v2 : "(null)") == "V2");
  CHECK(t.defined_version(im.dynidx[5]) == nullptr);  // unversioned
  CHECK(t.defined_version(im.dynidx[0]) == nullptr);  // a reference
  CHECK(t.defined_version(t.nsyms) == nullptr);
}

// More versions than the memos hold (libstdc++ defines 48): indexes that
// share a memo slot evict each other, one walk memoizes every record it
// passes, and of two records with one index the first counts.
TEST_CASE("symtab.many_versions") {
  Image im;
  im.with_versym = true;
  im.nbuckets = 17;
  im.verdefs.push_back({1, VER_FLG_BASE, "libmany.so"});
  TVerneed need{"libc.so", {}};
  for (uint16_t k = 0; k < 100; k++) {
    std::string v = "V" + std::to_string(k);
    im.verdefs.push_back({static_cast<uint16_t>(2 + k), 0, v});
    TSym d{"def" + std::to_string(k), 0x1000u + k};
    d.versym = static_cast<uint16_t>(2 + k);
    TSym u{"use" + std::to_string(k), 0, STT_FUNC, STB_GLOBAL, SHN_UNDEF};
    u.versym = static_cast<uint16_t>(200 + k);
    need.aux.push_back({static_cast<uint16_t>(200 + k), 0, "N" + std::to_string(k)});
    im.syms.push_back(d), im.syms.push_back(u);
  }
  im.verdefs.push_back({7, 0, "DUP"});  // a second record with index 7 (V5's)
  im.verneeds = {need};
  im.build();
  SymbolTable t = must_build(im);
  for (int pass = 0; pass < 2; pass++)
    for (int j = 0; j < 100; j++) {
      int k = (j * 37 + pass * 11) % 100;  // an order that mixes the slots
      std::string def = "def" + std::to_string(k), v = "V" + std::to_string(k), w = "V" + std::to_string((k + 64) % 100);
      CHECK(value_of(t, def.c_str(), req(v.c_str())) == 0x1000u + k);
      CHECK(value_of(t, def.c_str(), req(w.c_str())) == 0);
      VersionReq r = t.required_version(im.dynidx[2 * k + 1]);
      CHECK(std::string(r.name ? r.name : "(null)") == "N" + std::to_string(k));
    }
  CHECK(value_of(t, "def5", req("DUP")) == 0);
}

TEST_CASE("symtab.version_malformed") {
  Image im = version_image(Hash::Gnu);
  uint8_t* vd = reinterpret_cast<uint8_t*>(im.in.verdef);
  uint8_t* vn = reinterpret_cast<uint8_t*>(im.in.verneed);
  auto verdef = [&](int k) { return reinterpret_cast<Elf64_Verdef*>(vd + k * 28); };
  auto vernaux = [&](int k) { return reinterpret_cast<Elf64_Vernaux*>(vn + 16 + k * 16); };
  const std::string bad_vd = "libt.so: invalid DT_VERDEF table", bad_vn = "libt.so: invalid DT_VERNEED table";
  SUBCASE("valid") { CHECK(build_error(im) == "(built)"); }
  SUBCASE("vd_next out of range") {
    verdef(0)->vd_next = 0x10000000;
    CHECK(build_error(im) == bad_vd);
  }
  SUBCASE("vd_aux out of range") {
    verdef(1)->vd_aux = 0xfffffff0;
    CHECK(build_error(im) == bad_vd);
  }
  SUBCASE("vd_cnt larger than the aux list") {
    verdef(2)->vd_cnt = 3;  // vda_next == 0 ends the list early
    CHECK(build_error(im) == bad_vd);
  }
  SUBCASE("verdefnum larger than the list") {
    im.in.verdefnum = 4;
    CHECK(build_error(im) == bad_vd);
  }
  SUBCASE("verdefnum huge") {
    im.in.verdefnum = uint64_t(1) << 33;
    CHECK(build_error(im) == bad_vd);
  }
  SUBCASE("vd_version") {
    verdef(1)->vd_version = 2;
    CHECK(build_error(im) == bad_vd);
  }
  SUBCASE("vda_name past strsz") {
    reinterpret_cast<Elf64_Verdaux*>(vd + 28 + 20)->vda_name = uint32_t(im.strtab_size);
    CHECK(build_error(im) == bad_vd);
  }
  SUBCASE("vd_next misaligned") {
    verdef(0)->vd_next = 27;
    CHECK(build_error(im) == bad_vd);
  }
  SUBCASE("vna_next out of range") {
    vernaux(0)->vna_next = 0x7ffffff0;
    CHECK(build_error(im) == bad_vn);
  }
  SUBCASE("vn_cnt larger than the list") {
    reinterpret_cast<Elf64_Verneed*>(vn)->vn_cnt = 100;
    CHECK(build_error(im) == bad_vn);
  }
  SUBCASE("vn_file past strsz") {
    reinterpret_cast<Elf64_Verneed*>(vn)->vn_file = 0xffffffff;
    CHECK(build_error(im) == bad_vn);
  }
  SUBCASE("verneednum larger than the list") {
    im.in.verneednum = 2;
    CHECK(build_error(im) == bad_vn);
  }
  SUBCASE("versym outside the image") {
    im.in.versym = im.end() - 4;
    CHECK(build_error(im) == "libt.so: invalid DT_VERSYM table");
  }
}

// ---- Host: explicit symbols --------------------------------------------------------------

namespace {
int g_host_a, g_host_b;
}

TEST_CASE("host.explicit_symbols") {
  host_reset_for_tests();
  const HostInfo& info = host_info();
  CHECK(&host_info() == &info);  // found once
  CHECK(info.path != nullptr);
  CHECK(host_lookup(SymName("staticdl_unit_test_symbol"), {}) == nullptr);
  CHECK(host_add_symbol("staticdl_unit_test_symbol", &g_host_a));
  CHECK(host_lookup(SymName("staticdl_unit_test_symbol"), {}) == &g_host_a);
  CHECK(host_lookup(SymName("staticdl_unit_test_symbol"), req("V1")) == &g_host_a);
  CHECK(host_add_symbol("staticdl_unit_test_symbol", &g_host_b));  // replaces
  CHECK(host_lookup(SymName("staticdl_unit_test_symbol"), {}) == &g_host_b);
  for (int i = 0; i < 40; i++) {  // grows the table
    std::string n = "sdl_explicit_" + std::to_string(i);
    CHECK(host_add_symbol(n.c_str(), &g_host_a + i));
  }
  CHECK(host_lookup(SymName("sdl_explicit_39"), {}) == &g_host_a + 39);
  HostSymbol s;
  CHECK(host_find_symbol(SymName("sdl_explicit_7"), {}, &s));
  CHECK(s.value == reinterpret_cast<uintptr_t>(&g_host_a + 7));
  CHECK(s.type == STT_NOTYPE);
  host_reset_for_tests();
  CHECK(host_lookup(SymName("staticdl_unit_test_symbol"), {}) == nullptr);
}

TEST_CASE("host.find_address") {
  host_reset_for_tests();
  const HostInfo& info = host_info();
  const char* name = nullptr;
  void* addr = nullptr;
  int on_stack = 0;
  CHECK_FALSE(host_find_address(reinterpret_cast<uintptr_t>(&on_stack), &name, &addr));
  if (info.phnum) {  // the test binary itself is the host
    CHECK(host_find_address(reinterpret_cast<uintptr_t>(&g_host_a), &name, &addr));
    if (name) CHECK(addr != nullptr);
  }
  host_reset_for_tests();
}

// ---- Name-free queries (self_binding.h) -------------------------------------------------

// Names that differ by one in their last character have GNU hashes that
// differ by one: the pairs (n_0, n_1), (n_2, n_3)... share every bit but bit
// 0, which the chain array does not keep. Present: n_0, n_2, n_4, ...; absent:
// the odd ones and names whose hash differs elsewhere.
TEST_CASE("self_binding.stored_hashes") {
  for (uint32_t nb : {1u, 3u, 17u}) {
    CAPTURE(nb);
    Image im;
    im.nbuckets = nb;
    for (int k = 0; k < 160; k += 2) im.syms.push_back(TSym{"n_" + std::to_string(k)});  // fills the Bloom filter
    im.syms.push_back(TSym{"undefined_one", 0, STT_FUNC, STB_GLOBAL, SHN_UNDEF});
    im.build();
    SymbolTable t = must_build(im);
    for (size_t k = 0; k < im.syms.size(); k++) {
      uint32_t i = im.dynidx[k], h = 0;
      uint32_t want = gnu_hash(im.syms[k].name.c_str()) & ~1u;
      if (im.syms[k].shndx == SHN_UNDEF) {
        CHECK_FALSE(stored_gnu_hash(t, i, &h));  // not in the hash table
        continue;
      }
      REQUIRE(stored_gnu_hash(t, i, &h));
      CHECK(h == want);
      CHECK(may_define_either(t, h));
    }
    // An absent name is ruled out unless a present one has its hash but
    // for bit 0 (its chain is read: the Bloom filter alone would not do).
    for (int k = 0; k < 40; k++) {
      std::string absent = "absent_" + std::to_string(k);
      CAPTURE(absent);
      uint32_t h = gnu_hash(absent.c_str()) & ~1u;
      bool twin = false;
      for (const TSym& s : im.syms) twin |= s.shndx != SHN_UNDEF && (gnu_hash(s.name.c_str()) & ~1u) == h;
      CHECK(may_define_either(t, h) == twin);
    }
  }
}
