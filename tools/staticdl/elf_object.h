// The ELF objects the staticdl tool reads, on libelf: a plugin, a
// dependency or the host, whole in memory (zstd-compressed files are
// decompressed), with its program headers, dynamic section, symbol tables
// and dynamic relocations.
#pragma once

#include <gelf.h>
#include <libelf.h>
#include <stdint.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#ifndef R_AARCH64_IRELATIVE
#define R_AARCH64_IRELATIVE 1032
#endif
#ifndef DF_1_NOOPEN
#define DF_1_NOOPEN 0x40
#endif

namespace sdtool {

struct Sym {
  std::string name;
  unsigned bind = 0, type = 0, vis = 0;
  unsigned shndx = 0;
  uint64_t value = 0, size = 0;
};

struct Obj {
  std::string path;                   // as opened
  std::vector<unsigned char> data;    // the ELF image (decompressed)
  bool compressed = false;
  Elf* elf = nullptr;
  int cls = 0;
  unsigned machine = 0, etype = 0;
  std::vector<GElf_Phdr> phdrs;
  bool has_dynamic = false;
  std::vector<std::string> needed;     // DT_NEEDED and DT_FILTER: must load
  std::vector<std::string> auxiliary;  // DT_AUXILIARY: left out when it does not load
  std::string soname, rpath, runpath;
  bool has_rpath = false, has_runpath = false, textrel = false;
  uint64_t flags = 0, flags_1 = 0;
  bool has_dynsym = false, has_symtab = false;
  std::vector<Sym> dynsym, symtab;
  std::vector<std::pair<uint32_t, uint32_t>> relocs;  // (type, symbol index) of the dynamic relocations
  const Obj* loader = nullptr;  // the object whose DT_NEEDED entry brought it in (DT_RPATH is inherited)

  ~Obj() {
    if (elf) elf_end(elf);
  }
};

// Appends the symbols of the symbol table section scn (header sh) to *out.
void read_syms(Elf* e, Elf_Scn* scn, const GElf_Shdr& sh, std::vector<Sym>* out);

// Opens an ELF file (or a zstd-compressed one). nullptr and *err on failure.
std::unique_ptr<Obj> open_obj(const std::string& path, std::string* err);

// loader/host.cpp exportable(): a global definition worth exporting.
bool exportable(const Sym& s);

// loader/host.cpp internalized(): a .symtab LOCAL left by LTO.
bool internalized(const Sym& s);

const char* machine_name(unsigned m);  // "EM_X86_64", ...; "EM_?" if unknown

}  // namespace sdtool
