// The loader's rules the staticdl tool mirrors (see rules.h).
#include "rules.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <vector>

#include "elf_object.h"
#include "util.h"

namespace sdtool {

// ---- architecture rules (loader/arch_*.h, reloc.cpp) ------------------------------

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

// loader/search.cpp expand_dst(): $ORIGIN, $LIB, $PLATFORM; any other '$'
// stays as it is. False (skip the element) for $ORIGIN without an origin.
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
        if (isalnum(static_cast<unsigned char>(next)) || next == '_') continue;
        *out += v.rep, i += 1 + n, hit = true;
        break;
      }
      if (in.compare(i + 1, 1, "{") == 0 && in.compare(i + 2, n, v.name) == 0 && in.compare(i + 2 + n, 1, "}") == 0) {
        *out += v.rep, i += 3 + n, hit = true;
        break;
      }
    }
    if (!hit) *out += in[i++];  // no variable: the '$' stays
  }
  return true;
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

}  // namespace sdtool
