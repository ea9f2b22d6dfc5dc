// Unit tests for loader/symindex.h: the adaptive dlsym index must answer
// every unversioned lookup exactly as the GNU-hash walk does
// (SymbolTable::lookup_hashed, the lookup past the bloom filter, which
// in_module tests before either), for every name of the table and for
// absent ones: duplicates (the first definition wins), hidden and other
// versions, non-definitions, hash collisions, one bucket or many, and
// chains corrupted so that entries sit in another hash's bucket.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "symindex.h"
#include "symtab_image.h"

using namespace staticdl;
using namespace staticdl_test;

namespace {

uint32_t g_seed = 12345;
uint32_t rnd(uint32_t mod) {
  g_seed = g_seed * 1103515245u + 12345u;
  return (g_seed >> 8) % mod;
}

// A symbol of a random kind: mostly plain definitions, some of each case
// the walk rejects or treats specially.
TSym random_sym(const std::string& name) {
  TSym s;
  s.name = name, s.value = 0x1000 + 16 * rnd(4096);
  switch (rnd(12)) {
    case 0: s.shndx = SHN_UNDEF, s.value = 0; break;
    case 1: s.bind = STB_LOCAL; break;
    case 2: s.versym = 0x8002; break;  // hidden (non-default) version
    case 3: s.versym = 3; break;       // another, default version
    case 4: s.bind = STB_WEAK; break;
    case 5: s.type = STT_OBJECT; break;
    case 6: s.value = 0; break;  // no value: not a definition
    case 7: s.type = STT_TLS, s.value = rnd(2) * 8; break;
    case 8: s.type = STT_SECTION; break;
    case 9: s.bind = STB_GNU_UNIQUE, s.type = STT_OBJECT; break;
    default: break;
  }
  return s;
}

// n names, about a third of them defined more than once; "Ez" and "FY"
// share their GNU hash.
Image random_image(size_t n, uint32_t nbuckets, bool versym) {
  Image im;
  im.nbuckets = nbuckets, im.with_versym = versym;
  im.verdefs = {{1, VER_FLG_BASE, "libt.so"}, {2, 0, "V_2"}, {3, 0, "V_3"}};
  std::vector<std::string> names = {"Ez", "FY"};
  while (names.size() < n) names.push_back("sym_" + std::to_string(rnd(1u << 30)) + std::string(rnd(70), 'x'));
  for (size_t k = 0; k < n; k++) {
    im.syms.push_back(random_sym(names[k]));
    if (rnd(3) == 0) im.syms.push_back(random_sym(names[rnd(static_cast<uint32_t>(k + 1))]));
  }
  im.build();
  return im;
}

// The index and the walk agree on every name of the image and on names
// near them that are absent.
void check_agrees(const SymbolTable& t, const SymIndex& x, const Image& im) {
  std::vector<std::string> probes = {"", "E", "Ezz", "absent"};
  for (const TSym& s : im.syms) probes.push_back(s.name), probes.push_back(s.name + "_miss"),
                                  probes.push_back(s.name.substr(0, s.name.size() - 1));
  for (const std::string& p : probes) {
    SymName n(p.c_str());
    CHECK_MESSAGE(x.find(t, n) == t.lookup_hashed(n, VersionReq()), p);
  }
}

}  // namespace

TEST_CASE("symindex.agrees_with_walk") {
  for (uint32_t nbuckets : {1u, 2u, 3u, 7u, 64u, 1024u})
    for (size_t n : {1u, 5u, 40u, 600u})
      for (bool versym : {false, true}) {
        Image im = random_image(n, nbuckets, versym);
        SymbolTable t = must_build(im);
        SymIndex* x = SymIndex::build(t);
        if (!x) {  // only a table whose symbols are all undefined (unhashed)
          CHECK(t.nsyms <= t.gnu_symoffset);
          continue;
        }
        check_agrees(t, *x, im);
        SymIndex::destroy(x);
      }
}

// Chain words rewritten (end bits kept) so that entries carry another
// name's hash, bit 0 flipped, or a hash of no bucket of theirs: the walk
// then misses some names, and the index must miss exactly those.
TEST_CASE("symindex.corrupt_chains") {
  for (uint32_t nbuckets : {1u, 3u, 16u})
    for (int round = 0; round < 40; round++) {
      Image im = random_image(60, nbuckets, true);
      uint32_t* hdr = im.hash();
      uint32_t nchain = static_cast<uint32_t>(im.syms.size() + 1 - hdr[1]);
      uint32_t* chain = im.gnu_chain();
      for (int k = 0; k < 6; k++) {
        uint32_t i = rnd(nchain), j = rnd(nchain);
        uint32_t end = chain[i] & 1;
        switch (rnd(3)) {
          case 0: chain[i] = (chain[j] & ~1u) | end; break;
          case 1: chain[i] ^= 2; break;
          default: chain[i] = (rnd(1u << 30) << 1) | end; break;
        }
      }
      SymbolTable t = must_build(im);
      SymIndex* x = SymIndex::build(t);
      REQUIRE(x);
      check_agrees(t, *x, im);
      SymIndex::destroy(x);
    }
}

TEST_CASE("symindex.needs_gnu_hash") {
  Image im = random_image(20, 3, false);
  im.kind = Hash::Sysv;
  im.build();
  SymbolTable t = must_build(im);
  CHECK(SymIndex::build(t) == nullptr);
}
