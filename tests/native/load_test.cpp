// native.load: the loader core in a glibc process under ASan + UBSan.
//
// Loads the gcc-built fixtures through the internal API (path, fd and
// memory input), calls into them, closes them and checks that their
// mappings are gone from /proc/self/maps; then repeats open/close for N
// rounds (argv[1], default 200) and checks that the fd count and the set of
// mappings come back to where they started. LSan (detect_leaks=1) checks
// the heap at exit; the hostcall fixture frees in its destructor what its
// constructor allocated, so a fini that never runs is a leak report.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "module.h"
#include "native_common.h"
#include "symindex.h"

using namespace native;

namespace {

template <typename F>
F fn(staticdl::Module* m, const char* name, const char* version = nullptr) {
  return reinterpret_cast<F>(sym(m, name, version));
}

bool maps_clean() { return maps_matching(plugin_dir()).empty(); }

void report_maps(const char* when) {
  for (const std::string& l : maps_matching(plugin_dir())) fprintf(stderr, "  still mapped %s: %s\n", when, l.c_str());
}

// Each scenario opens, checks and closes; failures count in g_failures.
void hostcall() {
  Opened o = open_path(plugin("libnat_hostcall.so"));
  NCHECK(o);
  if (!o) return (void)fprintf(stderr, "  %s\n", o.error.c_str());
  NCHECK(maps_matching("libnat_hostcall.so").size() >= 2);
  auto init_value = fn<int (*)()>(o.m, "hostcall_init_value");
  auto run = fn<int (*)(int)>(o.m, "hostcall_run");
  auto dup = fn<char* (*)(const char*)>(o.m, "hostcall_dup");
  NCHECK(init_value && run && dup);
  if (init_value) NCHECK(init_value() == 7);   // the constructor ran
  if (run) NCHECK(run(12345) == 5 + 12345);    // snprintf, strlen, native_host_add
  if (dup) {
    char* s = dup("plugin heap");
    NCHECK(s && !strcmp(s, "plugin heap"));
    free(s);  // the plugin's strdup is this process's allocator
  }
  NCHECK(sym(o.m, "no_such_symbol") == nullptr);
  NCHECK(close(o.m));
  NCHECK(maps_matching("libnat_hostcall.so").empty());
}

void chain() {
  Opened o = open_path(plugin("libnat_a.so"));
  NCHECK(o);
  if (!o) return (void)fprintf(stderr, "  %s\n", o.error.c_str());
  NCHECK(module_count() == 3);  // a, and b, c through DT_RUNPATH $ORIGIN
  NCHECK(!maps_matching("libnat_c.so").empty());
  auto a = fn<int (*)(int)>(o.m, "chain_a");
  auto c = fn<int (*)(int)>(o.m, "chain_c");  // in a's scope through its dependencies
  NCHECK(a && c);
  if (a) NCHECK(a(4) == 4321);
  if (c) NCHECK(c(4) == 43);
  // A second open of a dependency shares it; closing a keeps c loaded.
  Opened c2 = open_path(plugin("libnat_c.so"));
  NCHECK(c2 && module_count() == 3);
  NCHECK(close(o.m));
  NCHECK(module_count() == 1);
  NCHECK(maps_matching("libnat_a.so").empty() && !maps_matching("libnat_c.so").empty());
  if (c2) NCHECK(close(c2.m));
  NCHECK(module_count() == 0);
}

void ifunc() {
  Opened o = open_path(plugin("libnat_ifunc.so"));
  NCHECK(o);
  if (!o) return (void)fprintf(stderr, "  %s\n", o.error.c_str());
  auto sum = fn<int (*)()>(o.m, "ifunc_sum");
  auto exported = fn<int (*)()>(o.m, "ifunc_exported");  // lookup calls the resolver
  NCHECK(sum && exported);
  if (sum) NCHECK(sum() == 42);
  if (exported) NCHECK(exported() == 40);
  NCHECK(close(o.m));
}

void versioned() {
  Opened o = open_path(plugin("libnat_versioned.so"));
  NCHECK(o);
  if (!o) return (void)fprintf(stderr, "  %s\n", o.error.c_str());
  auto v1 = fn<int (*)()>(o.m, "vfoo", "V1");
  auto v2 = fn<int (*)()>(o.m, "vfoo", "V2");
  auto def = fn<int (*)()>(o.m, "vfoo");
  auto bar = fn<int (*)()>(o.m, "vbar", "V2");
  NCHECK(v1 && v2 && def && bar);
  if (v1) NCHECK(v1() == 1);
  if (v2) NCHECK(v2() == 2);
  if (def) NCHECK(def() == 2);  // the default version
  if (bar) NCHECK(bar() == 5);
  NCHECK(sym(o.m, "vfoo", "V3") == nullptr);
  NCHECK(sym(o.m, "vbar", "V1") == nullptr);
  NCHECK(close(o.m));
}

// The adaptive dlsym index (loader/symindex.h), lowered to index this small
// fixture: the answers stay the walk's across the build, and the index
// goes with the module (ASan/LSan check the freeing).
void indexed() {
  struct Threshold {  // lowered for this scenario only, whatever path returns
    Threshold() { staticdl::g_index_min_table_bytes = 0; }
    ~Threshold() { staticdl::g_index_min_table_bytes = staticdl::kIndexMinTableBytes; }
  } lowered;
  Opened o = open_path(plugin("libnat_versioned.so"));
  NCHECK(o);
  if (!o) return (void)fprintf(stderr, "  %s\n", o.error.c_str());
  void* def = sym(o.m, "vfoo", nullptr);
  void* v1 = sym(o.m, "vfoo", "V1");
  void* bar = sym(o.m, "vbar", nullptr);
  NCHECK(def && v1 && bar && def != v1);
  for (uint32_t k = 0; k <= staticdl::kIndexAfterLookups; k++) {
    NCHECK(sym(o.m, "vfoo", nullptr) == def);
    NCHECK(sym(o.m, "vbar", nullptr) == bar);
    NCHECK(sym(o.m, "vfoo_absent", nullptr) == nullptr);
    if (g_failures) break;
  }
  {
    staticdl::LoaderLock lock;
    NCHECK(o.m->index.get() != nullptr);
  }
  NCHECK(sym(o.m, "vfoo", nullptr) == def);  // from the index
  NCHECK(sym(o.m, "vfoo", "V1") == v1);      // versioned: the walk
  NCHECK(sym(o.m, "vbar", nullptr) == bar);
  NCHECK(close(o.m));
}

void from_fd_and_memory(const std::vector<uint8_t>& image) {
  int fd = ::open(plugin("libnat_ifunc.so").c_str(), O_RDONLY | O_CLOEXEC);
  NCHECK(fd >= 0);
  Opened o = open_fd(fd, "fd:libnat_ifunc.so");
  NCHECK(o);
  if (o) {
    auto sum = fn<int (*)()>(o.m, "ifunc_sum");
    NCHECK(sum && sum() == 42);
    NCHECK(close(o.m));
  } else {
    fprintf(stderr, "  %s\n", o.error.c_str());
  }
  ::close(fd);

  Opened m = open_memory(image.data(), image.size(), "mem:libnat_hostcall.so");
  NCHECK(m);
  if (m) {
    auto run = fn<int (*)(int)>(m.m, "hostcall_run");
    auto init_value = fn<int (*)()>(m.m, "hostcall_init_value");
    NCHECK(run && run(7) == 8);
    NCHECK(init_value && init_value() == 7);
    NCHECK(close(m.m));
  } else {
    fprintf(stderr, "  %s\n", m.error.c_str());
  }
}

void errors(const std::vector<uint8_t>& image, bool verbose) {
  Opened o = open_path(plugin("libnat_missing.so"));
  NCHECK(!o && o.code == staticdl::Errc::NotFound);
  if (verbose) printf("  missing: %s\n", o.error.c_str());
  o = open_path(plugin("notelf.so"));
  NCHECK(!o && o.code == staticdl::Errc::BadElf);
  if (verbose) printf("  notelf:  %s\n", o.error.c_str());
  o = open_path(plugin("libnat_undef.so"));
  NCHECK(!o && o.code == staticdl::Errc::Undefined && o.error.find("native_nowhere_defined") != std::string::npos);
  if (verbose) printf("  undef:   %s\n", o.error.c_str());
  // Truncated images: header only, and cut in the middle of the segments.
  o = open_memory(image.data(), 64, "mem:header-only");
  NCHECK(!o);
  if (verbose) printf("  header:  %s\n", o.error.c_str());
  o = open_memory(image.data(), image.size() / 3, "mem:truncated");
  NCHECK(!o);
  if (verbose) printf("  cut:     %s\n", o.error.c_str());
  NCHECK(module_count() == 0);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 200;
  setup_host_scope();
  std::vector<uint8_t> image = read_file(plugin("libnat_hostcall.so"));
  if (image.empty()) return fprintf(stderr, "cannot read %s\n", plugin("libnat_hostcall.so").c_str()), 1;

  double t0 = now_seconds();
  int fds0 = fd_count();
  std::vector<std::string> odd0 = odd_anonymous_mappings();

  printf("native.load: fixtures in %s\n", plugin_dir());
  hostcall();
  chain();
  ifunc();
  versioned();
  indexed();
  from_fd_and_memory(image);
  errors(image, true);
  NCHECK(maps_clean());
  report_maps("after the scenarios");
  int first = g_failures;
  printf("native.load: scenarios: %d checks, %d failed\n", g_checks, first);

  for (int r = 0; r < rounds; r++) {
    hostcall();
    chain();
    ifunc();
    versioned();
    from_fd_and_memory(image);
    errors(image, false);
    if (g_failures > first + 20) break;  // do not drown the log
  }
  NCHECK(module_count() == 0);
  NCHECK(maps_clean());
  report_maps("after the rounds");
  int fds1 = fd_count();
  NCHECK(fds1 == fds0);
  std::vector<std::string> odd = added(odd0, odd_anonymous_mappings());
  NCHECK(odd.empty());
  for (const std::string& l : odd) fprintf(stderr, "  new anonymous mapping: %s\n", l.c_str());

  printf("native.load: %d rounds of open/call/close (6 scenarios, 5 error opens each) in %.1f s; "
         "fds %d -> %d; %zu new odd mappings; %d checks, %d failed\n",
         rounds, now_seconds() - t0, fds0, fds1, odd.size(), g_checks, g_failures);
  printf("native.load: %s (LSan checks the heap at exit)\n", g_failures ? "FAILED" : "PASSED");
  return g_failures ? 1 : 0;
}
