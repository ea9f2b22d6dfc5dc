// The in-memory symbol-table images of the unit tests (test_symtab.cpp,
// test_symindex.cpp): a strtab, a dynsym, one hash table and optional
// version tables, built by Image::build() with a MemoryCheck spanning
// exactly the image.
#pragma once

#include <doctest/doctest.h>
#include <elf.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "symtab.h"

namespace staticdl_test {

using namespace staticdl;

struct TSym {
  std::string name;
  uint64_t value = 0x1000;
  unsigned char type = STT_FUNC;
  unsigned char bind = STB_GLOBAL;
  uint16_t shndx = 1;
  uint16_t versym = 1;
};
struct TVerdef {
  uint16_t ndx, flags;
  std::string name;
};
struct TVernaux {
  uint16_t other, flags;
  std::string name;
};
struct TVerneed {
  std::string file;
  std::vector<TVernaux> aux;
};

enum class Hash { Gnu, Sysv };

class Image {
 public:
  std::vector<TSym> syms;  // dynsym entries 1..n (entry 0 is the null symbol)
  std::vector<TVerdef> verdefs;
  std::vector<TVerneed> verneeds;
  Hash kind = Hash::Gnu;
  uint32_t nbuckets = 3;
  bool with_versym = false;

  // Results of build().
  std::vector<uint64_t> mem;
  SymbolTableInputs in;
  MemoryCheck check;
  std::vector<uint32_t> dynidx;  // dynidx[k]: dynsym index of syms[k]
  size_t strtab_size = 0;

  void build();
  uint32_t* hash() { return reinterpret_cast<uint32_t*>(kind == Hash::Gnu ? in.gnu_hash : in.sysv_hash); }
  uint32_t* gnu_buckets() { return hash() + 4 + 2 * hash()[2]; }
  uint32_t* gnu_chain() { return gnu_buckets() + hash()[0]; }
  uint32_t* sysv_buckets() { return hash() + 2; }
  uint32_t* sysv_chain() { return sysv_buckets() + hash()[0]; }
  Elf64_Sym* dynsym() { return reinterpret_cast<Elf64_Sym*>(in.symtab); }
  uintptr_t end() const { return check.hi; }

 private:
  std::string str_;
  std::vector<uint8_t> buf_;
  uint32_t addstr(const std::string& s) {
    uint32_t off = static_cast<uint32_t>(str_.size());
    str_ += s;
    str_.push_back('\0');
    return off;
  }
  size_t put(const void* p, size_t n) {
    while (buf_.size() % 8) buf_.push_back(0xcc);
    size_t off = buf_.size();
    buf_.insert(buf_.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n);
    return off;
  }
  template <typename T>
  size_t put(const std::vector<T>& v) {
    return put(v.data(), v.size() * sizeof(T));
  }
  std::vector<size_t> order();
  std::vector<uint32_t> gnu_table(const std::vector<Elf64_Sym>& ds, uint32_t symoffset);
  std::vector<uint32_t> sysv_table(const std::vector<Elf64_Sym>& ds);
  std::vector<uint8_t> verdef_bytes();
  std::vector<uint8_t> verneed_bytes();
};

// GNU: undefined symbols first (unhashed), then the rest grouped by bucket.
inline std::vector<size_t> Image::order() {
  std::vector<size_t> o(syms.size());
  for (size_t k = 0; k < o.size(); k++) o[k] = k;
  if (kind == Hash::Gnu)
    std::stable_sort(o.begin(), o.end(), [&](size_t a, size_t b) {
      auto key = [&](size_t k) {
        return syms[k].shndx == SHN_UNDEF ? -1 : int64_t(gnu_hash(syms[k].name.c_str()) % nbuckets);
      };
      return key(a) < key(b);
    });
  return o;
}

inline std::vector<uint32_t> Image::gnu_table(const std::vector<Elf64_Sym>& ds, uint32_t symoffset) {
  const uint32_t bloom_size = 2, shift = 6;
  std::vector<uint32_t> w = {nbuckets, symoffset, bloom_size, shift};
  std::vector<uint64_t> bloom(bloom_size, 0);
  std::vector<uint32_t> buckets(nbuckets, 0), chain;
  for (uint32_t i = symoffset; i < ds.size(); i++) {
    uint32_t h = gnu_hash(str_.c_str() + ds[i].st_name);
    bloom[(h / 64) % bloom_size] |= (uint64_t(1) << (h % 64)) | (uint64_t(1) << ((h >> shift) % 64));
    if (!buckets[h % nbuckets]) buckets[h % nbuckets] = i;
    bool last = i + 1 == ds.size() || gnu_hash(str_.c_str() + ds[i + 1].st_name) % nbuckets != h % nbuckets;
    chain.push_back((h & ~1u) | (last ? 1 : 0));
  }
  for (uint64_t b : bloom) w.push_back(uint32_t(b)), w.push_back(uint32_t(b >> 32));
  w.insert(w.end(), buckets.begin(), buckets.end());
  w.insert(w.end(), chain.begin(), chain.end());
  return w;
}

inline std::vector<uint32_t> Image::sysv_table(const std::vector<Elf64_Sym>& ds) {
  uint32_t nchain = static_cast<uint32_t>(ds.size());
  std::vector<uint32_t> buckets(nbuckets, 0), chain(nchain, 0);
  for (uint32_t i = nchain; i-- > 1;) {  // prepend, so each list is in index order
    uint32_t b = elf_hash(str_.c_str() + ds[i].st_name) % nbuckets;
    chain[i] = buckets[b], buckets[b] = i;
  }
  std::vector<uint32_t> w = {nbuckets, nchain};
  w.insert(w.end(), buckets.begin(), buckets.end());
  w.insert(w.end(), chain.begin(), chain.end());
  return w;
}

inline std::vector<uint8_t> Image::verdef_bytes() {
  std::vector<uint8_t> out;
  for (size_t k = 0; k < verdefs.size(); k++) {
    Elf64_Verdef d = {};
    Elf64_Verdaux a = {};
    d.vd_version = VER_DEF_CURRENT, d.vd_flags = verdefs[k].flags, d.vd_ndx = verdefs[k].ndx, d.vd_cnt = 1;
    d.vd_hash = elf_hash(verdefs[k].name.c_str());
    d.vd_aux = sizeof(d);
    d.vd_next = k + 1 < verdefs.size() ? sizeof(d) + sizeof(a) : 0;
    a.vda_name = addstr(verdefs[k].name);
    out.insert(out.end(), reinterpret_cast<uint8_t*>(&d), reinterpret_cast<uint8_t*>(&d + 1));
    out.insert(out.end(), reinterpret_cast<uint8_t*>(&a), reinterpret_cast<uint8_t*>(&a + 1));
  }
  return out;
}

inline std::vector<uint8_t> Image::verneed_bytes() {
  std::vector<uint8_t> out;
  for (size_t k = 0; k < verneeds.size(); k++) {
    const TVerneed& v = verneeds[k];
    Elf64_Verneed n = {};
    n.vn_version = VER_NEED_CURRENT, n.vn_cnt = static_cast<uint16_t>(v.aux.size());
    n.vn_file = addstr(v.file);
    n.vn_aux = sizeof(n);
    n.vn_next = k + 1 < verneeds.size() ? uint32_t(sizeof(n) + v.aux.size() * sizeof(Elf64_Vernaux)) : 0;
    out.insert(out.end(), reinterpret_cast<uint8_t*>(&n), reinterpret_cast<uint8_t*>(&n + 1));
    for (size_t j = 0; j < v.aux.size(); j++) {
      Elf64_Vernaux a = {};
      a.vna_hash = elf_hash(v.aux[j].name.c_str());
      a.vna_flags = v.aux[j].flags, a.vna_other = v.aux[j].other;
      a.vna_name = addstr(v.aux[j].name);
      a.vna_next = j + 1 < v.aux.size() ? sizeof(a) : 0;
      out.insert(out.end(), reinterpret_cast<uint8_t*>(&a), reinterpret_cast<uint8_t*>(&a + 1));
    }
  }
  return out;
}

inline void Image::build() {
  str_.assign(1, '\0');
  std::vector<size_t> o = order();
  std::vector<Elf64_Sym> ds(1 + syms.size());
  std::vector<uint16_t> vs(1 + syms.size(), 0);
  dynidx.assign(syms.size(), 0);
  uint32_t symoffset = 1;
  for (size_t j = 0; j < o.size(); j++) {
    const TSym& t = syms[o[j]];
    Elf64_Sym& e = ds[j + 1];
    e.st_name = addstr(t.name), e.st_info = ELF64_ST_INFO(t.bind, t.type), e.st_shndx = t.shndx;
    e.st_value = t.value, e.st_size = 8;
    vs[j + 1] = t.versym;
    dynidx[o[j]] = static_cast<uint32_t>(j + 1);
    if (t.shndx == SHN_UNDEF) symoffset = static_cast<uint32_t>(j + 2);
  }
  std::vector<uint32_t> hash = kind == Hash::Gnu ? gnu_table(ds, symoffset) : sysv_table(ds);
  std::vector<uint8_t> vd = verdef_bytes(), vn = verneed_bytes();
  size_t off_str = put(str_.data(), str_.size());
  size_t off_sym = put(ds), off_hash = put(hash);  // the hash table ends the image
  size_t off_vs = with_versym ? put(vs) : 0, off_vd = vd.empty() ? 0 : put(vd), off_vn = vn.empty() ? 0 : put(vn);
  strtab_size = str_.size();
  mem.assign((buf_.size() + 7) / 8, 0);
  memcpy(mem.data(), buf_.data(), buf_.size());
  uintptr_t base = reinterpret_cast<uintptr_t>(mem.data());
  in = SymbolTableInputs();
  in.symtab = base + off_sym, in.strtab = base + off_str, in.strsz = str_.size();
  (kind == Hash::Gnu ? in.gnu_hash : in.sysv_hash) = base + off_hash;
  if (with_versym) in.versym = base + off_vs;
  if (!vd.empty()) in.verdef = base + off_vd, in.verdefnum = verdefs.size();
  if (!vn.empty()) in.verneed = base + off_vn, in.verneednum = verneeds.size();
  check.lo = base, check.hi = base + buf_.size();
}

inline SymbolTable must_build(Image& im) {
  Expected<SymbolTable> t = build_symbol_table("libt.so", im.in, im.check);
  CHECK_MESSAGE(bool(t), (t ? "" : t.error().message()));
  return t ? t.take() : SymbolTable();
}

inline std::string build_error(Image& im) {
  Expected<SymbolTable> t = build_symbol_table("libt.so", im.in, im.check);
  return t ? std::string("(built)") : std::string(t.error().message());
}

}  // namespace staticdl_test
