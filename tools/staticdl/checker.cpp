// The checks of `staticdl check` (see checker.h), one method a concern:
// the DT_NEEDED closure and library search, ELF header, segments,
// relocations, undefined symbols (with advice from the libc symbol list),
// and static TLS.
#include "checker.h"

#include <stdlib.h>

#include <map>

#include "util.h"

namespace sdtool {

// Finds and opens `dep` for m, adding it to `all` (or a "needed" problem,
// unless it is an auxiliary filtee).
void Checker::load_dependency(const std::string& dep, Obj* m, bool auxiliary, std::vector<std::unique_ptr<Obj>>* all) {
  if (is_host_library(dep) || find_loaded(*all, dep)) return;
  std::vector<std::string> tried;
  std::string path = search(dep, *m, &tried);
  std::string err;
  std::unique_ptr<Obj> d = path.empty() ? nullptr : open_obj(path, &err);
  if (d) {
    d->loader = m;
    all->push_back(std::move(d));
  } else if (auxiliary) {
    notes_.push_back("auxiliary filtee " + dep + " (of " + base_name(m->path) + ") does not load: left out");
  } else if (path.empty()) {
    std::string where = tried.empty() ? "no directory was searched" : "searched " + join(tried, ", ");
    add("needed", dep + " (needed by " + base_name(m->path) + ") not found: " + where,
        "put " + dep + " where the plugin's DT_RUNPATH points (e.g. -Wl,-rpath,'$ORIGIN' and the same directory), "
        "or add its directory to STATICDL_LIBRARY_PATH (check -L DIR) or with staticdl_add_search_dir() "
        "before dlopen");
  } else {
    add("needed", dep + " (needed by " + base_name(m->path) + "): " + path + ": " + err,
        "replace " + path + " with a shared object built for the host");
  }
}

void Checker::run(const std::string& plugin) {
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
  // The DT_NEEDED closure, breadth first (loader/registry.cpp); DT_FILTER
  // objects are needed too, a DT_AUXILIARY one that does not load is left out.
  for (size_t i = 0; i < all.size(); i++) {
    Obj* m = all[i].get();
    if (i > 0 && !check_header(*m)) continue;
    for (const std::string& dep : m->needed) load_dependency(dep, m, false, &all);
    for (const std::string& dep : m->auxiliary) load_dependency(dep, m, true, &all);
  }
  for (auto& m : all) {
    if (m->machine != h_.obj->machine || m->cls != h_.obj->cls) continue;
    check_segments(*m, m.get() == all[0].get());
    check_relocs(*m);
  }
  check_symbols(all);
  check_tls(all);
}

void Checker::add(const std::string& kind, const std::string& detail, const std::string& fix) {
  problems_.push_back({kind, detail, fix});
}

std::string Checker::join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

bool Checker::find_loaded(const std::vector<std::unique_ptr<Obj>>& all, const std::string& name) {
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
std::string Checker::search(const std::string& name, const Obj& from, std::vector<std::string>* tried) {
  if (name.find('/') != std::string::npos) {  // a path: only $ORIGIN & co. expanded
    std::string path;
    if (!expand_dst(name, dir_name(from.path), rules_ ? rules_->platform : "", &path)) return "";
    tried->push_back(path);
    return file_exists(path) ? path : "";
  }
  auto list = [&](const std::string& l, const char* what, bool dst, const Obj& owner) -> std::string {
    std::string origin = dir_name(owner.path);
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
  // DT_RPATH: of `from`, of the object whose DT_NEEDED loaded it, on up,
  // then the host's; none of them when `from` has DT_RUNPATH.
  for (const Obj* l = from.has_runpath ? nullptr : &from; l; l = l->loader)
    if (l->has_rpath && !l->has_runpath && !(p = list(l->rpath, "DT_RPATH", true, *l)).empty()) return p;
  const Obj& host = *h_.obj;
  if (!from.has_runpath && host.has_rpath && !host.has_runpath &&
      !(p = list(host.rpath, "the host's DT_RPATH", true, host)).empty())
    return p;
  for (const std::string& d : opt_.libdirs)
    if (!(p = list(d, "STATICDL_LIBRARY_PATH", true, from)).empty()) return p;
  if (from.has_runpath && !(p = list(from.runpath, "DT_RUNPATH", true, from)).empty()) return p;
  return "";
}

// loader/elf_reader.cpp read_elf(): class, machine, type.
bool Checker::check_header(const Obj& m) {
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

void Checker::check_segments(const Obj& m, bool root) {
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

void Checker::check_relocs(const Obj& m) {
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

void Checker::check_symbols(const std::vector<std::unique_ptr<Obj>>& all) {
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

std::string Checker::fix_for(const std::string& n) {
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

void Checker::check_tls(const std::vector<std::unique_ptr<Obj>>& all) {
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

}  // namespace sdtool
