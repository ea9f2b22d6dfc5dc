// The core of `staticdl check`: predicts whether one plugin loads into the
// host with the loader's own rules (loader/search.cpp, lookup.cpp,
// reloc.cpp, tls.cpp, elf_reader.cpp, dynamic.cpp), and says how to fix
// what would fail.
#pragma once

#include <stdint.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "elf_object.h"
#include "host.h"
#include "rules.h"

namespace sdtool {

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

// One Checker per plugin; the LibcList is shared, read at most once.
class Checker {
 public:
  Checker(const Host& h, const Options& opt, LibcList* libc) : h_(h), opt_(opt), libc_(libc) {}

  void run(const std::string& plugin);

  const std::vector<Problem>& problems() const { return problems_; }
  const std::vector<std::string>& notes() const { return notes_; }
  const std::string& tls_model() const { return tls_model_; }
  uint64_t tls_size() const { return tls_size_; }
  uint64_t static_tls() const { return static_tls_; }

 private:
  void add(const std::string& kind, const std::string& detail, const std::string& fix);
  static std::string join(const std::vector<std::string>& v, const char* sep);
  static bool find_loaded(const std::vector<std::unique_ptr<Obj>>& all, const std::string& name);

  // loader/search.cpp search_library().
  std::string search(const std::string& name, const Obj& from, std::vector<std::string>* tried);
  // loader/registry.cpp load_dependency(): finds and opens one dependency.
  void load_dependency(const std::string& dep, Obj* m, bool auxiliary, std::vector<std::unique_ptr<Obj>>* all);
  // loader/elf_reader.cpp read_elf(): class, machine, type.
  bool check_header(const Obj& m);
  void check_segments(const Obj& m, bool root);
  void check_relocs(const Obj& m);
  void check_symbols(const std::vector<std::unique_ptr<Obj>>& all);
  std::string fix_for(const std::string& n);  // advice for an undefined symbol
  void check_tls(const std::vector<std::unique_ptr<Obj>>& all);

  const Host& h_;
  const Options& opt_;
  LibcList* libc_;
  const ArchRules* rules_ = nullptr;
  std::vector<Problem> problems_;
  std::vector<std::string> notes_;
  std::string tls_model_ = "none";
  uint64_t tls_size_ = 0, static_tls_ = 0;
};

}  // namespace sdtool
