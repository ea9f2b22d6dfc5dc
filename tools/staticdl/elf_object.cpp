// The ELF object reader of the staticdl tool (libelf), and the loader's
// rules for which symbols a host exports.
#include "elf_object.h"

#include <string.h>

#include "util.h"

namespace sdtool {

void read_syms(Elf* e, Elf_Scn* scn, const GElf_Shdr& sh, std::vector<Sym>* out) {
  Elf_Data* d = elf_getdata(scn, nullptr);
  if (!d || !sh.sh_entsize) return;
  size_t n = sh.sh_size / sh.sh_entsize;
  out->reserve(n);
  for (size_t i = 0; i < n; i++) {
    GElf_Sym s;
    if (!gelf_getsym(d, static_cast<int>(i), &s)) break;
    Sym y;
    const char* nm = elf_strptr(e, sh.sh_link, s.st_name);
    y.name = nm ? nm : "";
    y.bind = GELF_ST_BIND(s.st_info);
    y.type = GELF_ST_TYPE(s.st_info);
    y.vis = GELF_ST_VISIBILITY(s.st_other);
    y.shndx = s.st_shndx;
    y.value = s.st_value;
    y.size = s.st_size;
    out->push_back(std::move(y));
  }
}

// Opens an ELF file (or a zstd-compressed one). nullptr and *err on failure.
std::unique_ptr<Obj> open_obj(const std::string& path, std::string* err) {
  auto o = std::make_unique<Obj>();
  o->path = path;
  std::string e;
  if (!read_file(path, &o->data, &e)) return *err = "cannot open: " + e, nullptr;
  if (is_zstd(o->data)) {
    std::vector<unsigned char> raw;
    if (!zstd_decompress(o->data, &raw, &e)) return *err = e, nullptr;
    o->data.swap(raw);
    o->compressed = true;
  }
  if (o->data.size() < 4 || memcmp(o->data.data(), ELFMAG, SELFMAG) != 0) return *err = "invalid ELF header", nullptr;
  o->elf = elf_memory(reinterpret_cast<char*>(o->data.data()), o->data.size());
  if (!o->elf || elf_kind(o->elf) != ELF_K_ELF) return *err = "invalid ELF header", nullptr;
  GElf_Ehdr eh;
  if (!gelf_getehdr(o->elf, &eh)) return *err = std::string("bad ELF header: ") + elf_errmsg(-1), nullptr;
  o->cls = gelf_getclass(o->elf);
  o->machine = eh.e_machine;
  o->etype = eh.e_type;
  size_t nph = 0;
  if (elf_getphdrnum(o->elf, &nph) == 0)
    for (size_t i = 0; i < nph; i++) {
      GElf_Phdr ph;
      if (gelf_getphdr(o->elf, static_cast<int>(i), &ph)) o->phdrs.push_back(ph);
    }
  for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(o->elf, scn));) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) continue;
    if (sh.sh_type == SHT_DYNAMIC) {
      Elf_Data* d = elf_getdata(scn, nullptr);
      if (!d || !sh.sh_entsize) continue;
      o->has_dynamic = true;
      size_t n = sh.sh_size / sh.sh_entsize;
      for (size_t i = 0; i < n; i++) {
        GElf_Dyn dy;
        if (!gelf_getdyn(d, static_cast<int>(i), &dy) || dy.d_tag == DT_NULL) break;
        auto str = [&]() {
          const char* s = elf_strptr(o->elf, sh.sh_link, dy.d_un.d_val);
          return std::string(s ? s : "");
        };
        switch (dy.d_tag) {
          case DT_NEEDED:
          case DT_FILTER: o->needed.push_back(str()); break;
          case DT_AUXILIARY: o->auxiliary.push_back(str()); break;
          case DT_SONAME: o->soname = str(); break;
          case DT_RPATH: o->rpath = str(), o->has_rpath = true; break;
          case DT_RUNPATH: o->runpath = str(), o->has_runpath = true; break;
          case DT_TEXTREL: o->textrel = true; break;
          case DT_FLAGS: o->flags = dy.d_un.d_val; break;
          case DT_FLAGS_1: o->flags_1 = dy.d_un.d_val; break;
          default: break;
        }
      }
    } else if (sh.sh_type == SHT_DYNSYM) {
      o->has_dynsym = true;
      read_syms(o->elf, scn, sh, &o->dynsym);
    } else if (sh.sh_type == SHT_SYMTAB) {
      o->has_symtab = true;
      read_syms(o->elf, scn, sh, &o->symtab);
    } else if ((sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL) && (sh.sh_flags & SHF_ALLOC)) {
      Elf_Data* d = elf_getdata(scn, nullptr);
      if (!d || !sh.sh_entsize) continue;
      size_t n = sh.sh_size / sh.sh_entsize;
      for (size_t i = 0; i < n; i++) {
        if (sh.sh_type == SHT_RELA) {
          GElf_Rela r;
          if (!gelf_getrela(d, static_cast<int>(i), &r)) break;
          o->relocs.emplace_back(GELF_R_TYPE(r.r_info), GELF_R_SYM(r.r_info));
        } else {
          GElf_Rel r;
          if (!gelf_getrel(d, static_cast<int>(i), &r)) break;
          o->relocs.emplace_back(GELF_R_TYPE(r.r_info), GELF_R_SYM(r.r_info));
        }
      }
    }
  }
  return o;
}

// loader/host.cpp exportable(): a global definition worth exporting.
bool exportable(const Sym& s) {
  if (s.shndx == SHN_UNDEF || (s.bind != STB_GLOBAL && s.bind != STB_WEAK && s.bind != STB_GNU_UNIQUE)) return false;
  if (s.type != STT_FUNC && s.type != STT_OBJECT && s.type != STT_NOTYPE && s.type != STT_GNU_IFUNC &&
      s.type != STT_TLS && s.type != STT_COMMON)
    return false;
  return s.value != 0 || s.type == STT_TLS || s.shndx == SHN_ABS;
}

// loader/host.cpp internalized(): a .symtab LOCAL left by LTO.
bool internalized(const Sym& s) {
  if (s.shndx == SHN_UNDEF || s.bind != STB_LOCAL || s.vis != STV_DEFAULT) return false;
  if (s.type != STT_FUNC && s.type != STT_OBJECT && s.type != STT_GNU_IFUNC && s.type != STT_TLS) return false;
  return s.value != 0 || s.type == STT_TLS;
}

const char* machine_name(unsigned m) {
  switch (m) {
    case EM_X86_64: return "EM_X86_64";
    case EM_AARCH64: return "EM_AARCH64";
    case EM_386: return "EM_386";
    case EM_ARM: return "EM_ARM";
    case EM_RISCV: return "EM_RISCV";
    case EM_PPC64: return "EM_PPC64";
    case EM_S390: return "EM_S390";
    default: return "EM_?";
  }
}

}  // namespace sdtool
