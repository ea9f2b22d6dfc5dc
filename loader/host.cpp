// The host executable as a symbol scope (see host.h for the search order).
//
// Finding the host image: the kernel passes AT_PHDR (runtime address of the
// program headers) and AT_PHNUM. PT_PHDR records their link-time address,
// so bias = AT_PHDR - PT_PHDR.p_vaddr (0 for a non-PIE). Without PT_PHDR,
// the headers are assumed to follow the ELF header (e_phoff == 64) in the
// PT_LOAD that maps file offset 0, which is checked against the ELF magic.
//
// .dynsym: PT_DYNAMIC gives DT_SYMTAB, DT_STRTAB, the hash tables and the
// version tables as link-time addresses (musl's static-pie startup applies
// relocations but never rewrites .dynamic), so each d_ptr gets the bias;
// an already-biased d_ptr (a startup that did rewrite it) is used as is.
// The tables are validated by build_symbol_table() against the span of the
// host's PT_LOAD segments.
//
// .symtab fallback: /proc/self/exe is mapped read-only once and kept (symbol
// names point into it). Its section headers are checked against the file
// size, its program headers must equal the running image's, and the global
// definitions go into an open-addressing table keyed by gnu_hash (linear
// probing, at most half full). Link-time optimization (zig's default for
// -O2 static links) turns every global it does not see exported into a
// LOCAL symbol, libc's included, so LOCAL default-visibility functions and
// objects are indexed too, below the globals; a name several locals share
// is not resolved.
//
// All state is one file-scope struct, constant-initialized (no static
// constructor or destructor), and guarded by the caller's loader lock.
#include "host.h"

#include "arch.h"

#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containers.h"
#include "fault.h"
#include "range.h"
#include "search.h"
#include "self_binding.h"

namespace staticdl {

namespace {

struct Explicit {
  char* name = nullptr;
  uint32_t hash = 0;
  void* addr = nullptr;
};

struct Slot {  // .symtab hash table entry; index == 0 means empty
  uint32_t hash = 0;
  uint32_t index = 0;      // symbol index + 1
  bool local = false;      // from an internalized (LOCAL) symbol
  bool ambiguous = false;  // several locals share the name: never resolved
};

struct State {
  bool ready = false;         // host_info()
  bool layout_ready = false;  // host_layout()
  HostInfo info;
  uintptr_t lo = 0, hi = 0;  // span of the PT_LOAD segments
  SymbolTable dyn;           // source == Dynsym
  // source == Symtab: the mapped file and its .symtab.
  uint8_t* file = nullptr;
  size_t file_size = 0;
  const Elf64_Sym* syms = nullptr;
  uint32_t nsyms = 0;
  const char* strtab = nullptr;
  uint64_t strsz = 0;
  Slot* slots = nullptr;
  size_t nslots = 0;  // power of two
  // host_add_symbol()
  Explicit* ex = nullptr;
  size_t nex = 0, capex = 0;
  char path[4096] = {};
  bool paths_ready = false;  // host_paths()
  HostPaths paths;
};

State g;

// ---- Helpers -----------------------------------------------------------------

// A global definition worth exporting (the symbol layer's rules, plus TLS).
bool exportable(const Elf64_Sym& s) {
  unsigned bind = ELF64_ST_BIND(s.st_info), type = ELF64_ST_TYPE(s.st_info);
  if (s.st_shndx == SHN_UNDEF || (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)) return false;
  if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE && type != STT_GNU_IFUNC && type != STT_TLS &&
      type != STT_COMMON)
    return false;
  return s.st_value != 0 || type == STT_TLS || s.st_shndx == SHN_ABS;
}

// A .symtab LOCAL symbol that was a global before link-time optimization
// internalized it: default visibility and a code or data type. zig links
// -O2 static hosts with LTO, which leaves libc's printf LOCAL in .symtab.
bool internalized(const Elf64_Sym& s) {
  unsigned type = ELF64_ST_TYPE(s.st_info);
  if (s.st_shndx == SHN_UNDEF || ELF64_ST_BIND(s.st_info) != STB_LOCAL) return false;
  if (ELF64_ST_VISIBILITY(s.st_other) != STV_DEFAULT) return false;
  if (type != STT_FUNC && type != STT_OBJECT && type != STT_GNU_IFUNC && type != STT_TLS) return false;
  return s.st_value != 0 || type == STT_TLS;
}

// A symbol dladdr may name: an exported one, or from .symtab any local
// function or object.
bool nameable(const Elf64_Sym& s) {
  unsigned type = ELF64_ST_TYPE(s.st_info);
  if (type == STT_TLS) return false;
  if (exportable(s)) return true;
  return g.info.source == HostSource::Symtab && ELF64_ST_BIND(s.st_info) == STB_LOCAL &&
         (type == STT_FUNC || type == STT_OBJECT) && s.st_shndx != SHN_UNDEF && s.st_value != 0;
}

uintptr_t runtime_addr(const Elf64_Sym& s) { return s.st_shndx == SHN_ABS ? s.st_value : s.st_value + g.info.bias; }

// Name of a .symtab string, or nullptr when out of range or unterminated.
const char* symtab_str(uint64_t off) {
  if (off >= g.strsz) return nullptr;
  return memchr(g.strtab + off, 0, g.strsz - off) ? g.strtab + off : nullptr;
}

// The symbol array and name accessor of whichever source is active.
const Elf64_Sym* source_syms(uint32_t* n) {
  if (g.info.source == HostSource::Dynsym) return *n = g.dyn.nsyms, g.dyn.syms;
  if (g.info.source == HostSource::Symtab) return *n = g.nsyms, g.syms;
  return *n = 0, nullptr;
}

const char* source_name(uint32_t i) {
  if (g.info.source == HostSource::Dynsym) return g.dyn.name_of(i);
  return i < g.nsyms ? symtab_str(g.syms[i].st_name) : nullptr;
}

void read_path() {
  ssize_t r = readlink("/proc/self/exe", g.path, sizeof(g.path) - 1);
  g.path[r > 0 ? r : 0] = 0;
  g.info.path = g.path;
}

// ---- Program headers -----------------------------------------------------------

// Bias when there is no PT_PHDR: the ELF header sits just before the
// program headers, in the segment that maps file offset 0.
bool bias_from_ehdr(uintptr_t phdr, const Elf64_Phdr* ph, size_t phnum, uintptr_t* bias) {
  if (phdr % 4096 < sizeof(Elf64_Ehdr)) return false;  // would read another page
  const Elf64_Ehdr* eh = reinterpret_cast<const Elf64_Ehdr*>(phdr - sizeof(Elf64_Ehdr));
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_phoff != sizeof(Elf64_Ehdr)) return false;
  for (size_t i = 0; i < phnum; i++)
    if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
      return *bias = reinterpret_cast<uintptr_t>(eh) - ph[i].p_vaddr, true;
  return false;
}

bool find_phdrs() {
  uintptr_t phdr = getauxval(AT_PHDR);
  size_t phnum = getauxval(AT_PHNUM), phent = getauxval(AT_PHENT);
  if (!phdr || !phnum || phnum >= PN_XNUM || (phent && phent != sizeof(Elf64_Phdr))) return false;
  const Elf64_Phdr* ph = reinterpret_cast<const Elf64_Phdr*>(phdr);
  uintptr_t bias = 0;
  bool have_bias = false;
  for (size_t i = 0; i < phnum && !have_bias; i++)
    if (ph[i].p_type == PT_PHDR) bias = phdr - ph[i].p_vaddr, have_bias = true;
  if (!have_bias && !bias_from_ehdr(phdr, ph, phnum, &bias)) return false;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (size_t i = 0; i < phnum; i++) {
    uint64_t start, end;
    if (ph[i].p_type != PT_LOAD) continue;
    if (!add_ok(ph[i].p_vaddr, bias, &start) || !add_ok(start, ph[i].p_memsz, &end)) return false;
    if (start < lo) lo = start;
    if (end > hi) hi = end;
  }
  if (lo >= hi) return false;
  g.info.bias = bias, g.info.phdr = ph, g.info.phnum = static_cast<uint16_t>(phnum);
  g.lo = lo, g.hi = hi;
  return true;
}

bool in_host(uintptr_t addr) {
  for (uint16_t i = 0; i < g.info.phnum; i++) {
    const Elf64_Phdr& p = g.info.phdr[i];
    if (p.p_type == PT_LOAD && range_contains(p.p_vaddr + g.info.bias, p.p_memsz, addr, 1)) return true;
  }
  return false;
}

// ---- .dynsym ---------------------------------------------------------------------

// The executable's dynamic section (PT_DYNAMIC inside its segments), or
// nullptr (a static executable without one).
const Elf64_Dyn* host_dynamic(size_t* count) {
  const Elf64_Phdr* dynph = nullptr;
  for (uint16_t i = 0; i < g.info.phnum; i++)
    if (g.info.phdr[i].p_type == PT_DYNAMIC) dynph = &g.info.phdr[i];
  if (!dynph || !MemoryCheck{g.lo, g.hi}.contains(dynph->p_vaddr + g.info.bias, dynph->p_memsz)) return nullptr;
  *count = dynph->p_memsz / sizeof(Elf64_Dyn);
  return reinterpret_cast<const Elf64_Dyn*>(dynph->p_vaddr + g.info.bias);
}

bool read_dynamic(SymbolTableInputs* in) {
  size_t n = 0;
  const Elf64_Dyn* d = host_dynamic(&n);
  return d && read_symbol_inputs(d, n, g.info.bias, MemoryCheck{g.lo, g.hi}, in);
}

bool load_dynsym() {
  SymbolTableInputs in;
  if (!read_dynamic(&in)) return false;
  Expected<SymbolTable> t = build_symbol_table(g.path[0] ? g.path : "host", in, MemoryCheck{g.lo, g.hi});
  if (!t) return false;
  size_t count = 0;
  for (uint32_t i = 0; i < t->nsyms; i++)
    if (exportable(t->syms[i]) && t->name_of(i)) count++;
  if (count == 0) return false;  // e.g. a static-pie linked without -rdynamic
  g.dyn = t.take();
  g.info.source = HostSource::Dynsym, g.info.nsymbols = count;
  return true;
}

// ---- .symtab from /proc/self/exe -----------------------------------------------------

// Finds .symtab and its string table in the mapped file; false if absent
// or malformed, or if the file is not the running image.
bool find_symtab(const uint8_t* f, size_t size) {
  const Elf64_Ehdr* eh = reinterpret_cast<const Elf64_Ehdr*>(f);
  if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_shentsize != sizeof(Elf64_Shdr) || !eh->e_shoff || eh->e_shoff % 8 != 0 || eh->e_phoff % 8 != 0)
    return false;
  if (eh->e_phnum != g.info.phnum || !array_within(eh->e_phoff, eh->e_phnum, sizeof(Elf64_Phdr), size) ||
      memcmp(f + eh->e_phoff, g.info.phdr, eh->e_phnum * sizeof(Elf64_Phdr)) != 0)
    return false;
  uint64_t shnum = eh->e_shnum;
  if (!array_within(eh->e_shoff, shnum ? shnum : 1, sizeof(Elf64_Shdr), size)) return false;
  const Elf64_Shdr* sh = reinterpret_cast<const Elf64_Shdr*>(f + eh->e_shoff);
  if (shnum == 0 && (shnum = sh[0].sh_size, !array_within(eh->e_shoff, shnum, sizeof(Elf64_Shdr), size))) return false;
  for (uint64_t i = 0; i < shnum; i++) {
    const Elf64_Shdr& s = sh[i];
    if (s.sh_type != SHT_SYMTAB) continue;
    if (s.sh_entsize != sizeof(Elf64_Sym) || s.sh_offset % 8 != 0 || s.sh_link >= shnum ||
        !range_within(s.sh_offset, s.sh_size, size) || s.sh_size / sizeof(Elf64_Sym) > UINT32_MAX - 1)
      return false;
    const Elf64_Shdr& st = sh[s.sh_link];
    if (st.sh_type != SHT_STRTAB || !range_within(st.sh_offset, st.sh_size, size)) return false;
    g.syms = reinterpret_cast<const Elf64_Sym*>(f + s.sh_offset);
    g.nsyms = static_cast<uint32_t>(s.sh_size / sizeof(Elf64_Sym));
    g.strtab = reinterpret_cast<const char*>(f + st.sh_offset);
    g.strsz = st.sh_size;
    return true;
  }
  return false;
}

// Slot of `name` (hash `h`) in the .symtab index, or nullptr.
Slot* symtab_slot(const char* name, uint32_t h) {
  if (!g.slots) return nullptr;
  size_t mask = g.nslots - 1;
  for (size_t j = h & mask, n = 0; n < g.nslots && g.slots[j].index; j = (j + 1) & mask, n++) {
    const char* s = symtab_str(g.syms[g.slots[j].index - 1].st_name);
    if (g.slots[j].hash == h && s && strcmp(s, name) == 0) return &g.slots[j];
  }
  return nullptr;
}

// Index of the .symtab definition of `name`, or -1 (absent or ambiguous).
int64_t symtab_find(const char* name, uint32_t h) {
  const Slot* s = symtab_slot(name, h);
  return s && !s->ambiguous ? int64_t(s->index) - 1 : -1;
}

// Adds symbol i; a global shadows a local of the same name, and a name two
// locals share is ambiguous (two C files' `static int buf`).
void symtab_insert(uint32_t i, bool local) {
  const char* name = symtab_str(g.syms[i].st_name);
  if (!name || !*name) return;
  uint32_t h = gnu_hash(name);
  if (Slot* s = symtab_slot(name, h)) {
    if (local && s->local) s->ambiguous = true;
    return;
  }
  size_t j = h & (g.nslots - 1);
  while (g.slots[j].index) j = (j + 1) & (g.nslots - 1);
  g.slots[j].hash = h, g.slots[j].index = i + 1, g.slots[j].local = local;
}

bool build_symtab_index() {
  size_t count = 0;
  for (uint32_t i = 0; i < g.nsyms; i++)
    if (exportable(g.syms[i]) || internalized(g.syms[i])) count++;
  if (count == 0) return false;
  size_t n = 16;
  while (n < 2 * count) n *= 2;
  if (!(g.slots = static_cast<Slot*>(sd_calloc(n, sizeof(Slot))))) return false;
  g.nslots = n;
  for (uint32_t i = 0; i < g.nsyms; i++)
    if (exportable(g.syms[i])) symtab_insert(i, false);
  for (uint32_t i = 0; i < g.nsyms; i++)
    if (internalized(g.syms[i])) symtab_insert(i, true);
  for (size_t j = 0; j < n; j++) g.info.nsymbols += g.slots[j].index && !g.slots[j].ambiguous;
  return true;
}

bool load_symtab() {
  Fd fd(sd_open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
  struct stat st;
  if (fd.get() < 0 || fstat(fd.get(), &st) != 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) return false;
  size_t size = static_cast<size_t>(st.st_size);
  void* p = sd_mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (p == MAP_FAILED) return false;
  Mapping m(p, size);
  if (!find_symtab(m.data(), m.size()) || !build_symtab_index()) {
    g.syms = nullptr, g.nsyms = 0, g.strtab = nullptr, g.strsz = 0, g.info.nsymbols = 0;
    return false;
  }
  g.info.source = HostSource::Symtab;
  g.file = m.data(), g.file_size = m.size();
  m.release();
  return true;
}

// ---- Explicit symbols ---------------------------------------------------------------

Explicit* find_explicit(const char* name, uint32_t h) {
  for (size_t i = 0; i < g.nex; i++)
    if (g.ex[i].hash == h && strcmp(g.ex[i].name, name) == 0) return &g.ex[i];
  return nullptr;
}

bool grow_explicit() {
  if (g.nex < g.capex) return true;
  size_t cap = g.capex ? g.capex * 2 : 16;
  Explicit* e = static_cast<Explicit*>(sd_malloc(cap * sizeof(Explicit)));
  if (!e) return false;
  if (g.nex) memcpy(e, g.ex, g.nex * sizeof(Explicit));
  free(g.ex);
  g.ex = e, g.capex = cap;
  return true;
}

// Fills `out` from symbol `s` of the active source.
void fill(const Elf64_Sym& s, HostSymbol* out) {
  out->type = ELF64_ST_TYPE(s.st_info);
  out->size = s.st_size;
  out->value = out->type == STT_TLS ? s.st_value : runtime_addr(s);
}

// ---- Search paths ------------------------------------------------------------------

void read_paths() {
  size_t n = 0;
  const Elf64_Dyn* d = host_dynamic(&n);
  MemoryCheck mem{g.lo, g.hi};
  SymbolTableInputs in;
  if (!d) return;
  (void)read_symbol_inputs(d, n, g.info.bias, mem, &in);  // for DT_STRTAB and DT_STRSZ
  auto str = [&](uint64_t off) -> const char* {
    if (!in.strtab || off >= in.strsz || !mem.contains(in.strtab, in.strsz)) return nullptr;
    const char* s = reinterpret_cast<const char*>(in.strtab) + off;
    return memchr(s, 0, in.strsz - off) ? s : nullptr;
  };
  const char *rpath = nullptr, *runpath = nullptr;
  for (size_t i = 0; i < n && d[i].d_tag != DT_NULL; i++) {
    if (d[i].d_tag == DT_RPATH) rpath = str(d[i].d_un.d_val);
    if (d[i].d_tag == DT_RUNPATH) runpath = str(d[i].d_un.d_val);
    if (d[i].d_tag == DT_FLAGS_1) g.paths.nodeflib = (d[i].d_un.d_val & DF_1_NODEFLIB) != 0;
  }
  g.paths.runpath = runpath;
  g.paths.rpath = runpath ? nullptr : rpath;
}

}  // namespace

// ---- API -------------------------------------------------------------------------------

namespace {
const SystemScope* g_system = nullptr;
}

void set_system_scope(const SystemScope* scope) { g_system = scope; }
const SystemScope* system_scope() { return g_system; }

bool host_provides_library(const char* name) {
  if (g_system) return g_system->has_library(name);
  return is_host_library(name);
}

bool host_library_symbols(const char* name, const SymbolTable** syms, const char** path) {
  return g_system && g_system->library_symbols && g_system->library_symbols(name, syms, path);
}

bool host_provides_file(const char* name, uint64_t dev, uint64_t ino) {
  return g_system && g_system->has_file(name, dev, ino);
}

const HostInfo& host_layout() {
  if (!g.layout_ready) g.layout_ready = true, (void)find_phdrs();  // phdr stays null when not found
  return g.info;
}

const HostPaths& host_paths() {
  if (!g.paths_ready) g.paths_ready = true, (void)host_layout(), read_paths();
  return g.paths;
}

const HostInfo& host_info() {
  if (!g.ready) {
    g.ready = true;
    read_path();
    if (host_layout().phdr && !load_dynsym()) load_symtab();
  }
  return g.info;
}

bool host_find_symbol(const SymName& n, const VersionReq& ver, HostSymbol* out, const Vec<Module*>* needed_by) {
  if (!n.name) return false;
  if (const Explicit* e = find_explicit(n.name, n.gnu)) {
    *out = HostSymbol();
    out->value = reinterpret_cast<uintptr_t>(e->addr);
    return true;
  }
  if (g_system) return g_system->find(n, ver, out, needed_by);
  if (!g.ready) host_info();
  int64_t i = -1;
  if (g.info.source == HostSource::Dynsym && (i = g.dyn.lookup(n, ver)) >= 0) fill(g.dyn.syms[i], out);
  else if (g.info.source == HostSource::Symtab && (i = symtab_find(n.name, n.gnu)) >= 0) fill(g.syms[i], out);
  return i >= 0;
}

// Whether the .symtab index holds a name with hash h (probing as
// symtab_slot does, without the names).
bool symtab_may_hold(uint32_t h) {
  size_t mask = g.nslots - 1;
  for (size_t j = h & mask, n = 0; n < g.nslots && g.slots[j].index; j = (j + 1) & mask, n++)
    if (g.slots[j].hash == h) return true;
  return false;
}

bool host_may_define(uint32_t h_even) {
  for (size_t k = 0; k < g.nex; k++)
    if ((g.ex[k].hash | 1) == (h_even | 1)) return true;
  if (g_system) return !g_system->may_define || g_system->may_define(h_even);
  if (!g.ready) host_info();
  if (g.info.source == HostSource::Dynsym) return may_define_either(g.dyn, h_even);
  if (g.info.source == HostSource::Symtab)
    return !g.slots || symtab_may_hold(h_even) || symtab_may_hold(h_even | 1);
  return false;
}

void* host_lookup(const SymName& n, const VersionReq& ver) {
  HostSymbol s;
  if (!host_find_symbol(n, ver, &s) || s.type == STT_TLS) return nullptr;
  if (s.type == STT_GNU_IFUNC) return reinterpret_cast<void*>(Arch::call_ifunc(s.value));
  return reinterpret_cast<void*>(s.value);
}

bool host_add_symbol(const char* name, void* addr) {
  uint32_t h = gnu_hash(name);
  if (Explicit* e = find_explicit(name, h)) return e->addr = addr, true;
  if (!grow_explicit()) return false;
  size_t len = strlen(name);
  char* copy = static_cast<char*>(sd_malloc(len + 1));
  if (!copy) return false;
  memcpy(copy, name, len + 1);
  g.ex[g.nex++] = Explicit{copy, h, addr};
  return true;
}

bool host_find_address(uintptr_t addr, const char** sym_name, void** sym_addr) {
  host_info();
  if (!in_host(addr)) return false;
  *sym_name = nullptr, *sym_addr = nullptr;
  uint32_t n;
  const Elf64_Sym* syms = source_syms(&n);
  uintptr_t best = 0, near = 0;
  int64_t best_i = -1, near_i = -1;
  for (uint32_t i = 0; i < n; i++) {
    const Elf64_Sym& s = syms[i];
    if (!nameable(s)) continue;
    uintptr_t a = runtime_addr(s);
    if (a > addr) continue;
    uint64_t size = s.st_size ? s.st_size : 1;
    if (addr - a < size && (best_i < 0 || a > best) && source_name(i)) best = a, best_i = i;
    if (ELF64_ST_TYPE(s.st_info) == STT_FUNC && (near_i < 0 || a > near) && source_name(i)) near = a, near_i = i;
  }
  int64_t i = best_i >= 0 ? best_i : near_i;
  if (i >= 0) *sym_name = source_name(static_cast<uint32_t>(i)), *sym_addr = reinterpret_cast<void*>(runtime_addr(syms[i]));
  return true;
}

void host_reset_for_tests() {
  for (size_t i = 0; i < g.nex; i++) free(g.ex[i].name);
  free(g.ex);
  free(g.slots);
  if (g.file) munmap(g.file, g.file_size);
  g = State();
}

}  // namespace staticdl
