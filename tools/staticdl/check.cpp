// The `staticdl check` command: its options, and the report of each plugin's
// problems as text or JSON.
#include "check.h"

#include <stdio.h>

#include <string>
#include <vector>

#include "checker.h"
#include "host.h"
#include "util.h"

namespace sdtool {

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

}  // namespace sdtool
