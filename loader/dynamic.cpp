#include "dynamic.h"

#include "elf_reader.h"
#include "range.h"

namespace staticdl {

bool Module::contains(uintptr_t addr) const {
  uintptr_t lo = reinterpret_cast<uintptr_t>(image.data());
  return addr >= lo && addr - lo < image.size();
}

bool in_segments(const Module& m, uintptr_t addr, uint64_t size) {
  for (const Segment& s : m.segments)
    if ((s.prot & PROT_READ) && range_contains(s.start, s.memsz, addr, size)) return true;
  return false;
}

bool in_file_data(const Module& m, uintptr_t addr, uint64_t size) {
  for (const Segment& s : m.segments)
    if ((s.prot & PROT_READ) && range_contains(s.start, s.filesz, addr, size)) return true;
  return false;
}

bool in_exec_segment(const Module& m, uintptr_t addr) {
  for (const Segment& s : m.segments)
    if ((s.prot & PROT_EXEC) && addr >= s.start && addr - s.start < s.memsz) return true;
  return false;
}

namespace {

// A (pointer tag, size tag) pair checked after the whole section is read.
struct Table {
  const char* what;
  uintptr_t* addr;
  uint64_t* size;
  uint64_t entsize;  // size must be a multiple of this (0: any)
  uint64_t align;    // address alignment (0: any)
};

Status check_table(const char* name, const Module& m, const Table& t) {
  if (!*t.addr) {
    *t.size = 0;
    return Status::ok();
  }
  if (t.entsize && *t.size % t.entsize)
    return fail(Errc::BadElf, "%s: %s size 0x%lx is not a multiple of %lu", name, t.what, (unsigned long)*t.size,
                (unsigned long)t.entsize);
  if (!in_file_data(m, *t.addr, *t.size ? *t.size : 1))
    return fail(Errc::BadElf, "%s: %s (0x%lx, 0x%lx bytes) is outside the loaded segments", name, t.what,
                (unsigned long)(*t.addr - m.bias), (unsigned long)*t.size);
  if (t.align && *t.addr % t.align)
    return fail(Errc::BadElf, "%s: %s address 0x%lx is misaligned", name, t.what, (unsigned long)(*t.addr - m.bias));
  return Status::ok();
}

// Stores one tag. Addresses are biased here and validated in check_tables.
Status take_tag(const char* name, const Elf64_Dyn& d, Module& m) {
  DynInfo& y = m.dyn;
  uintptr_t a = m.bias + d.d_un.d_ptr;
  uint64_t v = d.d_un.d_val;
  switch (d.d_tag) {
    case DT_NEEDED:
    case DT_FILTER:
    case DT_AUXILIARY: {
      DepKind k = d.d_tag == DT_NEEDED ? DepKind::Needed : d.d_tag == DT_FILTER ? DepKind::Filter : DepKind::Auxiliary;
      if (v > UINT32_MAX) return fail(Errc::BadElf, "%s: %s string offset out of range", name, dep_tag_name(k));
      if (!y.needed.push(DepName{static_cast<uint32_t>(v), k}))
        return fail(Errc::NoMemory, "%s: cannot allocate memory", name);
      break;
    }
    case DT_SYMTAB: y.symin.symtab = a; break;
    case DT_STRTAB: y.symin.strtab = a; break;
    case DT_STRSZ: y.symin.strsz = v; break;
    case DT_SYMENT: y.symin.syment = v; break;
    case DT_GNU_HASH: y.symin.gnu_hash = a; break;
    case DT_HASH: y.symin.sysv_hash = a; break;
    case DT_VERSYM: y.symin.versym = a; break;
    case DT_VERDEF: y.symin.verdef = a; break;
    case DT_VERDEFNUM: y.symin.verdefnum = v; break;
    case DT_VERNEED: y.symin.verneed = a; break;
    case DT_VERNEEDNUM: y.symin.verneednum = v; break;
    case DT_RELA: y.rela = a; break;
    case DT_RELASZ: y.relasz = v; break;
    case DT_RELACOUNT: y.relacount = v; break;
    case DT_RELAENT:
      if (v != sizeof(Elf64_Rela)) return fail(Errc::BadElf, "%s: invalid DT_RELAENT %lu", name, (unsigned long)v);
      break;
    case DT_REL: y.rel = a; break;
    case DT_RELSZ: y.relsz = v; break;
    case DT_RELENT:
      if (v != sizeof(Elf64_Rel)) return fail(Errc::BadElf, "%s: invalid DT_RELENT %lu", name, (unsigned long)v);
      break;
    case DT_RELR: y.relr = a; break;
    case DT_RELRSZ: y.relrsz = v; break;
    case DT_JMPREL: y.jmprel = a; break;
    case DT_PLTGOT: m.pltgot = a; break;
    case DT_PLTRELSZ: y.pltrelsz = v; break;
    case DT_PLTREL: y.pltrel = static_cast<int64_t>(v); break;
    case DT_INIT: y.init = a; break;
    case DT_FINI: y.fini = a; break;
    case DT_INIT_ARRAY: y.init_array = a; break;
    case DT_INIT_ARRAYSZ: y.init_arraysz = v; break;
    case DT_FINI_ARRAY: y.fini_array = a; break;
    case DT_FINI_ARRAYSZ: y.fini_arraysz = v; break;
    case DT_SONAME: y.soname = v, y.has_soname = true; break;
    case DT_RPATH: y.rpath = v, y.has_rpath = true; break;
    case DT_RUNPATH: y.runpath = v, y.has_runpath = true; break;
    case DT_TEXTREL: y.textrel = true; break;
    case DT_SYMBOLIC: y.symbolic = true; break;
    case DT_BIND_NOW: y.bind_now = true; break;
    case DT_FLAGS: y.flags = v; break;
    case DT_FLAGS_1: y.flags_1 = v; break;
    default: break;
  }
  return Status::ok();
}

Status check_tables(const char* name, Module& m) {
  DynInfo& y = m.dyn;
  // Minimum sizes of tables whose size is not in the dynamic section
  // (check_table zeroes the size of an absent table, so one each).
  uint64_t sym_sz = sizeof(Elf64_Sym), gnu_sz = 16, hash_sz = 8, versym_sz = 2, verdef_sz = sizeof(Elf64_Verdef),
           verneed_sz = sizeof(Elf64_Verneed), init_sz = 1, fini_sz = 1;
  uint64_t jmpent = y.pltrel == DT_REL ? sizeof(Elf64_Rel) : sizeof(Elf64_Rela);
  Table tables[] = {
      {"DT_STRTAB", &y.symin.strtab, &y.symin.strsz, 0, 0},
      {"DT_RELA", &y.rela, &y.relasz, sizeof(Elf64_Rela), 8},
      {"DT_REL", &y.rel, &y.relsz, sizeof(Elf64_Rel), 8},
      {"DT_RELR", &y.relr, &y.relrsz, sizeof(uint64_t), 8},
      {"DT_JMPREL", &y.jmprel, &y.pltrelsz, jmpent, 8},
      {"DT_INIT_ARRAY", &y.init_array, &y.init_arraysz, sizeof(uintptr_t), 8},
      {"DT_FINI_ARRAY", &y.fini_array, &y.fini_arraysz, sizeof(uintptr_t), 8},
      {"DT_INIT", &y.init, &init_sz, 0, 0},
      {"DT_FINI", &y.fini, &fini_sz, 0, 0},
      {"DT_SYMTAB", &y.symin.symtab, &sym_sz, 0, 8},
      {"DT_GNU_HASH", &y.symin.gnu_hash, &gnu_sz, 0, 8},
      {"DT_HASH", &y.symin.sysv_hash, &hash_sz, 0, 4},
      {"DT_VERSYM", &y.symin.versym, &versym_sz, 0, 2},
      {"DT_VERDEF", &y.symin.verdef, &verdef_sz, 0, 4},
      {"DT_VERNEED", &y.symin.verneed, &verneed_sz, 0, 4},
  };
  for (const Table& t : tables) STATICDL_TRY(check_table(name, m, t));
  if (y.jmprel && y.pltrel != DT_RELA && y.pltrel != DT_REL)
    return fail(Errc::BadElf, "%s: invalid DT_PLTREL %ld", name, (long)y.pltrel);
  if (!y.symin.symtab || !y.symin.strtab || !y.symin.strsz)
    return fail(Errc::BadElf, "%s: object has no dynamic symbol table", name);
  if (y.init && !in_exec_segment(m, y.init)) return fail(Errc::BadElf, "%s: DT_INIT is not in executable code", name);
  if (y.fini && !in_exec_segment(m, y.fini)) return fail(Errc::BadElf, "%s: DT_FINI is not in executable code", name);
  return Status::ok();
}

Status check_flags(const char* name, const DynInfo& y) {
  if (y.textrel || (y.flags & DF_TEXTREL))
    return fail(Errc::Unsupported, "%s: text relocations are not supported (relink with -fPIC)", name);
  if (y.flags_1 & DF_1_NOOPEN) return fail(Errc::Unsupported, "%s: shared object cannot be dlopen()ed", name);
  if (y.flags_1 & DF_1_PIE) return fail(Errc::Unsupported, "%s: cannot dynamically load position-independent executable", name);
  return Status::ok();
}

}  // namespace

Status parse_dynamic(const char* name, const ElfImage& img, Module& m) {
  const Elf64_Phdr& ph = img.phdrs[static_cast<size_t>(img.dynamic)];
  m.dyn.dynamic = m.bias + ph.p_vaddr;
  const Elf64_Dyn* d = reinterpret_cast<const Elf64_Dyn*>(m.dyn.dynamic);
  size_t n = ph.p_filesz / sizeof(Elf64_Dyn);
  bool terminated = false;
  for (size_t i = 0; i < n; i++) {
    if (d[i].d_tag == DT_NULL) {
      terminated = true;
      break;
    }
    STATICDL_TRY(take_tag(name, d[i], m));
  }
  if (!terminated) return fail(Errc::BadElf, "%s: dynamic section is not terminated by DT_NULL", name);
  STATICDL_TRY(check_flags(name, m.dyn));
  STATICDL_TRY(check_tables(name, m));
  MemoryCheck mem;
  mem.lo = reinterpret_cast<uintptr_t>(m.image.data());
  mem.hi = mem.lo + m.image.size();
  mem.ctx = &m;
  mem.exact = [](const void* ctx, uintptr_t addr, uint64_t size) {
    return in_file_data(*static_cast<const Module*>(ctx), addr, size);
  };
  Expected<SymbolTable> st = build_symbol_table(name, m.dyn.symin, mem);
  if (!st) return st.error();
  m.syms = st.take();
  if (m.dyn.has_soname) {
    m.soname = m.syms.str(m.dyn.soname);
    if (!m.soname) return fail(Errc::BadElf, "%s: DT_SONAME string offset out of range", name);
  }
  if (m.dyn.has_rpath && !m.syms.str(m.dyn.rpath))
    return fail(Errc::BadElf, "%s: DT_RPATH string offset out of range", name);
  if (m.dyn.has_runpath && !m.syms.str(m.dyn.runpath))
    return fail(Errc::BadElf, "%s: DT_RUNPATH string offset out of range", name);
  m.dyn.symbolic |= (m.dyn.flags & DF_SYMBOLIC) != 0;
  m.nodelete |= (m.dyn.flags_1 & DF_1_NODELETE) != 0;
  return Status::ok();
}

}  // namespace staticdl
