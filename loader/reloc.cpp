#include "reloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch.h"
#include "debug.h"
#include "dynamic.h"
#include "fault.h"
#include "lazy.h"
#include "lookup.h"
#include "populate.h"
#include "range.h"
#include "relr.h"
#include "reloc_cache.h"
#include "registry.h"
#include "self_binding.h"
#include "tls.h"

namespace staticdl {

namespace {


// One relocation, decoded into a common shape for RELA and REL.
struct Rel {
  uint64_t offset;
  uint32_t type;
  uint32_t sym;
  int64_t addend;
  bool has_addend;
};

// The host as the defining module of its TLS variables.
Module* host_tls_module() {
  Module* h = host_handle();
  if (!h->tls.modid) tls_host_info(&h->tls);
  return h;
}

class Relocator {
 public:
  Relocator(Module& m, RelocStats* st) : m_(m), st_(st), name_(m.name.c_str()) {}

  ~Relocator() { free(addr_), free(known_); }

  // One pass over the tables; relocations that call this object's own
  // IFUNC resolvers (IRELATIVE, or a symbol that is an IFUNC of this
  // object) are kept aside and done last, when everything they may read
  // is in place.
  Status run() {
    if (m_.syms.nsyms) {
      // Not zeroed: known_ says which entries hold an address, so only the
      // pages of referenced symbols are touched (a calloc clears all of them:
      // 46 KiB for libstdc++'s 5,800 symbols).
      addr_ = static_cast<uintptr_t*>(sd_malloc(size_t(m_.syms.nsyms) * sizeof(uintptr_t)));
      known_ = static_cast<uint64_t*>(sd_calloc((m_.syms.nsyms + 63) / 64, sizeof(uint64_t)));
      if (!addr_ || !known_) free(addr_), free(known_), addr_ = nullptr, known_ = nullptr;
    }
    if (m_.cache_mapped && !reloc_cache_storable(m_))  // a cache file not written by reloc_cache_store()
      return fail(Errc::BadElf, "%s: relocation cache entry for an object with DT_REL relocations", name_);
    if (!m_.cache_mapped) {  // a cached object's RELATIVE words are in place (reloc_cache.h)
      uint64_t t0 = debug_clock_ns(DebugStatistics);
      populate_relocated_pages(m_);
      st_->populate_ns += debug_clock_ns(DebugStatistics) - t0;
    }
    if (worth_prebinding()) bind_own_symbols();
    if (!m_.cache_mapped) STATICDL_TRY(apply_relr());
    uint64_t skip = m_.cache_mapped && m_.relative_prefix <= m_.dyn.relasz / sizeof(Elf64_Rela)
                        ? m_.relative_prefix * sizeof(Elf64_Rela) : 0;
    STATICDL_TRY(table(m_.dyn.rela ? m_.dyn.rela + skip : 0, m_.dyn.relasz - skip, true));
    STATICDL_TRY(table(m_.dyn.rel, m_.dyn.relsz, false));
    in_plt_ = true, defer_all_ = lazy_all_allowed(m_);
    STATICDL_TRY(table(m_.dyn.jmprel, m_.dyn.pltrelsz, m_.dyn.pltrel == DT_RELA));
    in_plt_ = false, defer_all_ = false;
    // Stored before any of this object's IFUNC resolvers runs: what they
    // write into the object's data (libgcc's __cpu_model) is this process's.
    if (m_.cache_store) reloc_cache_store(m_);
    pass_ = 1;
    for (const Rel& r : late_) STATICDL_TRY(one(r));
    return Status::ok();
  }

 private:
  // Place P must lie in a writable segment (text relocations are refused).
  // Relocations come in runs against one segment: try the last one first.
  Status check_place(uintptr_t p, uint64_t size) {
    if (last_seg_ && range_contains(last_seg_->start, last_seg_->memsz, p, size)) return Status::ok();
    for (const Segment& s : m_.segments)
      if ((s.prot & PROT_WRITE) && range_contains(s.start, s.memsz, p, size)) return last_seg_ = &s, Status::ok();
    return fail(Errc::BadElf, "%s: relocation offset 0x%lx is outside the writable segments", name_,
                (unsigned long)(p - m_.bias));
  }

  // A run of RELATIVE relocations (B + A) into the segment of the first
  // one, with everything in locals so the compiler keeps them in registers
  // (the stores could alias members). Returns how many were applied: the
  // run stops at the first other type or place outside that segment.
  size_t relative_run(const Elf64_Rela* e, size_t n) {
    if (!n || ELF64_R_TYPE(e[0].r_info) != Arch::R_RELATIVE) return 0;
    const uintptr_t bias = m_.bias;
    if (!check_place(bias + e[0].r_offset, 8)) return 0;  // sets last_seg_, memsz >= 8
    const uintptr_t lo = last_seg_->start, span = last_seg_->memsz - 8;
    size_t i = 0;
    if (m_.cache_mapped) {  // the words are in place (reloc_cache.h): only the run's end
      while (i < n && ELF64_R_TYPE(e[i].r_info) == Arch::R_RELATIVE && bias + e[i].r_offset - lo <= span) i++;
      return st_->relative += i, i;
    }
    for (; i < n; i++) {
      uintptr_t p = bias + e[i].r_offset;
      if (ELF64_R_TYPE(e[i].r_info) != Arch::R_RELATIVE || p - lo > span) break;  // p < lo wraps: fails too
      uint64_t v = bias + static_cast<uint64_t>(e[i].r_addend);
      memcpy(reinterpret_cast<void*>(p), &v, 8);
    }
    st_->relative += i;
    return i;
  }

  // Whether bind_own_symbols() pays: when the tables name at least half
  // of the object's own hash-table symbols. The synthetic plugin refers to
  // every one of its 40,000; libpython3.11 makes 13,444 symbolic
  // relocations, 12,831 of them against its own symbols, but those are 201
  // of its 1,683 (&PyType_Type, &_Py_NoneStruct in every static type), and
  // binding all 1,683 was a fifth of its load. So the number of distinct
  // own symbols is estimated: linkers sort the symbolic relocations by
  // symbol (GNU ld, and lld with -z combreloc, the default), so it is about
  // the number of runs of entries against one own symbol.
  bool worth_prebinding() const {
    const DynInfo& y = m_.dyn;
    const SymbolTable& t = m_.syms;
    if (!known_ || !t.gnu_chain || t.nsyms <= t.gnu_symoffset) return false;
    const uint64_t rela = y.relasz / sizeof(Elf64_Rela), relative = y.relacount < rela ? y.relacount : rela;
    const size_t plt_ent = y.pltrel == DT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
    const uint64_t symbolic = rela - relative + y.relsz / sizeof(Elf64_Rel) + y.pltrelsz / plt_ent;
    const uint64_t own = t.nsyms - t.gnu_symoffset;
    if (symbolic < own / 2) return false;
    const uint64_t want = own - own / 2;
    uint64_t seen = own_symbols(y.rela + relative * sizeof(Elf64_Rela), rela - relative, sizeof(Elf64_Rela), want);
    if (seen < want) seen += own_symbols(y.rel, y.relsz / sizeof(Elf64_Rel), sizeof(Elf64_Rel), want - seen);
    if (seen < want) seen += own_symbols(y.jmprel, y.pltrelsz / plt_ent, plt_ent, want - seen);
    return seen >= want;
  }
  // The estimate for one table of n entries of `ent` bytes, stopping at
  // `enough`: the number of runs of entries against one own symbol. Up to
  // kExact entries they are counted; in longer tables every kStride-th
  // entry is asked whether such a run starts there (two reads), and each
  // yes stands for kStride runs.
  static constexpr uint64_t kExact = 4096, kStride = 64;
  uint64_t own_symbols(uintptr_t addr, uint64_t n, size_t ent, uint64_t enough) const {
    const SymbolTable& t = m_.syms;
    // r_info is the second word of an Elf64_Rel and of an Elf64_Rela.
    auto sym = [&](uint64_t j) {
      return static_cast<uint32_t>(ELF64_R_SYM(reinterpret_cast<const Elf64_Rel*>(addr + j * ent)->r_info));
    };
    auto own = [&](uint32_t i) { return i - t.gnu_symoffset < t.nsyms - t.gnu_symoffset; };
    uint64_t sum = 0;
    if (!addr) return 0;
    uint64_t step = n <= kExact ? 1 : kStride;
    for (uint64_t j = 0; j < n && sum < enough; j += step) {
      uint32_t i = sym(j);
      if (own(i) && (j == 0 || i != sym(j - 1))) sum += step;
    }
    return sum;
  }

  // Binds every symbol of the object's own hash table that self_binding.h
  // can settle, in table order. When nearly every symbol is referenced
  // (several times), this is the same binding work as on first reference,
  // but it reads the symbol, chain, bucket and Bloom words in address order
  // instead of in relocation order, which GNU ld makes the hash order of
  // the names: cache misses at every step.
  void bind_own_symbols() {
    prebound_ = true;
    bind_all_to_self(
        m_,
        [](void* self, uint32_t i, const Definition& d) {
          if (!d.ifunc) static_cast<Relocator*>(self)->remember_address(i, d.value);
        },
        this);
  }

  static bool word_symbolic(uint32_t type) {
    return type == Arch::R_ABS64 || type == Arch::R_GLOB_DAT || type == Arch::R_JUMP_SLOT;
  }

  // S for symbol i once final: from the cache, or, at its first reference,
  // this object's own definition when self_binding.h can tell without the
  // name (not an IFUNC: that one waits for the last pass). False: take
  // one()'s general path.
  bool final_address(uint32_t i, uintptr_t* s) {
    if ((known_[i / 64] >> (i % 64)) & 1) return *s = addr_[i], true;
    Definition d;
    if (!bind_to_self(m_, i, &d) || d.ifunc) return false;
    remember_address(i, *s = d.value);
    return true;
  }

  // A run of the common symbolic relocations (ABS64, GLOB_DAT, JUMP_SLOT)
  // whose symbols have a final address, into the segment of the previous
  // relocation, with the hot values in locals as in relative_run. Returns
  // how many were applied; the first one it stops at takes the general path.
  size_t symbolic_run(const Elf64_Rela* e, size_t n) {
    if (!known_ || !last_seg_ || last_seg_->memsz < 8) return 0;
    const uintptr_t bias = m_.bias, lo = last_seg_->start, span = last_seg_->memsz - 8;
    const uint32_t nsyms = m_.syms.nsyms;
    const bool compare = m_.cache_mapped;  // store()'s test, in a register
    size_t i = 0;
    uint32_t run_sym = 0;  // the symbol of the previous entry and its address (0: none; never final)
    uintptr_t run_s = 0;
    for (; i < n; i++) {
      if (i + 2 * kAhead < n) prefetch_ahead(e + i);
      uint32_t type = static_cast<uint32_t>(ELF64_R_TYPE(e[i].r_info)), sym = static_cast<uint32_t>(ELF64_R_SYM(e[i].r_info));
      uintptr_t s = run_s, p = bias + e[i].r_offset;
      if (!word_symbolic(type) || p - lo > span) break;
      if (sym != run_sym) {  // entries come grouped by symbol: the cache once per group
        if (sym >= nsyms || !final_address(sym, &s)) break;
        run_sym = sym, run_s = s;
      }
      uint64_t v = s + ((type == Arch::R_ABS64 || Arch::kMachine != EM_X86_64) ? static_cast<uint64_t>(e[i].r_addend) : 0);
      // S + A (GLOB_DAT/JUMP_SLOT: S on x86_64); over cached pages only if it differs (store())
      if (!compare || get64(p) != v) memcpy(reinterpret_cast<void*>(p), &v, 8);
    }
    st_->symbolic += i;
    return i;
  }

  // Symbolic relocations come grouped by symbol, the groups in no useful
  // order (GNU ld: hash order), so each new symbol's table entries are
  // cache misses, and so are the places they write. Asking early overlaps
  // the misses of several symbols: the place 2 * kAhead relocations ahead,
  // and when a new symbol's group starts there, its entries; kAhead ahead,
  // for a new symbol not yet resolved, what its stored hash leads to
  // (self_binding.cpp: Bloom word and bucket). e[0 .. 2 * kAhead] exist.
  static constexpr size_t kAhead = 8;
  static uint32_t sym_of(const Elf64_Rela& e) { return static_cast<uint32_t>(ELF64_R_SYM(e.r_info)); }
  void prefetch_ahead(const Elf64_Rela* e) const {
    const Elf64_Rela& far = e[2 * kAhead];
    __builtin_prefetch(reinterpret_cast<const void*>(m_.bias + far.r_offset), 1);  // never faults
    const SymbolTable& t = m_.syms;
    uint32_t i = sym_of(far);
    if (i != sym_of(e[2 * kAhead - 1]) && i < t.nsyms) {
      __builtin_prefetch(&addr_[i]), __builtin_prefetch(&known_[i / 64]);
      if (prebound_) return;  // bind_own_symbols() settled the object's own symbols
      __builtin_prefetch(&t.syms[i]);
      if (t.gnu_chain && i >= t.gnu_symoffset) __builtin_prefetch(&t.gnu_chain[i - t.gnu_symoffset]);
    }
    if (prebound_) return;
    uint32_t j = sym_of(e[kAhead]), h;
    if (j == sym_of(e[kAhead - 1]) || j >= t.nsyms || ((known_[j / 64] >> (j % 64)) & 1) || !stored_gnu_hash(t, j, &h))
      return;
    __builtin_prefetch(&t.gnu_bloom[(h / 64) & t.gnu_bloom_mask]);
    __builtin_prefetch(&t.gnu_buckets[t.gnu_bucket(h)]);
  }

  // DT_RELR (relr.h): each place is checked, then gets B added.
  Status apply_relr() {
    Status s = Status::ok();
    bool decoded = for_each_relr(reinterpret_cast<const uint64_t*>(m_.dyn.relr), m_.dyn.relrsz / sizeof(uint64_t),
                                 m_.bias, [&](uintptr_t p) {
                                   Status c = check_place(p, 8);
                                   if (!c) return s = c, false;  // copied only on failure
                                   add64(p, m_.bias);
                                   st_->relative++;
                                   return true;
                                 });
    if (!decoded && s) return fail(Errc::BadElf, "%s: DT_RELR bitmap entry before any address entry", name_);
    return s;
  }

  Status table(uintptr_t addr, uint64_t size, bool rela) {
    if (!addr) return Status::ok();
    size_t ent = rela ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel);
    for (uint64_t off = 0; off + ent <= size; off += ent) {
      Rel r;
      if (in_plt_) plt_index_ = off / ent;  // a division only where lazy.h needs the index
      if (rela) {
        const Elf64_Rela* e = reinterpret_cast<const Elf64_Rela*>(addr + off);
        size_t k = defer_all_ ? 0 : relative_run(e, (size - off) / ent);  // deferred slots go one by one
        if (!k && !defer_all_) k = symbolic_run(e, (size - off) / ent);
        if (k) {
          off += (k - 1) * ent;
          continue;
        }
        r = {e->r_offset, static_cast<uint32_t>(ELF64_R_TYPE(e->r_info)), static_cast<uint32_t>(ELF64_R_SYM(e->r_info)),
             e->r_addend, true};
      } else {
        const Elf64_Rel* e = reinterpret_cast<const Elf64_Rel*>(addr + off);
        r = {e->r_offset, static_cast<uint32_t>(ELF64_R_TYPE(e->r_info)), static_cast<uint32_t>(ELF64_R_SYM(e->r_info)),
             0, false};
      }
      STATICDL_TRY(one(r));
    }
    return Status::ok();
  }

  Status unsupported(const Rel& r) {
    return fail(Errc::Unsupported, "%s: unsupported relocation type %s (%u)", name_, Arch::reloc_name(r.type), r.type);
  }

  // Resolves the symbol of r. Runs of relocations against one symbol (the
  // usual order of .rela.dyn) hit the memo of the last one.
  Status symbol(const Rel& r, Definition* d) {
    if (r.sym == 0) return Status::ok();
    if (r.sym == last_sym_) return *d = last_def_, Status::ok();
    if (!bind_to_self(m_, r.sym, d)) STATICDL_TRY(resolve_reference(m_, r.sym, d));
    last_sym_ = r.sym, last_def_ = *d;
    return Status::ok();
  }

  // The address S each symbol index resolved to, once it is final (not a
  // TLS or a deferred IFUNC of this object): an object refers to a symbol
  // from several places (GOT, PLT slot, data pointers), and an IFUNC's
  // resolver then runs once. 8 bytes and a bit per symbol: a Definition per
  // symbol would fault in pages for symbols never referenced.
  bool known_address(uint32_t i, uintptr_t* s) const {
    if (!known_ || i >= m_.syms.nsyms || !((known_[i / 64] >> (i % 64)) & 1)) return false;
    *s = addr_[i];
    return true;
  }
  void remember_address(uint32_t i, uintptr_t s) {
    if (!known_ || i == 0 || i >= m_.syms.nsyms) return;
    addr_[i] = s;
    known_[i / 64] |= uint64_t(1) << (i % 64);
  }

  // Keeps r for the final IFUNC pass.
  Status defer(const Rel& r) {
    if (!late_.push(r)) return fail(Errc::NoMemory, "%s: cannot allocate memory", name_);
    return Status::ok();
  }

  // Pass 0 applies everything but IFUNC-dependent relocations of this
  // object, whose resolvers may need the rest in place; pass 1 those.
  Status one(const Rel& r) {
    if (r.type == Arch::R_NONE) return Status::ok();
    uintptr_t p = m_.bias + r.offset;
    bool wide = r.type != Arch::R_PC32 && r.type != Arch::R_ABS32 && r.type != Arch::R_ABS32S &&
                r.type != Arch::R_SIZE32;
    STATICDL_TRY(check_place(p, wide ? 8 : 4));
    int64_t a = r.has_addend ? r.addend : (wide ? static_cast<int64_t>(get64(p)) : get32s(p));
    if (r.type == Arch::R_RELATIVE) {
      if (!m_.cache_mapped) (void)put64(p, m_.bias + a);
      st_->relative++;
      return Status::ok();
    }
    if (r.type == Arch::R_IRELATIVE) {
      if (pass_ == 0) return defer(r);
      uintptr_t fn = m_.bias + a;
      if (!in_exec_segment(m_, fn)) return fail(Errc::BadElf, "%s: IRELATIVE resolver outside the code", name_);
      (void)put64(p, m_.run_code ? Arch::call_ifunc(fn) : 0);
      st_->irelative++;
      return Status::ok();
    }
    if (r.type == Arch::R_COPY) return unsupported(r);
    if (is_tls(r.type)) return tls(r, p, a);
    bool sized = r.type == Arch::R_SIZE64 || r.type == Arch::R_SIZE32;
    uintptr_t s = 0;
    if (!sized && known_address(r.sym, &s)) return bind(r, p, s, a, 0);
    Definition d;
    if (Status found = symbol(r, &d); !found) return plt_slot_undefined(r, p, found);
    if (d.host_tls)
      return fail(Errc::BadElf, "%s: relocation %s against the host's thread-local symbol %s", name_,
                  Arch::reloc_name(r.type), m_.syms.name_of(r.sym));
    if (pass_ == 0 && d.ifunc && d.module == &m_) return defer(r);
    if (d.sym || d.value) s = (d.ifunc && d.module && !d.module->run_code) ? 0 : definition_address(d);
    remember_address(r.sym, s);
    return bind(r, p, s, a, d.size);
  }

  // Under RTLD_LAZY a PLT slot waits for its first call, keeping what it
  // binds to now for a first call while the loader is busy (lazy.h);
  // anything else is written now.
  Status bind(const Rel& r, uintptr_t p, uintptr_t s, int64_t a, uint64_t z) {
    uintptr_t now = Arch::kMachine == EM_X86_64 ? s : s + a;
    bool deferrable = defer_all_ && r.type == Arch::R_JUMP_SLOT && s;
    if (deferrable && lazy_defer(m_, p, r.sym, plt_index_, now)) return st_->symbolic++, Status::ok();
    return write(r, p, s, a, z);
  }

  // An undefined function of a PLT slot waits for its first call under
  // RTLD_LAZY (lazy.h); anything else is the lookup's error.
  Status plt_slot_undefined(const Rel& r, uintptr_t p, const Status& err) {
    bool deferrable = in_plt_ && r.type == Arch::R_JUMP_SLOT && err.error().code() == Errc::Undefined;
    if (deferrable && lazy_defer(m_, p, r.sym, plt_index_, 0)) return st_->symbolic++, Status::ok();
    return err;
  }

  // The relocation switch. S = s, A = a, P = p.
  Status write(const Rel& r, uintptr_t p, uintptr_t s, int64_t a, uint64_t z) {
    st_->symbolic++;
    if (r.type == Arch::R_ABS64) return put64(p, s + a);        // S + A
    if (r.type == Arch::R_GLOB_DAT || r.type == Arch::R_JUMP_SLOT)  // S (+ A on aarch64)
      return put64(p, Arch::kMachine == EM_X86_64 ? s : s + a);
    if (r.type == Arch::R_PC64) return put64(p, s + a - p);     // S + A - P
    if (r.type == Arch::R_SIZE64) return put64(p, z + a);       // Z + A
    if (r.type == Arch::R_PC32) return put32s(r, p, static_cast<int64_t>(s + a - p));  // S + A - P : int32
    if (r.type == Arch::R_ABS32S) return put32s(r, p, static_cast<int64_t>(s + a));    // S + A : int32
    if (r.type == Arch::R_ABS32) return put32u(r, p, s + a);    // S + A : uint32
    if (r.type == Arch::R_SIZE32) return put32u(r, p, z + a);   // Z + A : uint32
    return unsupported(r);
  }

  static bool is_tls(unsigned t) {
    return t == Arch::R_TLS_DTPMOD || t == Arch::R_TLS_DTPOFF || t == Arch::R_TLS_TPOFF || t == Arch::R_TLSDESC;
  }

  // The TLS relocations (tls.h). T = the defining module's TLS block,
  // O = the symbol's offset in it (st_value):
  //   DTPMOD   id(T)            DTPOFF  O + A
  //   TPOFF    T - tp + O + A   (T must be in static TLS)
  //   TLSDESC  {resolver, argument} for static, dynamic or undefined weak
  Status tls(const Rel& r, uintptr_t p, int64_t a) {
    Module* t = &m_;
    uint64_t o = 0;
    bool undef = false;
    if (r.sym) {
      Definition d;
      STATICDL_TRY(symbol(r, &d));
      const char* sn = m_.syms.name_of(r.sym);
      if (d.host_tls && d.tls_modid) {
        return system_tls(r, p, a, d, sn);
      } else if (d.host_tls) {
        t = host_tls_module(), o = d.value;
      } else if (!d.sym && !d.value) {
        undef = true;
      } else if (!d.module || ELF64_ST_TYPE(d.sym->st_info) != STT_TLS) {
        return fail(Errc::BadElf, "%s: TLS relocation against non-TLS symbol %s", name_, sn);
      } else {
        t = d.module, o = d.sym->st_value;
      }
    }
    if (!undef && !t->tls.modid)
      return fail(Errc::BadElf, "%s: TLS relocation but %s has no PT_TLS segment", name_, t->name.c_str());
    st_->tls++;
    if (r.type == Arch::R_TLS_DTPMOD) return put64(p, undef ? 0 : t->tls.modid);
    if (r.type == Arch::R_TLS_DTPOFF) return put64(p, o + a);
    if (r.type == Arch::R_TLS_TPOFF) {
      if (undef) return put64(p, 0);
      if (!t->tls.is_static)
        return fail(Errc::Unsupported, "%s: initial-exec TLS reference into %s, which was loaded with dynamic TLS",
                    name_, t->name.c_str());
      return put64(p, static_cast<uint64_t>(t->tls.tpoff) + o + a);
    }
    return tls_desc(p, t, o + a, undef);
  }

  // A TLS reference into a block the system loader allocates per thread
  // (hybrid mode: an object glibc gave dynamic TLS): the tagged module id
  // and offset, which staticdl's resolvers hand to glibc's __tls_get_addr.
  Status system_tls(const Rel& r, uintptr_t p, int64_t a, const Definition& d, const char* sn) {
    st_->tls++;
    uint64_t modid = kSystemModid | d.tls_modid, off = d.value + static_cast<uint64_t>(a);
    if (r.type == Arch::R_TLS_DTPMOD) return put64(p, modid);
    if (r.type == Arch::R_TLS_DTPOFF) return put64(p, off);
    if (r.type == Arch::R_TLS_TPOFF)
      return fail(Errc::Unsupported, "%s: initial-exec TLS reference to %s, which the system loader gave dynamic TLS",
                  name_, sn ? sn : "?");
    STATICDL_TRY(check_place(p, 16));
    return dynamic_desc(p, modid, off);
  }

  Status tls_desc(uintptr_t p, Module* t, uint64_t off, bool undef) {
    STATICDL_TRY(check_place(p, 16));
    if (undef) return write_desc(p, &staticdl_tlsdesc_undefweak, off);
    if (t->tls.is_static) return write_desc(p, &staticdl_tlsdesc_static, t->tls.tpoff + off);
    return dynamic_desc(p, t->tls.modid, off);
  }
  // A descriptor for a block allocated per thread: {resolver, &{module id, offset}}.
  Status dynamic_desc(uintptr_t p, uint64_t modid, uint64_t off) {
    TlsDescArg* a = tls_desc_arg(m_, modid, off);
    if (!a) return fail(Errc::NoMemory, "%s: cannot allocate memory", name_);
    return write_desc(p, &staticdl_tlsdesc_dynamic, reinterpret_cast<uintptr_t>(a));
  }
  Status write_desc(uintptr_t p, void (*fn)(), uintptr_t arg) {
    (void)put64(p + 8, arg);
    return put64(p, reinterpret_cast<uintptr_t>(tls_entry(reinterpret_cast<void*>(fn))));
  }

  // Places may be unaligned in a hostile file; memcpy is safe for any.
  static uint64_t get64(uintptr_t p) {
    uint64_t v;
    memcpy(&v, reinterpret_cast<const void*>(p), 8);
    return v;
  }
  static int64_t get32s(uintptr_t p) {
    int32_t v;
    memcpy(&v, reinterpret_cast<const void*>(p), 4);
    return v;
  }
  void add64(uintptr_t p, uint64_t d) { (void)put64(p, get64(p) + d); }

  // Every write to the object. Over pages mapped from the relocation cache
  // only a word that differs is written: a page all of whose words match
  // stays the page cache's, with no copy.
  void store(uintptr_t p, const void* v, size_t n) {
    if (!m_.cache_mapped || memcmp(reinterpret_cast<const void*>(p), v, n) != 0)
      memcpy(reinterpret_cast<void*>(p), v, n);
  }
  Status put64(uintptr_t p, uint64_t v) {
    store(p, &v, 8);
    return Status::ok();
  }
  Status put32s(const Rel& r, uintptr_t p, int64_t v) {
    if (v != static_cast<int32_t>(v)) return overflow(r);
    int32_t w = static_cast<int32_t>(v);
    store(p, &w, 4);
    return Status::ok();
  }
  Status put32u(const Rel& r, uintptr_t p, uint64_t v) {
    if (v != static_cast<uint32_t>(v)) return overflow(r);
    uint32_t w = static_cast<uint32_t>(v);
    store(p, &w, 4);
    return Status::ok();
  }
  Status overflow(const Rel& r) {
    return fail(Errc::BadElf, "%s: relocation %s (%u) at 0x%lx overflows its field", name_, Arch::reloc_name(r.type),
                r.type, (unsigned long)r.offset);
  }

  Module& m_;
  RelocStats* st_;
  const char* name_;
  int pass_ = 0;  // 1: the deferred IFUNC relocations
  bool in_plt_ = false;    // walking DT_JMPREL
  bool defer_all_ = false;  // ... and deferring every slot (lazy_all_allowed)
  uint64_t plt_index_ = 0;  // the entry of the table being walked
  uintptr_t* addr_ = nullptr;  // known_address(); both null if allocation failed
  uint64_t* known_ = nullptr;
  bool prebound_ = false;  // bind_own_symbols() ran: prefetch_ahead() needs less
  uint32_t last_sym_ = 0;  // 0: none (symbol 0 is never looked up)
  Definition last_def_;
  Vec<Rel> late_;
  const Segment* last_seg_ = nullptr;
};

}  // namespace

namespace {
template <typename Entry>
bool table_has_tpoff(uintptr_t addr, uint64_t size) {
  const Entry* e = reinterpret_cast<const Entry*>(addr);
  for (uint64_t i = 0; addr && i < size / sizeof(Entry); i++)
    if (ELF64_R_TYPE(e[i].r_info) == Arch::R_TLS_TPOFF) return true;
  return false;
}
}  // namespace

bool has_static_tls_relocs(const Module& m) {
  const DynInfo& y = m.dyn;
  bool plt_rela = y.pltrel == DT_RELA;
  // The DT_RELACOUNT leading RELATIVE entries are skipped (most of a large
  // object's). A lying count only hides a TPOFF64, which then fails to
  // relocate with a clear error instead of running.
  uint64_t skip = y.relacount <= y.relasz / sizeof(Elf64_Rela) ? y.relacount * sizeof(Elf64_Rela) : 0;
  return table_has_tpoff<Elf64_Rela>(y.rela ? y.rela + skip : 0, y.relasz - skip) ||
         table_has_tpoff<Elf64_Rel>(y.rel, y.relsz) ||
         (plt_rela ? table_has_tpoff<Elf64_Rela>(y.jmprel, y.pltrelsz) : table_has_tpoff<Elf64_Rel>(y.jmprel, y.pltrelsz));
}

Status relocate(Module& m, RelocStats* stats) {
  Relocator r(m, stats);
  STATICDL_TRY(r.run());
  debug(DebugReloc, "relocated %s", m.name.c_str());
  return Status::ok();
}

}  // namespace staticdl
