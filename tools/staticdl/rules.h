// The loader's rules the staticdl tool mirrors: the relocation types each
// architecture supports (loader/arch_*.h, reloc.cpp), the C library names
// the host provides, the loader's builtin symbols, $ORIGIN expansion; and
// the libc symbol list (a keep table or a libc.a) used for advice.
#pragma once

#include <map>
#include <set>
#include <string>

namespace sdtool {

struct ArchRules {
  unsigned machine;
  const char* platform;
  unsigned r_copy, r_tpoff;
  std::set<unsigned> supported;
  std::map<unsigned, const char*> names;
};

// The rules for e_machine, or nullptr when the loader does not support it.
const ArchRules* arch_rules(unsigned machine);
std::string reloc_name(const ArchRules& a, unsigned t);

// loader/search.cpp is_host_library(): C library names the host provides.
bool is_host_library(const std::string& name);

// runtime/dlfcn.cpp: symbols the loader itself provides to plugins.
bool is_builtin(const std::string& n);

// loader/search.cpp expand_dst(): $ORIGIN, $LIB, $PLATFORM; false to skip the element.
bool expand_dst(const std::string& in, const std::string& origin, const char* platform, std::string* out);

// The keep-table exclusions of tools/gen-keep-table.sh.
bool keep_table_excluded(const std::string& n);

// Public symbols of a libc.a: defined GLOBAL/WEAK symbols of default
// visibility in every member's .symtab (what `readelf -s` shows the script).
bool archive_symbols(const std::string& path, std::set<std::string>* out, std::string* err);

// A keep-table linker script (EXTERN(...)) or a libc.a.
bool load_libc_list(const std::string& path, std::set<std::string>* out, std::string* err);

}  // namespace sdtool
