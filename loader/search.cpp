#include "search.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "debug.h"
#include "host.h"
#include "hwcaps.h"
#include "ldcache.h"
#include "module.h"

namespace staticdl {

namespace {

Vec<OwnedStr>& configured_dirs() {
  static Vec<OwnedStr> dirs;  // guarded by the loader lock
  return dirs;
}

// `path` lies in one of the configured (default) directories, or below one.
bool in_configured_dir(const char* path) {
  for (const OwnedStr& d : configured_dirs()) {
    size_t n = strlen(d.c_str());
    if (!strncmp(path, d.c_str(), n) && path[n] == '/') return true;
  }
  return false;
}

bool starts_with(const char* s, const char* p) { return strncmp(s, p, strlen(p)) == 0; }

bool identifier_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of the substitution variable `var` at s ("$VAR", not followed by
// a character that could continue the name, or "${VAR}"), 0 if none.
size_t match_var(const char* s, const char* var) {
  size_t n = strlen(var);
  if (s[0] != '$') return 0;
  if (!strncmp(s + 1, var, n) && !identifier_char(s[1 + n])) return 1 + n;
  if (s[1] == '{' && !strncmp(s + 2, var, n) && s[2 + n] == '}') return 3 + n;
  return 0;
}

char g_dst_lib[256] = "lib";

}  // namespace

void set_dst_lib(const char* dir) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  if (n < sizeof g_dst_lib) memcpy(g_dst_lib, dir, n), g_dst_lib[n] = 0;
}

bool is_host_library(const char* name) {
  const char* base = strrchr(name, '/');
  base = base ? base + 1 : name;
  static const char* const kExact[] = {"libc.so",       "libc.so.6",      "libm.so",     "libm.so.6",
                                       "libpthread.so", "libpthread.so.0", "libdl.so",    "libdl.so.2",
                                       "librt.so",      "librt.so.1",     "libutil.so.1", "libresolv.so.2",
                                       "libcrypt.so.1", "libxnet.so",     "libc.musl-x86_64.so.1",
                                       "libc.musl-aarch64.so.1"};
  for (const char* e : kExact)
    if (!strcmp(base, e)) return true;
  return starts_with(base, "ld-linux") || starts_with(base, "ld-musl");
}

OriginRule origin_rule(bool program) {
  if (!secure_mode()) return OriginRule::Anywhere;
  return program ? OriginRule::LeadingTrusted : OriginRule::Leading;
}

namespace {

// glibc's is_trusted_path_normalize: `path` with "//", "/./" and "/../"
// resolved lies in a configured directory or below one.
bool in_trusted_dir(const char* path) {
  char norm[4096];
  size_t w = 0;
  for (const char* p = path; *p && w + 2 < sizeof norm;) {
    if (p[0] == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || !p[3])) {
      while (w > 0 && norm[--w] != '/') {
      }
      p += 3;
    } else if (p[0] == '/' && p[1] == '.' && (p[2] == '/' || !p[2])) {
      p += 2;
    } else if (p[0] == '/' && w > 0 && norm[w - 1] == '/') {
      p++;
    } else {
      norm[w++] = *p++;
    }
  }
  if (w == 0 || norm[w - 1] != '/') norm[w++] = '/';
  norm[w] = 0;
  return in_configured_dir(norm);
}

// $ORIGIN at s (n characters) in the string `in` may be expanded.
bool origin_allowed(const char* in, const char* s, size_t n, OriginRule rule) {
  if (rule == OriginRule::Anywhere) return true;
  return rule != OriginRule::Never && s == in && (s[n] == 0 || s[n] == '/');
}

}  // namespace

bool expand_dst(const char* in, const char* origin, OriginRule rule, OwnedStr* out) {
  char buf[4096];
  size_t o = 0;
  bool trust = false;  // the result must lie in a trusted directory
  for (const char* s = in; *s;) {
    const char* rep = nullptr;
    size_t n = 0;
    if ((n = match_var(s, "ORIGIN"))) {
      if (!origin_allowed(in, s, n, rule) || !origin || !*origin) return false;
      rep = origin;
      trust = rule == OriginRule::LeadingTrusted;
    } else if ((n = match_var(s, "LIB"))) {
      rep = g_dst_lib;
    } else if ((n = match_var(s, "PLATFORM"))) {
      rep = Arch::kPlatform;
    }  // anything else after a '$' is kept as it is, as glibc keeps it
    if (rep) {
      size_t rl = strlen(rep);
      if (o + rl >= sizeof buf) return false;
      memcpy(buf + o, rep, rl), o += rl, s += n;
    } else {
      if (o + 1 >= sizeof buf) return false;
      buf[o++] = *s++;
    }
  }
  buf[o] = 0;
  if (trust && !in_trusted_dir(buf)) return false;
  return OwnedStr::make(buf, o, out);
}

bool dirname_of(const char* path, OwnedStr* out) {
  const char* slash = strrchr(path, '/');
  if (!slash) return OwnedStr::make(".", out);
  if (slash == path) return OwnedStr::make("/", out);
  return OwnedStr::make(path, static_cast<size_t>(slash - path), out);
}

bool origin_of(const char* path, OwnedStr* out) {
  if (path[0] == '/' || !strchr(path, '/')) return dirname_of(path, out);
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) return dirname_of(path, out);
  size_t n = strlen(cwd);
  char joined[8192];
  int len = snprintf(joined, sizeof joined, "%s%s%s", cwd, n && cwd[n - 1] == '/' ? "" : "/", path);
  if (len <= 0 || static_cast<size_t>(len) >= sizeof joined) return dirname_of(path, out);
  return dirname_of(joined, out);
}

// Tries DIR/glibc-hwcaps/<sub>/name for each of the CPU's subdirectories
// (hybrid mode, hwcaps.h), then DIR/name.
static bool try_dir(const char* dir, const char* name, const Hwcaps* hw, const char* what, TryPath try_path,
                    void* ctx) {
  char path[4096];
  for (size_t i = 0; hw && hw->subdirs && hw->subdirs[i]; i++) {
    if (i == 0 && !hwcaps_root_exists(dir)) break;
    int len = snprintf(path, sizeof path, "%s/glibc-hwcaps/%s/%s", dir, hw->subdirs[i], name);
    if (len <= 0 || static_cast<size_t>(len) >= sizeof path) continue;
    debug(DebugLibs, "  trying file=%s (%s)", path, what);
    if (try_path(path, ctx)) return true;
  }
  int len = snprintf(path, sizeof path, "%s/%s", dir, name);
  if (len <= 0 || static_cast<size_t>(len) >= sizeof path) return false;
  debug(DebugLibs, "  trying file=%s (%s)", path, what);
  return try_path(path, ctx);
}

// Calls fn(dir) for each element of a list separated by any of `seps`,
// after expansion ($ORIGIN is `origin`, under `rule`); an empty element is
// the current directory. Stops when fn returns true.
template <typename Fn>
static bool for_each_element(const char* list, const char* seps, const char* origin, OriginRule rule, Fn fn) {
  if (!list) return false;
  char elem[4096];
  for (const char* s = list;;) {
    size_t n = strcspn(s, seps);
    if (n < sizeof elem) {
      memcpy(elem, s, n);
      elem[n] = 0;
      OwnedStr dir;
      if (expand_dst(n ? elem : ".", origin, rule, &dir) && fn(dir.c_str())) return true;
    }
    if (!s[n]) return false;
    s += n + 1;
  }
}

// Hybrid mode: the file ld.so.cache names, if any; with DF_1_NODEFLIB not
// one in the default directories (as ld.so).
static bool search_cache(const char* name, const Hwcaps* hw, bool nodeflib, TryPath try_path, void* ctx) {
  OwnedStr path;
  if (!ldcache_lookup(name, hw, &path) || (nodeflib && in_configured_dir(path.c_str()))) return false;
  debug(DebugLibs, "  trying file=%s (ld.so.cache)", path.c_str());
  return try_path(path.c_str(), ctx);
}

const char* program_origin() {
  static OwnedStr origin;
  static bool done = false;
  if (!done) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    done = n <= 0 || dirname_of(exe, &origin);
  }
  return origin.c_str();
}

// The search order (search.h): list(list, separators, origin, rule, what)
// for each path list (the environment's split at ':' or ';', as ld.so
// splits LD_LIBRARY_PATH), and cache() (ld.so.cache, hybrid mode) before
// the configured directories. Stops when one returns true.
template <typename ListFn, typename CacheFn>
static bool for_each_source(const SearchFrom& from, ListFn list, CacheFn cache) {
  if (!from.runpath)
    for (const RpathList& r : from.rpaths)
      if (list(r.list, ":", r.origin, origin_rule(r.program), "RPATH")) return true;
  OriginRule env = secure_mode() ? OriginRule::Never : OriginRule::Anywhere;
  if (list(safe_getenv("STATICDL_LIBRARY_PATH"), ":;", from.origin, env, "STATICDL_LIBRARY_PATH")) return true;
  // LD_LIBRARY_PATH's $ORIGIN is the program's directory, as ld.so expands it.
  const SystemScope* sys = system_scope();
  const char* llp = sys && sys->library_path ? sys->library_path() : nullptr;
  if (llp && list(llp, ":;", strchr(llp, '$') ? program_origin() : nullptr, env, "LD_LIBRARY_PATH")) return true;
  if (list(from.runpath, ":", from.origin, origin_rule(from.program), "RUNPATH")) return true;
  if (cache()) return true;
  if (!from.nodeflib)
    for (const OwnedStr& d : configured_dirs())
      if (list(d.c_str(), ":", nullptr, OriginRule::Anywhere, "configured")) return true;
  return false;
}

// A path (a dlopen() argument or DT_NEEDED entry with a '/') is used as it
// is, but for $ORIGIN (the requester's directory), $LIB and $PLATFORM,
// which glibc expands there too.
static bool try_given_path(const char* name, const SearchFrom& from, TryPath try_path, void* ctx) {
  if (!strchr(name, '$')) return try_path(name, ctx);
  OwnedStr path;
  return expand_dst(name, from.origin, origin_rule(from.program), &path) && try_path(path.c_str(), ctx);
}

bool search_library(const char* name, const SearchFrom& from, TryPath try_path, void* ctx) {
  if (strchr(name, '/')) return try_given_path(name, from, try_path, ctx);
  debug(DebugLibs, "find library=%s", name);
  const SystemScope* sys = system_scope();
  const Hwcaps* hw = sys && sys->hwcaps ? sys->hwcaps() : nullptr;
  auto list = [&](const char* l, const char* seps, const char* origin, OriginRule rule, const char* what) {
    return for_each_element(l, seps, origin, rule,
                            [&](const char* dir) { return try_dir(dir, name, hw, what, try_path, ctx); });
  };
  return for_each_source(from, list, [&] { return sys && search_cache(name, hw, from.nodeflib, try_path, ctx); });
}

bool list_dirs(const char* list, const char* seps, const char* origin, OriginRule rule, Vec<OwnedStr>* out) {
  bool ok = true;
  for_each_element(list, seps, origin, rule, [&](const char* dir) {
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    OwnedStr d;
    if (!(ok = OwnedStr::make(dir, n, &d))) return true;
    for (const OwnedStr& o : *out)
      if (!strcmp(o.c_str(), d.c_str())) return false;
    return !(ok = out->push(std::move(d)));
  });
  return ok;
}

void search_dirs(const SearchFrom& from, DirFn fn, void* ctx) {
  for_each_source(from, [&](const char* l, const char* seps, const char* origin, OriginRule rule, const char*) {
    Vec<OwnedStr> dirs;  // a directory once per list, as glibc's lists hold it
    (void)list_dirs(l, seps, origin, rule, &dirs);
    for (const OwnedStr& d : dirs) fn(d.c_str(), ctx);
    return false;
  }, [] { return false; });
}

bool search_from(const Module* m, SearchFrom* out) {
  const HostPaths& host = host_paths();
  out->runpath = m ? (m->dyn.has_runpath ? m->str(m->dyn.runpath) : nullptr) : host.runpath;
  out->origin = m ? m->origin.c_str() : program_origin();
  out->program = !m;
  out->nodeflib = m ? (m->dyn.flags_1 & DF_1_NODEFLIB) != 0 : host.nodeflib;
  if (out->runpath) return true;  // no DT_RPATH at all then
  for (const Module* l = m; l; l = l->loader)
    if (l->dyn.has_rpath && !l->dyn.has_runpath && !out->rpaths.push(RpathList{l->str(l->dyn.rpath), l->origin.c_str()}))
      return false;
  return !host.rpath || out->rpaths.push(RpathList{host.rpath, program_origin(), true});
}

bool add_search_dir(const char* dir) {
  OwnedStr s;
  return OwnedStr::make(dir, &s) && configured_dirs().push(std::move(s));
}

void clear_search_dirs_for_tests() { configured_dirs().clear(); }

}  // namespace staticdl
