// Hybrid mode: ld.so's default directories, searched last (search.h).
//
// They are a build setting of glibc (Debian: /lib/<multiarch>,
// /usr/lib/<multiarch>, /lib, /usr/lib; Fedora: /lib64, /usr/lib64), so
// they are asked of ld.so itself: its dlinfo(RTLD_DI_SERINFO) for its own
// object lists the program's DT_RPATH directories (unless ld.so dropped
// that list after finding none of its directories), then LD_LIBRARY_PATH's,
// then the defaults. The first two are matched against what staticdl reads
// from the same sources; if they do not line up, a fixed list that covers
// both layouts is used instead. The first default directory is glibc's
// slibdir, whose path without the leading '/' is what $LIB expands to.
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"
#include "host.h"
#include "runtime.h"
#include "search.h"

namespace staticdl {

namespace {

#if defined(__x86_64__)
#define STATICDL_MULTIARCH "x86_64-linux-gnu"
constexpr const char* kLdSo = "ld-linux-x86-64.so.2";
#elif defined(__aarch64__)
#define STATICDL_MULTIARCH "aarch64-linux-gnu"
constexpr const char* kLdSo = "ld-linux-aarch64.so.1";
#endif
const char* const kFallbackDirs[] = {"/lib/" STATICDL_MULTIARCH, "/usr/lib/" STATICDL_MULTIARCH, "/lib64", "/usr/lib64",
                                     "/lib", "/usr/lib"};

// Whether names[*i...] start with `dirs`; if so *i moves past them.
bool skip_matching(const Dl_serinfo& si, unsigned* i, const Vec<OwnedStr>& dirs) {
  if (dirs.size() > si.dls_cnt - *i) return false;
  for (size_t k = 0; k < dirs.size(); k++)
    if (strcmp(si.dls_serpath[*i + k].dls_name, dirs[k].c_str())) return false;
  *i += static_cast<unsigned>(dirs.size());
  return true;
}

// ld.so's list for its own object, or nullptr (free() it).
Dl_serinfo* ldso_search_info() {
  void* ld = dlopen(kLdSo, RTLD_LAZY | RTLD_NOLOAD);
  if (!ld) return (void)dlerror(), nullptr;
  Dl_serinfo size;
  Dl_serinfo* si = nullptr;
  if (dlinfo(ld, RTLD_DI_SERINFOSIZE, &size) == 0 && (si = static_cast<Dl_serinfo*>(malloc(size.dls_size)))) {
    si->dls_size = size.dls_size, si->dls_cnt = size.dls_cnt;
    if (dlinfo(ld, RTLD_DI_SERINFO, si) != 0) free(si), si = nullptr;
  }
  (void)dlerror();
  dlclose(ld);
  return si;
}

bool add_ldso_defaults() {
  Vec<OwnedStr> rpath, env;
  const SystemScope* sys = system_scope();
  const char* origin = program_origin();
  OriginRule env_rule = secure_mode() ? OriginRule::Never : OriginRule::Anywhere;
  if (!list_dirs(host_paths().rpath, ":", origin, origin_rule(true), &rpath) ||
      !list_dirs(sys->library_path(), ":;", origin, env_rule, &env))
    return false;
  Dl_serinfo* si = ldso_search_info();
  unsigned i = 0;
  bool ok = si && (skip_matching(*si, &i, rpath), skip_matching(*si, &i, env)) && i < si->dls_cnt;
  for (unsigned k = i; ok && k < si->dls_cnt; k++) ok = si->dls_serpath[k].dls_name[0] == '/';
  for (unsigned k = i; ok && k < si->dls_cnt; k++) ok = add_search_dir(si->dls_serpath[k].dls_name);
  if (ok) set_dst_lib(si->dls_serpath[i].dls_name + 1);  // glibc's $LIB: the first, without the '/'
  free(si);
  return ok;
}

}  // namespace

void add_system_dirs() {
  if (add_ldso_defaults()) return;
  for (const char* d : kFallbackDirs) (void)add_search_dir(d);
  set_dst_lib(kFallbackDirs[0] + 1);
}

}  // namespace staticdl
