// staticdl: the build-machine companion of libstaticdl.a.
//
//   staticdl check --host HOST PLUGIN... [--json] [-L DIR]... [--libc FILE]
//       Predicts whether each plugin will load into the static HOST, with
//       the loader's own rules (loader/search.cpp, lookup.cpp, reloc.cpp,
//       tls.cpp, elf_reader.cpp, dynamic.cpp), and says how to fix what
//       would fail. Exit 0: every plugin loads; 1: some will not; 2: usage.
//   staticdl exports HOST
//       What HOST exports to plugins, one name a line, sorted.
//   staticdl pack IN.so [-o OUT.so.zst] [-l LEVEL]
//       Compresses a plugin with zstd (content size in the frame header);
//       the loader opens such files transparently.
//   staticdl keep-table LIBC.a [-o OUT.ld]
//       The libc keep table (see tools/gen-keep-table.sh) from a libc.a.
//
// Built natively (glibc, the system compiler) with libelf and libzstd.
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#ifndef R_AARCH64_IRELATIVE
#define R_AARCH64_IRELATIVE 1032
#endif
#ifndef DF_1_NOOPEN
#define DF_1_NOOPEN 0x40
#endif

namespace {

const char* g_prog = "staticdl";

// ---- small helpers --------------------------------------------------------------

std::string base_name(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

std::string dir_name(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return ".";
  if (s == 0) return "/";
  return p.substr(0, s);
}

bool starts_with(const std::string& s, const char* p) { return s.compare(0, strlen(p), p) == 0; }

bool read_file(const std::string& path, std::vector<unsigned char>* out, std::string* err) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return *err = strerror(errno), false;
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    fclose(f);
    return *err = "not a regular file", false;
  }
  out->resize(static_cast<size_t>(st.st_size));
  size_t n = out->empty() ? 0 : fread(out->data(), 1, out->size(), f);
  bool ok = n == out->size() && !ferror(f);
  fclose(f);
  if (!ok) *err = "read error";
  return ok;
}

bool write_file_atomic(const std::string& path, const void* data, size_t size, std::string* err) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  FILE* f = fopen(tmp.c_str(), "wb");
  if (!f) return *err = tmp + ": " + strerror(errno), false;
  bool ok = (size == 0 || fwrite(data, 1, size, f) == size) && fflush(f) == 0;
  ok = (fclose(f) == 0) && ok;
  if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
    *err = path + ": " + strerror(errno);
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

bool is_zstd(const std::vector<unsigned char>& d) {
  return d.size() >= 4 && d[0] == 0x28 && d[1] == 0xb5 && d[2] == 0x2f && d[3] == 0xfd;
}

bool zstd_decompress(const std::vector<unsigned char>& in, std::vector<unsigned char>* out, std::string* err) {
  ZSTD_DStream* ds = ZSTD_createDStream();
  if (!ds) return *err = "out of memory", false;
  out->clear();
  unsigned long long hint = ZSTD_getFrameContentSize(in.data(), in.size());
  if (hint != ZSTD_CONTENTSIZE_UNKNOWN && hint != ZSTD_CONTENTSIZE_ERROR && hint < (1ull << 32)) out->reserve(hint);
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  std::vector<unsigned char> chunk(ZSTD_DStreamOutSize());
  bool ok = true;
  for (;;) {
    ZSTD_outBuffer ob{chunk.data(), chunk.size(), 0};
    size_t r = ZSTD_decompressStream(ds, &ob, &ib);
    if (ZSTD_isError(r)) {
      *err = std::string("zstd: ") + ZSTD_getErrorName(r);
      ok = false;
      break;
    }
    out->insert(out->end(), chunk.data(), chunk.data() + ob.pos);
    if (ib.pos == ib.size && r == 0) break;                      // every frame done
    if (ib.pos == ib.size && ob.pos < ob.size) {                 // input ended inside a frame
      *err = "zstd: truncated frame";
      ok = false;
      break;
    }
  }
  ZSTD_freeDStream(ds);
  return ok;
}

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char b[8];
          snprintf(b, sizeof b, "\\u%04x", c);
          o += b;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

// ---- ELF objects ------------------------------------------------------------------

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
  std::vector<std::string> needed;
  std::string soname, rpath, runpath;
  bool has_rpath = false, has_runpath = false, textrel = false;
  uint64_t flags = 0, flags_1 = 0;
  bool has_dynsym = false, has_symtab = false;
  std::vector<Sym> dynsym, symtab;
  std::vector<std::pair<uint32_t, uint32_t>> relocs;  // (type, symbol index) of the dynamic relocations

  ~Obj() {
    if (elf) elf_end(elf);
  }
};

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
          case DT_NEEDED: o->needed.push_back(str()); break;
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

// ---- architecture rules (loader/arch_*.h, reloc.cpp) ------------------------------

struct ArchRules {
  unsigned machine;
  const char* platform;
  unsigned r_copy, r_tpoff;
  std::set<unsigned> supported;
  std::map<unsigned, const char*> names;
};

const ArchRules* arch_rules(unsigned machine) {
  static const ArchRules x86{
      EM_X86_64,
      "x86_64",
      R_X86_64_COPY,
      R_X86_64_TPOFF64,
      {R_X86_64_NONE, R_X86_64_64, R_X86_64_PC32, R_X86_64_32, R_X86_64_32S, R_X86_64_PC64, R_X86_64_GLOB_DAT,
       R_X86_64_JUMP_SLOT, R_X86_64_RELATIVE, R_X86_64_IRELATIVE, R_X86_64_SIZE32, R_X86_64_SIZE64,
       R_X86_64_DTPMOD64, R_X86_64_DTPOFF64, R_X86_64_TPOFF64, R_X86_64_TLSDESC},
      {{0, "R_X86_64_NONE"},       {1, "R_X86_64_64"},          {2, "R_X86_64_PC32"},       {3, "R_X86_64_GOT32"},
       {4, "R_X86_64_PLT32"},      {5, "R_X86_64_COPY"},        {6, "R_X86_64_GLOB_DAT"},   {7, "R_X86_64_JUMP_SLOT"},
       {8, "R_X86_64_RELATIVE"},   {9, "R_X86_64_GOTPCREL"},    {10, "R_X86_64_32"},        {11, "R_X86_64_32S"},
       {12, "R_X86_64_16"},        {13, "R_X86_64_PC16"},       {14, "R_X86_64_8"},         {15, "R_X86_64_PC8"},
       {16, "R_X86_64_DTPMOD64"},  {17, "R_X86_64_DTPOFF64"},   {18, "R_X86_64_TPOFF64"},   {19, "R_X86_64_TLSGD"},
       {20, "R_X86_64_TLSLD"},     {21, "R_X86_64_DTPOFF32"},   {22, "R_X86_64_GOTTPOFF"},  {23, "R_X86_64_TPOFF32"},
       {24, "R_X86_64_PC64"},      {25, "R_X86_64_GOTOFF64"},   {26, "R_X86_64_GOTPC32"},   {27, "R_X86_64_GOT64"},
       {28, "R_X86_64_GOTPCREL64"}, {29, "R_X86_64_GOTPC64"},   {30, "R_X86_64_GOTPLT64"},  {31, "R_X86_64_PLTOFF64"},
       {32, "R_X86_64_SIZE32"},    {33, "R_X86_64_SIZE64"},     {34, "R_X86_64_GOTPC32_TLSDESC"},
       {35, "R_X86_64_TLSDESC_CALL"}, {36, "R_X86_64_TLSDESC"}, {37, "R_X86_64_IRELATIVE"}, {38, "R_X86_64_RELATIVE64"},
       {41, "R_X86_64_GOTPCRELX"}, {42, "R_X86_64_REX_GOTPCRELX"}}};
  static const ArchRules a64{
      EM_AARCH64,
      "aarch64",
      R_AARCH64_COPY,
      R_AARCH64_TLS_TPREL,
      {R_AARCH64_NONE, R_AARCH64_ABS64, R_AARCH64_ABS32, R_AARCH64_PREL64, R_AARCH64_PREL32, R_AARCH64_GLOB_DAT,
       R_AARCH64_JUMP_SLOT, R_AARCH64_RELATIVE, R_AARCH64_IRELATIVE, R_AARCH64_TLS_DTPMOD, R_AARCH64_TLS_DTPREL,
       R_AARCH64_TLS_TPREL, R_AARCH64_TLSDESC},
      {{0, "R_AARCH64_NONE"},          {257, "R_AARCH64_ABS64"},       {258, "R_AARCH64_ABS32"},
       {259, "R_AARCH64_ABS16"},       {260, "R_AARCH64_PREL64"},      {261, "R_AARCH64_PREL32"},
       {262, "R_AARCH64_PREL16"},      {1024, "R_AARCH64_COPY"},       {1025, "R_AARCH64_GLOB_DAT"},
       {1026, "R_AARCH64_JUMP_SLOT"},  {1027, "R_AARCH64_RELATIVE"},   {1028, "R_AARCH64_TLS_DTPMOD"},
       {1029, "R_AARCH64_TLS_DTPREL"}, {1030, "R_AARCH64_TLS_TPREL"},  {1031, "R_AARCH64_TLSDESC"},
       {1032, "R_AARCH64_IRELATIVE"}}};
  if (machine == EM_X86_64) return &x86;
  if (machine == EM_AARCH64) return &a64;
  return nullptr;
}

std::string reloc_name(const ArchRules& a, unsigned t) {
  auto it = a.names.find(t);
  return it != a.names.end() ? it->second : "relocation " + std::to_string(t);
}

// ---- loader rules that are not per architecture -------------------------------------

// loader/search.cpp is_host_library(): C library names the host provides.
bool is_host_library(const std::string& name) {
  std::string b = base_name(name);
  static const char* const kExact[] = {"libc.so",       "libc.so.6",       "libm.so",      "libm.so.6",
                                       "libpthread.so", "libpthread.so.0", "libdl.so",     "libdl.so.2",
                                       "librt.so",      "librt.so.1",      "libutil.so.1", "libresolv.so.2",
                                       "libcrypt.so.1", "libxnet.so",      "libc.musl-x86_64.so.1",
                                       "libc.musl-aarch64.so.1"};
  for (const char* e : kExact)
    if (b == e) return true;
  return starts_with(b, "ld-linux") || starts_with(b, "ld-musl");
}

// runtime/dlfcn.cpp: symbols the loader itself provides to plugins.
bool is_builtin(const std::string& n) {
  static const std::set<std::string> k{"__cxa_atexit", "__cxa_finalize", "__tls_get_addr", "__cxa_thread_atexit_impl",
                                       "pthread_key_create", "pthread_key_delete", "dlopen", "dlsym", "dlclose", "dlerror", "dladdr", "dlinfo", "dlvsym",
                                       "dl_iterate_phdr", "_dl_find_object", "staticdl_open_fd",
                                       "staticdl_open_memory"};
  return k.count(n) != 0;
}

// loader/search.cpp expand_dst(): $ORIGIN, $LIB, $PLATFORM; false to skip the element.
bool expand_dst(const std::string& in, const std::string& origin, const char* platform, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size();) {
    if (in[i] != '$') {
      *out += in[i++];
      continue;
    }
    struct V {
      const char* name;
      std::string rep;
    } vars[] = {{"ORIGIN", origin}, {"LIB", "lib"}, {"PLATFORM", platform}};
    bool hit = false;
    for (const V& v : vars) {
      size_t n = strlen(v.name);
      if (in.compare(i + 1, n, v.name) == 0) {
        char next = i + 1 + n < in.size() ? in[i + 1 + n] : 0;
        if ((next >= 'A' && next <= 'Z') || next == '_') continue;
        *out += v.rep, i += 1 + n, hit = true;
        break;
      }
      if (in.compare(i + 1, 1, "{") == 0 && in.compare(i + 2, n, v.name) == 0 && in.compare(i + 2 + n, 1, "}") == 0) {
        *out += v.rep, i += 3 + n, hit = true;
        break;
      }
    }
    if (!hit) return false;  // unknown substitution: skip the element, as glibc does
  }
  return true;
}

bool file_exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

// ---- libc symbol list (for advice only) -------------------------------------------

// The keep-table exclusions of tools/gen-keep-table.sh.
bool keep_table_excluded(const std::string& n) {
  static const std::set<std::string> k{"dlopen",     "dlsym",      "dlclose",         "dlerror",        "dladdr",
                                       "dlinfo",     "dl_iterate_phdr", "dlvsym",      "__dlsym",        "__dlsym_time64",
                                       "__dl_seterr", "__dl_invalid_handle", "__dl_vseterr", "_dlstart", "_dlstart_c",
                                       "__dls2",     "__dls2b",    "__dls3",          "_dl_debug_addr", "_dl_debug_state",
                                       "__dynlink"};
  return k.count(n) != 0;
}

// Public symbols of a libc.a: defined GLOBAL/WEAK symbols of default
// visibility in every member's .symtab (what `readelf -s` shows the script).
bool archive_symbols(const std::string& path, std::set<std::string>* out, std::string* err) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return *err = path + ": " + strerror(errno), false;
  Elf* ar = elf_begin(fd, ELF_C_READ, nullptr);
  if (!ar || elf_kind(ar) != ELF_K_AR) {
    if (ar) elf_end(ar);
    close(fd);
    return *err = path + ": not an archive", false;
  }
  Elf_Cmd cmd = ELF_C_READ;
  size_t members = 0;
  for (Elf* m; (m = elf_begin(fd, cmd, ar)); cmd = elf_next(m), elf_end(m)) {
    if (elf_kind(m) != ELF_K_ELF) continue;
    members++;
    for (Elf_Scn* scn = nullptr; (scn = elf_nextscn(m, scn));) {
      GElf_Shdr sh;
      if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB) continue;
      std::vector<Sym> syms;
      read_syms(m, scn, sh, &syms);
      for (const Sym& s : syms) {
        if (s.bind != STB_GLOBAL && s.bind != STB_WEAK) continue;
        if (s.vis != STV_DEFAULT || s.shndx == SHN_UNDEF || s.name.empty()) continue;
        if (s.type == STT_SECTION || s.type == STT_FILE) continue;
        out->insert(s.name);
      }
    }
  }
  elf_end(ar);
  close(fd);
  if (!members) return *err = path + ": no ELF members", false;
  return true;
}

// A keep-table linker script (EXTERN(...)) or a libc.a.
bool load_libc_list(const std::string& path, std::set<std::string>* out, std::string* err) {
  std::vector<unsigned char> d;
  if (!read_file(path, &d, err)) return *err = path + ": " + *err, false;
  if (d.size() >= 8 && memcmp(d.data(), "!<arch>\n", 8) == 0) return archive_symbols(path, out, err);
  std::string s(d.begin(), d.end());
  for (size_t c; (c = s.find("/*")) != std::string::npos;) {
    size_t e = s.find("*/", c + 2);
    s.erase(c, e == std::string::npos ? std::string::npos : e + 2 - c);
  }
  std::string tok;
  auto flush = [&]() {
    if (!tok.empty() && tok != "EXTERN") out->insert(tok);
    tok.clear();
  };
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
        c == '$')
      tok += c;
    else
      flush();
  }
  flush();
  if (out->size() < 100) return *err = path + ": not a libc symbol list", false;
  return true;
}

std::string exe_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  buf[n] = 0;
  return dir_name(buf);
}

// ---- the host -------------------------------------------------------------------------

struct Host {
  std::unique_ptr<Obj> obj;
  std::set<std::string> exports;
  bool from_dynsym = false;
  bool has_staticdl = false;
  bool reserve_known = false;
  uint64_t reserve = 16384;  // bytes plugins' initial-exec TLS may use
};

bool load_host(const std::string& path, Host* h, std::string* err) {
  h->obj = open_obj(path, err);
  if (!h->obj) return false;
  Obj& o = *h->obj;
  h->from_dynsym = o.has_dynsym;
  if (o.has_dynsym) {
    for (const Sym& s : o.dynsym)
      if (exportable(s)) h->exports.insert(s.name);
  } else {
    for (const Sym& s : o.symtab)
      if (exportable(s) || internalized(s)) h->exports.insert(s.name);
  }
  for (const std::vector<Sym>* t : {&o.symtab, &o.dynsym})
    for (const Sym& s : *t) {
      if (s.shndx == SHN_UNDEF) continue;
      if (s.name == "staticdl_tls_reserve" && s.type == STT_TLS && !h->reserve_known) {
        h->reserve_known = true;
        h->reserve = s.size > 64 ? s.size - 64 : 0;
      }
      if (s.name == "staticdl_tls_reserve" || s.name == "staticdl_version" || s.name == "staticdl_open_fd")
        h->has_staticdl = true;
    }
  return true;
}

// ---- check ------------------------------------------------------------------------------

struct Problem {
  std::string kind, detail, fix;
};

struct Options {
  std::string host;
  std::vector<std::string> plugins, libdirs;
  std::string libc;
  bool json = false;
};

struct LibcList {
  bool tried = false, ok = false;
  std::string source;
  std::set<std::string> names;
};

class Checker {
 public:
  Checker(const Host& h, const Options& opt, LibcList* libc) : h_(h), opt_(opt), libc_(libc) {}

  void run(const std::string& plugin) {
    std::string err;
    std::unique_ptr<Obj> root = open_obj(plugin, &err);
    if (!root) {
      add(err.rfind("cannot open", 0) == 0 ? "open" : "elf", plugin + ": " + err,
          "pass the path of a readable ELF shared object (or a .so.zst made by `staticdl pack`)");
      return;
    }
    rules_ = arch_rules(h_.obj->machine);
    if (!check_header(*root)) return;
    std::vector<std::unique_ptr<Obj>> all;
    all.push_back(std::move(root));
    // The DT_NEEDED closure, breadth first (loader/registry.cpp).
    for (size_t i = 0; i < all.size(); i++) {
      Obj* m = all[i].get();
      if (i > 0 && !check_header(*m)) continue;
      for (const std::string& dep : m->needed) {
        if (is_host_library(dep)) continue;
        if (find_loaded(all, dep)) continue;
        std::vector<std::string> tried;
        std::string path = search(dep, *m, &tried);
        if (path.empty()) {
          std::string where = tried.empty() ? "no directory was searched" : "searched " + join(tried, ", ");
          add("needed", dep + " (needed by " + base_name(m->path) + ") not found: " + where,
              "put " + dep + " where the plugin's DT_RUNPATH points (e.g. -Wl,-rpath,'$ORIGIN' and the same directory), "
              "or add its directory to STATICDL_LIBRARY_PATH (check -L DIR) or with staticdl_add_search_dir() "
              "before dlopen");
          continue;
        }
        std::unique_ptr<Obj> d = open_obj(path, &err);
        if (!d) {
          add("needed", dep + " (needed by " + base_name(m->path) + "): " + path + ": " + err,
              "replace " + path + " with a shared object built for the host");
          continue;
        }
        all.push_back(std::move(d));
      }
    }
    for (auto& m : all) {
      if (m->machine != h_.obj->machine || m->cls != h_.obj->cls) continue;
      check_segments(*m, m.get() == all[0].get());
      check_relocs(*m);
    }
    check_symbols(all);
    check_tls(all);
  }

  const std::vector<Problem>& problems() const { return problems_; }
  const std::vector<std::string>& notes() const { return notes_; }
  const std::string& tls_model() const { return tls_model_; }
  uint64_t tls_size() const { return tls_size_; }
  uint64_t static_tls() const { return static_tls_; }

 private:
  void add(const std::string& kind, const std::string& detail, const std::string& fix) {
    problems_.push_back({kind, detail, fix});
  }

  static std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
  }

  static bool find_loaded(const std::vector<std::unique_ptr<Obj>>& all, const std::string& name) {
    for (const auto& m : all) {
      if (name.find('/') != std::string::npos) {
        if (m->path == name) return true;
      } else if (m->soname == name || base_name(m->path) == name) {
        return true;
      }
    }
    return false;
  }

  // loader/search.cpp search_library().
  std::string search(const std::string& name, const Obj& from, std::vector<std::string>* tried) {
    if (name.find('/') != std::string::npos) {
      tried->push_back(name);
      return file_exists(name) ? name : "";
    }
    std::string origin = dir_name(from.path);
    auto list = [&](const std::string& l, const char* what, bool dst) -> std::string {
      size_t s = 0;
      for (;;) {
        size_t e = l.find(':', s);
        std::string el = l.substr(s, e == std::string::npos ? std::string::npos : e - s);
        std::string dir;
        if (el.empty()) el = ".";
        bool ok = dst ? expand_dst(el, origin, rules_ ? rules_->platform : "", &dir) : (dir = el, true);
        if (ok) {
          std::string p = dir + "/" + name;
          tried->push_back(dir + " (" + what + ")");
          if (file_exists(p)) return p;
        }
        if (e == std::string::npos) return "";
        s = e + 1;
      }
    };
    std::string p;
    if (!from.has_runpath && from.has_rpath && !(p = list(from.rpath, "DT_RPATH", true)).empty()) return p;
    for (const std::string& d : opt_.libdirs)
      if (!(p = list(d, "STATICDL_LIBRARY_PATH", true)).empty()) return p;
    if (from.has_runpath && !(p = list(from.runpath, "DT_RUNPATH", true)).empty()) return p;
    return "";
  }

  // loader/elf_reader.cpp read_elf(): class, machine, type.
  bool check_header(const Obj& m) {
    const Obj& h = *h_.obj;
    std::string who = base_name(m.path);
    if (m.cls != h.cls) {
      add("arch", who + ": wrong ELF class: " + (m.cls == ELFCLASS32 ? "ELFCLASS32" : "ELFCLASS64") +
                      " (the host is " + (h.cls == ELFCLASS32 ? "ELFCLASS32" : "ELFCLASS64") + ")",
          "build the plugin for the host's architecture");
      return false;
    }
    if (m.machine != h.machine) {
      add("arch",
          who + ": is for " + machine_name(m.machine) + " (" + std::to_string(m.machine) + ") instead of " +
              machine_name(h.machine) + " (" + std::to_string(h.machine) + ")",
          std::string("build the plugin for ") + (rules_ ? rules_->platform : machine_name(h.machine)) +
              " (e.g. zig cc -target " + (rules_ ? rules_->platform : "<arch>") + "-linux-musl -shared -fPIC)");
      return false;
    }
    if (m.etype == ET_EXEC) {
      add("elf", who + ": cannot dynamically load executable", "build it with -shared -fPIC");
      return false;
    }
    if (m.etype != ET_DYN) {
      add("elf", who + ": only ET_DYN and ET_EXEC can be loaded", "link the object into a shared library (-shared)");
      return false;
    }
    if (!m.has_dynamic) {
      add("elf", who + ": object has no dynamic section", "link it with -shared");
      return false;
    }
    return true;
  }

  void check_segments(const Obj& m, bool root) {
    std::string who = base_name(m.path);
    for (size_t i = 0; i < m.phdrs.size(); i++) {
      const GElf_Phdr& ph = m.phdrs[i];
      if (ph.p_type == PT_LOAD) {
        if (!(ph.p_flags & PF_R) && ph.p_memsz)
          add("segment", who + ": segment " + std::to_string(i) + " is not readable", "relink without unusual -z options");
        if ((ph.p_flags & PF_W) && (ph.p_flags & PF_X))
          add("wx", who + ": segment " + std::to_string(i) + " is writable and executable (W+X refused)",
              "relink without -z execstack/-N/--omit-segment-flags, and keep code and writable data in separate "
              "segments (no writable .text, no RWX linker-script sections)");
      } else if (ph.p_type == PT_GNU_STACK && (ph.p_flags & PF_X)) {
        add("execstack", who + ": cannot enable executable stack as shared object requires",
            "link with -Wl,-z,noexecstack (assembler files need .section .note.GNU-stack,\"\",@progbits)");
      }
    }
    if (m.textrel || (m.flags & DF_TEXTREL))
      add("textrel", who + ": text relocations are not supported (relink with -fPIC)",
          "compile every object with -fPIC (and do not link with -z notext)");
    if (root && (m.flags_1 & DF_1_NOOPEN))
      add("noopen", who + ": shared object cannot be dlopen()ed (DF_1_NOOPEN)", "relink without -z nodlopen");
  }

  void check_relocs(const Obj& m) {
    if (!rules_) return;
    std::map<unsigned, size_t> bad;
    for (const auto& r : m.relocs)
      if (!rules_->supported.count(r.first)) bad[r.first]++;
    for (const auto& b : bad) {
      std::string n = reloc_name(*rules_, b.first);
      std::string detail = base_name(m.path) + ": unsupported relocation type " + n + " (" + std::to_string(b.first) +
                           "), " + std::to_string(b.second) + "x";
      if (b.first == rules_->r_copy)
        add("reloc", detail,
            "COPY relocations belong in executables: relink the plugin with -fPIC -shared (it must reference the "
            "data through the GOT), and never link a plugin with -fno-pic objects");
      else
        add("reloc", detail, "recompile with -fPIC; this relocation type is not in staticdl's loader");
    }
  }

  void check_symbols(const std::vector<std::unique_ptr<Obj>>& all) {
    std::set<std::string> defined;
    for (const auto& m : all)
      for (const Sym& s : m->dynsym)
        if (exportable(s)) defined.insert(s.name);
    std::set<std::string> reported;
    std::vector<std::string> unchecked;
    bool missing_deps = false;
    for (const Problem& p : problems_) missing_deps |= p.kind == "needed";
    for (const auto& m : all) {
      if (m->machine != h_.obj->machine || m->cls != h_.obj->cls) continue;
      std::set<uint32_t> refs;
      for (const auto& r : m->relocs)
        if (r.second) refs.insert(r.second);
      for (uint32_t i : refs) {
        if (i >= m->dynsym.size()) continue;
        const Sym& s = m->dynsym[i];
        if (s.bind == STB_LOCAL || s.name.empty()) continue;
        if (is_builtin(s.name) || h_.exports.count(s.name) || defined.count(s.name)) continue;
        if (s.bind == STB_WEAK) continue;  // weak undefined: 0
        if (!reported.insert(s.name).second) continue;
        if (missing_deps) {
          unchecked.push_back(s.name);
          continue;
        }
        add("symbol", "undefined symbol: " + s.name + " (referenced by " + base_name(m->path) + ")", fix_for(s.name));
      }
    }
    if (!unchecked.empty())
      notes_.push_back("not counted as problems, since a missing dependency may define them: undefined " +
                       join(unchecked, ", "));
  }

  std::string fix_for(const std::string& n) {
    LibcList& l = *libc_;
    if (!l.tried) {
      l.tried = true;
      std::vector<std::string> cands;
      if (!opt_.libc.empty()) cands.push_back(opt_.libc);
      if (const char* e = getenv("STATICDL_LIBC")) cands.push_back(e);
      std::string ed = exe_dir();
      if (!ed.empty()) cands.push_back(ed + "/../lib/staticdl-keep-libc.ld");
#ifdef STATICDL_DEFAULT_LIBC_LIST
      cands.push_back(STATICDL_DEFAULT_LIBC_LIST);
#endif
      for (const std::string& c : cands) {
        std::string err;
        if (!file_exists(c)) continue;
        if (load_libc_list(c, &l.names, &err)) {
          l.ok = true, l.source = c;
          break;
        }
        notes_.push_back("libc symbol list " + err);
      }
    }
    std::string add_sym = "provide it from the host with staticdl_add_symbol(\"" + n +
                          "\", addr) before dlopen (or define it in the host, which exports it with -rdynamic)";
    if (!l.ok)
      return "if " + n + " is a musl libc function: link the host with the libc keep table (staticdl_add_host "
             "without NO_KEEP_LIBC, or staticdl-keep-libc.ld), or -Wl,-u," + n + "; if it is not in musl: " + add_sym;
    if (l.names.count(n))
      return n + " is in musl but the host does not keep it: link the host with the keep table (staticdl_add_host "
             "without NO_KEEP_LIBC, or staticdl-keep-libc.ld), or -Wl,-u," + n;
    if (n.size() > 2 && n.compare(n.size() - 2, 2, "64") == 0 && l.names.count(n.substr(0, n.size() - 2))) {
      std::string b = n.substr(0, n.size() - 2);
      return "it is not in musl, whose " + b + " has the same ABI: staticdl_add_symbol(\"" + n + "\", (void *)" + b +
             ") in the host";
    }
    return "it is not in musl: " + add_sym;
  }

  void check_tls(const std::vector<std::unique_ptr<Obj>>& all) {
    if (!rules_) return;
    uint64_t need = 0, total = 0;
    bool any = false, any_static = false;
    for (const auto& m : all) {
      if (m->machine != h_.obj->machine || m->cls != h_.obj->cls) continue;
      const GElf_Phdr* tls = nullptr;
      for (const GElf_Phdr& ph : m->phdrs)
        if (ph.p_type == PT_TLS) tls = &ph;
      if (!tls) continue;
      any = true;
      total += tls->p_memsz;
      bool tpoff = false;
      for (const auto& r : m->relocs) tpoff |= r.first == rules_->r_tpoff;
      bool stat = (m->flags & DF_STATIC_TLS) || tpoff;
      if (!stat) continue;
      any_static = true;
      uint64_t align = tls->p_align ? tls->p_align : 1;
      if (align > 64) {
        add("tls",
            base_name(m->path) + ": initial-exec TLS alignment " + std::to_string(align) +
                " exceeds the static reserve's 64",
            "use the general-dynamic TLS model (-ftls-model=global-dynamic) or align the TLS data to at most 64");
        continue;
      }
      uint64_t len = tls->p_memsz ? tls->p_memsz : 1;
      need = (need + align - 1) / align * align + len;
    }
    tls_size_ = total;
    static_tls_ = need;
    tls_model_ = !any ? "none" : any_static ? "initial-exec" : "dynamic";
    if (!any_static) return;
    if (!h_.reserve_known)
      notes_.push_back("the host's staticdl_tls_reserve symbol was not found (stripped?); assuming the default " +
                       std::to_string(h_.reserve) + "-byte reserve");
    if (need > h_.reserve) {
      uint64_t want = (need + 4095) / 4096 * 4096;
      add("tls",
          "initial-exec TLS needs " + std::to_string(need) + " bytes of static TLS; the host's reserve has " +
              std::to_string(h_.reserve),
          "link the host with a larger reserve: staticdl_add_host(<host> TLS_RESERVE " + std::to_string(want) +
              ") (or compile runtime/tls_reserve.c with -DSTATICDL_TLS_RESERVE=" + std::to_string(want) +
              "), or build the plugin's TLS with -ftls-model=global-dynamic (no DF_STATIC_TLS)");
    }
  }

  const Host& h_;
  const Options& opt_;
  LibcList* libc_;
  const ArchRules* rules_ = nullptr;
  std::vector<Problem> problems_;
  std::vector<std::string> notes_;
  std::string tls_model_ = "none";
  uint64_t tls_size_ = 0, static_tls_ = 0;
};

int usage(const char* msg) {
  if (msg) fprintf(stderr, "%s: %s\n", g_prog, msg);
  fprintf(stderr,
          "usage: %s check --host HOST PLUGIN... [--json] [-L DIR]... [--libc FILE]\n"
          "       %s exports HOST\n"
          "       %s pack IN.so [-o OUT.so.zst] [-l LEVEL]\n"
          "       %s keep-table LIBC.a [-o OUT.ld]\n",
          g_prog, g_prog, g_prog, g_prog);
  return 2;
}

int cmd_check(int argc, char** argv) {
  Options o;
  for (int i = 0; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= argc) return false;
      *v = argv[++i];
      return true;
    };
    if (a == "--host") {
      if (!value(&o.host)) return usage("--host needs a file");
    } else if (a.rfind("--host=", 0) == 0) {
      o.host = a.substr(7);
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "-L") {
      std::string d;
      if (!value(&d)) return usage("-L needs a directory");
      o.libdirs.push_back(d);
    } else if (a.rfind("-L", 0) == 0) {
      o.libdirs.push_back(a.substr(2));
    } else if (a == "--libc") {
      if (!value(&o.libc)) return usage("--libc needs a file");
    } else if (a == "-h" || a == "--help") {
      return usage(nullptr);
    } else if (!a.empty() && a[0] == '-') {
      return usage(("unknown option " + a).c_str());
    } else {
      o.plugins.push_back(a);
    }
  }
  if (o.host.empty()) return usage("check needs --host HOST");
  if (o.plugins.empty()) return usage("check needs at least one plugin");
  Host h;
  std::string err;
  if (!load_host(o.host, &h, &err)) {
    fprintf(stderr, "%s: %s: %s\n", g_prog, o.host.c_str(), err.c_str());
    return 2;
  }
  LibcList libc;
  bool all_load = true;
  std::string json = "{\"host\": " + json_str(o.host) + ", \"plugins\": [";
  for (size_t pi = 0; pi < o.plugins.size(); pi++) {
    Checker c(h, o, &libc);
    std::vector<Problem> host_problems;
    if (!h.has_staticdl && (h.obj->has_dynsym || h.obj->has_symtab))
      host_problems.push_back({"host", o.host + " does not contain staticdl (no staticdl_* symbols)",
                               "link the host with libstaticdl.a: staticdl_add_host(<host>), or "
                               "pkg-config --libs --static staticdl"});
    c.run(o.plugins[pi]);
    std::vector<Problem> ps = host_problems;
    ps.insert(ps.end(), c.problems().begin(), c.problems().end());
    if (!h.obj->has_dynsym && !h.obj->has_symtab) {
      for (Problem& p : ps)
        if (p.kind == "symbol")
          p.fix = "the host has neither .dynsym nor .symtab (stripped without -rdynamic): link it with -rdynamic; " +
                  p.fix;
    }
    bool loads = ps.empty();
    all_load &= loads;
    const std::string& plug = o.plugins[pi];
    if (o.json) {
      json += std::string(pi ? ", " : "") + "{\"plugin\": " + json_str(plug) + ", \"loads\": " +
              (loads ? "true" : "false") + ", \"tls\": {\"model\": " + json_str(c.tls_model()) +
              ", \"size\": " + std::to_string(c.tls_size()) + ", \"static\": " + std::to_string(c.static_tls()) +
              ", \"reserve\": " + std::to_string(h.reserve) + "}, \"problems\": [";
      for (size_t i = 0; i < ps.size(); i++)
        json += std::string(i ? ", " : "") + "{\"kind\": " + json_str(ps[i].kind) + ", \"detail\": " +
                json_str(ps[i].detail) + ", \"fix\": " + json_str(ps[i].fix) + "}";
      json += "], \"notes\": [";
      for (size_t i = 0; i < c.notes().size(); i++) json += std::string(i ? ", " : "") + json_str(c.notes()[i]);
      json += "]}";
    } else {
      printf("%s: %s\n", plug.c_str(), loads ? "loads" : "will NOT load");
      for (const Problem& p : ps) {
        printf("  [%s] %s\n", p.kind.c_str(), p.detail.c_str());
        printf("      fix: %s\n", p.fix.c_str());
      }
      if (c.tls_model() != "none")
        printf("  tls: %s, %llu bytes (%llu in static TLS; the host's reserve is %llu)\n", c.tls_model().c_str(),
               static_cast<unsigned long long>(c.tls_size()), static_cast<unsigned long long>(c.static_tls()),
               static_cast<unsigned long long>(h.reserve));
      for (const std::string& n : c.notes()) printf("  note: %s\n", n.c_str());
    }
  }
  if (o.json) printf("%s], \"loads\": %s}\n", json.c_str(), all_load ? "true" : "false");
  return all_load ? 0 : 1;
}

int cmd_exports(int argc, char** argv) {
  if (argc != 1 || argv[0][0] == '-') return usage("exports takes one HOST");
  Host h;
  std::string err;
  if (!load_host(argv[0], &h, &err)) {
    fprintf(stderr, "%s: %s: %s\n", g_prog, argv[0], err.c_str());
    return 1;
  }
  for (const std::string& n : h.exports) printf("%s\n", n.c_str());  // std::set: sorted, unique
  return 0;
}

int cmd_pack(int argc, char** argv) {
  std::string in, out;
  int level = 19;
  for (int i = 0; i < argc; i++) {
    std::string a = argv[i];
    if (a == "-o" && i + 1 < argc) {
      out = argv[++i];
    } else if (a == "-l" && i + 1 < argc) {
      char* end;
      long l = strtol(argv[++i], &end, 10);
      if (*end || l < 1 || l > ZSTD_maxCLevel()) return usage("-l wants a level from 1 to 22");
      level = static_cast<int>(l);
    } else if (a[0] == '-' || !in.empty()) {
      return usage(("pack: unexpected argument " + a).c_str());
    } else {
      in = a;
    }
  }
  if (in.empty()) return usage("pack needs an input file");
  if (out.empty()) out = in + ".zst";
  std::vector<unsigned char> data;
  std::string err;
  if (!read_file(in, &data, &err)) {
    fprintf(stderr, "%s: %s: %s\n", g_prog, in.c_str(), err.c_str());
    return 1;
  }
  if (data.size() < 4 || memcmp(data.data(), ELFMAG, SELFMAG) != 0) {
    fprintf(stderr, "%s: %s: not an ELF file%s\n", g_prog, in.c_str(), is_zstd(data) ? " (already compressed)" : "");
    return 1;
  }
  ZSTD_CCtx* cc = ZSTD_createCCtx();
  std::vector<unsigned char> z(ZSTD_compressBound(data.size()));
  size_t n = 0;
  if (cc) {
    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    ZSTD_CCtx_setPledgedSrcSize(cc, data.size());
    n = ZSTD_compress2(cc, z.data(), z.size(), data.data(), data.size());
    ZSTD_freeCCtx(cc);
  }
  if (!cc || ZSTD_isError(n)) {
    fprintf(stderr, "%s: %s: zstd: %s\n", g_prog, in.c_str(), cc ? ZSTD_getErrorName(n) : "out of memory");
    return 1;
  }
  if (ZSTD_getFrameContentSize(z.data(), n) != data.size()) {
    fprintf(stderr, "%s: %s: zstd frame lacks the content size\n", g_prog, in.c_str());
    return 1;
  }
  if (!write_file_atomic(out, z.data(), n, &err)) {
    fprintf(stderr, "%s: %s\n", g_prog, err.c_str());
    return 1;
  }
  return 0;
}

int cmd_keep_table(int argc, char** argv) {
  std::string in, out;
  for (int i = 0; i < argc; i++) {
    std::string a = argv[i];
    if (a == "-o" && i + 1 < argc)
      out = argv[++i];
    else if (a[0] == '-' || !in.empty())
      return usage(("keep-table: unexpected argument " + a).c_str());
    else
      in = a;
  }
  if (in.empty()) return usage("keep-table needs a libc.a");
  std::set<std::string> syms;
  std::string err;
  if (!archive_symbols(in, &syms, &err)) {
    fprintf(stderr, "%s: keep-table: %s\n", g_prog, err.c_str());
    return 1;
  }
  std::vector<std::string> keep;
  for (const std::string& s : syms)
    if (!keep_table_excluded(s)) keep.push_back(s);  // std::set order is C-locale sort order
  if (keep.size() < 500) {
    fprintf(stderr, "%s: keep-table: only %zu symbols found; wrong input?\n", g_prog, keep.size());
    return 1;
  }
  std::string text = "/* Generated by staticdl keep-table from " + in + ": do not edit.\n   " +
                     std::to_string(keep.size()) + " public libc symbols kept in a static staticdl host. */\nEXTERN(\n";
  for (const std::string& s : keep) text += "  " + s + "\n";
  text += ")\n";
  if (out.empty()) return fwrite(text.data(), 1, text.size(), stdout) == text.size() ? 0 : 1;
  if (!write_file_atomic(out, text.data(), text.size(), &err)) {
    fprintf(stderr, "%s: %s\n", g_prog, err.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (elf_version(EV_CURRENT) == EV_NONE) {
    fprintf(stderr, "%s: libelf is out of date\n", g_prog);
    return 2;
  }
  if (argc < 2) return usage(nullptr);
  std::string cmd = argv[1];
  if (cmd == "check") return cmd_check(argc - 2, argv + 2);
  if (cmd == "exports") return cmd_exports(argc - 2, argv + 2);
  if (cmd == "pack") return cmd_pack(argc - 2, argv + 2);
  if (cmd == "keep-table") return cmd_keep_table(argc - 2, argv + 2);
  if (cmd == "-h" || cmd == "--help" || cmd == "help") return usage(nullptr), 0;
  if (cmd == "--version") return printf("staticdl 0.1.0\n"), 0;
  return usage(("unknown command " + cmd).c_str());
}
