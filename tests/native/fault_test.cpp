// native.fault: fault injection through staticdl::g_fault_hook (ASan build).
//
// For each scenario (the dependency chain libnat_a -> libnat_b -> libnat_c
// opened by path, the same with the relocation cache and in a new dlmopen
// namespace, a filter, and libnat_hostcall opened from memory), a dry run counts
// the calls open_object makes at each FaultSite. Then, for every site and
// every N in 1..count, the Nth call at that site (and only it) fails. Each
// open must either return an Error (a code and a message) or, when the
// loader can do without the failed call, succeed and work. Afterwards no
// module may remain loaded, no fd and no mapping may be left behind, and
// LSan checks the heap at exit. The hook is active during open_object only.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "native_common.h"

using namespace native;
using staticdl::FaultSite;

namespace {

const char* const kSiteNames[] = {"malloc", "mmap", "mprotect", "open", "read"};
constexpr int kSites = 5;

long g_calls[kSites];
int g_target_site = -1;
long g_target_n = 0;
bool g_fired = false;

bool hook(FaultSite s) {
  int i = static_cast<int>(s);
  if (i < 0 || i >= kSites) return false;
  long n = ++g_calls[i];
  if (i == g_target_site && n == g_target_n) return g_fired = true;
  return false;
}

struct Scenario {
  const char* name;
  Opened (*open)(const std::vector<uint8_t>& image);
  bool (*works)(staticdl::Module* m);
};

Opened open_chain(const std::vector<uint8_t>&) { return open_path(plugin("libnat_a.so")); }
bool chain_works(staticdl::Module* m) {
  auto a = reinterpret_cast<int (*)(int)>(sym(m, "chain_a"));
  return a && a(4) == 4321 && module_count() == 3;
}

// The chain with STATICDL_RELOC_CACHE: the warm-up open stores the cache
// files, later opens map them (at the addresses the warm-up's objects had,
// free again after its close), or fall back when a call fails.
char g_cache_dir[] = "/tmp/sdl-native-fault-cache-XXXXXX";
Opened open_chain_cached(const std::vector<uint8_t>& image) {
  setenv("STATICDL_RELOC_CACHE", g_cache_dir, 1);
  Opened o = open_chain(image);
  unsetenv("STATICDL_RELOC_CACHE");
  return o;
}

// The chain in a new namespace (dlmopen(LM_ID_NEWLM)): its global scope is
// made after the objects are committed, and a failure there must unload them.
Opened open_chain_new_namespace(const std::vector<uint8_t>&) {
  std::string path = plugin("libnat_a.so");
  staticdl::OpenRequest req;
  req.path = path.c_str(), req.flags = RTLD_NOW, req.ns = staticdl::kNamespaceNew;
  return open_request(req);
}
bool chain_in_namespace_works(staticdl::Module* m) { return m->ns == 1 && chain_works(m); }

// A filter with a DT_FILTER and a DT_AUXILIARY object: a failure while
// loading the auxiliary one leaves it out (as in glibc), and the filter
// then serves nflt_aux itself.
Opened open_filter(const std::vector<uint8_t>&) { return open_path(plugin("libnat_flt.so")); }
bool filter_works(staticdl::Module* m) {
  auto value = reinterpret_cast<int (*)()>(sym(m, "nflt_value"));
  auto aux = reinterpret_cast<int (*)()>(sym(m, "nflt_aux"));
  if (!value || !aux || value() != 2) return false;
  return (module_count() == 3 && aux() == 3) || (module_count() == 2 && aux() == 1);
}

Opened open_hostcall_mem(const std::vector<uint8_t>& image) {
  return open_memory(image.data(), image.size(), "mem:libnat_hostcall.so");
}
bool hostcall_works(staticdl::Module* m) {
  auto run = reinterpret_cast<int (*)(int)>(sym(m, "hostcall_run"));
  auto init = reinterpret_cast<int (*)()>(sym(m, "hostcall_init_value"));
  return run && init && run(10) == 12 && init() == 7;
}

// Opens with the hook installed (failing call g_target_n at g_target_site).
Opened hooked_open(const Scenario& s, const std::vector<uint8_t>& image) {
  memset(g_calls, 0, sizeof g_calls);
  g_fired = false;
  __atomic_store_n(&staticdl::g_fault_hook, &hook, __ATOMIC_RELAXED);
  Opened o = s.open(image);
  __atomic_store_n(&staticdl::g_fault_hook, static_cast<staticdl::FaultHook>(nullptr), __ATOMIC_RELAXED);
  return o;
}

struct Totals {
  int points = 0, clean_errors = 0, tolerated = 0, not_reached = 0, bad = 0;
};

}  // namespace

int main() {
  setup_host_scope();
  std::vector<uint8_t> image = read_file(plugin("libnat_hostcall.so"));
  if (image.empty()) return fprintf(stderr, "cannot read the hostcall fixture\n"), 1;
  if (!mkdtemp(g_cache_dir)) return perror("mkdtemp"), 1;
  const Scenario scenarios[] = {
      {"chain a->b->c (path)", open_chain, chain_works},
      {"chain a->b->c (relocation cache)", open_chain_cached, chain_works},
      {"chain a->b->c (a new namespace)", open_chain_new_namespace, chain_in_namespace_works},
      {"filter with a filtee and an auxiliary filtee (path)", open_filter, filter_works},
      {"hostcall (memory)", open_hostcall_mem, hostcall_works},
  };

  // Warm up: the registry's vectors and the host scope reach their steady
  // state, so that the dry run counts what every later open does.
  for (const Scenario& s : scenarios) {
    Opened o = s.open(image);
    if (!o || !s.works(o.m)) return fprintf(stderr, "%s: does not load without faults: %s\n", s.name, o.error.c_str()), 1;
    close(o.m);
  }
  const int fds0 = fd_count();
  const std::vector<std::string> odd0 = odd_anonymous_mappings();
  double t0 = now_seconds();
  Totals all;

  for (const Scenario& s : scenarios) {
    g_target_site = -1;
    Opened dry = hooked_open(s, image);
    if (!dry) return fprintf(stderr, "%s: dry run failed: %s\n", s.name, dry.error.c_str()), 1;
    close(dry.m);
    long counts[kSites];
    memcpy(counts, g_calls, sizeof counts);
    printf("native.fault: %s: calls per open:", s.name);
    for (int i = 0; i < kSites; i++) printf(" %s=%ld", kSiteNames[i], counts[i]);
    printf("\n");

    for (int site = 0; site < kSites; site++) {
      Totals t;
      for (long n = 1; n <= counts[site]; n++) {
        g_target_site = site, g_target_n = n;
        Opened o = hooked_open(s, image);
        t.points++;
        bool ok = true;
        if (!g_fired) {
          t.not_reached++;  // the open took another path this time
        } else if (o) {
          t.tolerated++;
          if (!s.works(o.m)) {
            ok = false;
            fprintf(stderr, "  %s: %s #%ld failed: the open succeeded but the object does not work\n", s.name,
                    kSiteNames[site], n);
          }
        } else if (o.code == staticdl::Errc::None || o.error.empty()) {
          ok = false;
          fprintf(stderr, "  %s: %s #%ld failed: error without a code or message\n", s.name, kSiteNames[site], n);
        } else {
          t.clean_errors++;
          if (n == 1 || getenv("SDL_FAULT_VERBOSE"))
            printf("  %s #%ld -> %s\n", kSiteNames[site], n, o.error.c_str());
        }
        if (o) close(o.m);
        // Nothing may remain: modules, fds, mappings.
        size_t left = module_count();
        int fds = fd_count();
        std::vector<std::string> mapped = maps_matching(plugin_dir()), cached = maps_matching(g_cache_dir);
        mapped.insert(mapped.end(), cached.begin(), cached.end());
        std::vector<std::string> odd = added(odd0, odd_anonymous_mappings());
        if (left || fds != fds0 || !mapped.empty() || !odd.empty()) {
          ok = false;
          fprintf(stderr, "  %s: %s #%ld failed: %zu modules left, fds %d (was %d), %zu plugin mappings, %zu new anonymous mappings\n",
                  s.name, kSiteNames[site], n, left, fds, fds0, mapped.size(), odd.size());
          for (const std::string& l : mapped) fprintf(stderr, "    %s\n", l.c_str());
          for (const std::string& l : odd) fprintf(stderr, "    %s\n", l.c_str());
        }
        if (!ok) t.bad++;
      }
      if (counts[site])
        printf("native.fault: %s: %-8s %3d points: %d clean errors, %d tolerated, %d not reached, %d bad\n", s.name,
               kSiteNames[site], t.points, t.clean_errors, t.tolerated, t.not_reached, t.bad);
      all.points += t.points, all.clean_errors += t.clean_errors, all.tolerated += t.tolerated;
      all.not_reached += t.not_reached, all.bad += t.bad;
    }
  }

  // The loader still works after all that.
  bool still = true;
  for (const Scenario& s : scenarios) {
    Opened o = s.open(image);
    still = still && o && s.works(o.m);
    if (o) close(o.m);
  }
  if (!still) fprintf(stderr, "native.fault: the loader no longer loads the fixtures after the injections\n");

  printf("native.fault: %d injection points exercised in %.1f s: %d clean errors, %d tolerated, %d not reached, "
         "%d bad\n",
         all.points, now_seconds() - t0, all.clean_errors, all.tolerated, all.not_reached, all.bad);
  std::string rm = std::string("rm -rf '") + g_cache_dir + "'";
  bool pass = all.bad == 0 && still && all.points > 0 && system(rm.c_str()) == 0;
  printf("native.fault: %s (LSan checks the heap at exit)\n", pass ? "PASSED" : "FAILED");
  return pass ? 0 : 1;
}
