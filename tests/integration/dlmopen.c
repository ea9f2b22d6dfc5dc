/* dlmopen: link-map namespaces. Each namespace has its own copy of every
 * object loaded into it (own data, own dependencies), its own global scope
 * (the first object loaded into it and that object's dependencies), and
 * dlopen called by code in a namespace loads into that namespace. The
 * plugins print nothing: under glibc every namespace has its own libc and
 * its own stdout buffer. */
#include "common.h"

#ifndef __GLIBC__
#include <staticdl/staticdl.h> /* dlmopen, Lmid_t, LM_ID_*: not in musl's <dlfcn.h> */
#endif

typedef int (*IntFn)(void);
typedef void *(*OpenFn)(const char *, int);
typedef void *(*SymFn)(const char *);

static long lmid_of(void *h) {
  Lmid_t l = -99;
  if (dlinfo(h, RTLD_DI_LMID, &l) != 0) print_dlerror("dlinfo");
  return (long)l;
}

static void *ns_open(Lmid_t lmid, const char *name, int flags) {
  fflush(stdout);
  return dlmopen(lmid, name ? plugin_path(name) : NULL, flags);
}

static void *must_ns_open(Lmid_t lmid, const char *name, int flags) {
  void *h = ns_open(lmid, name, flags);
  if (!h) {
    print_dlerror("FAIL: dlmopen");
    exit(1);
  }
  return h;
}

static void expect_error(const char *label, Lmid_t lmid, const char *name, int flags) {
  if (ns_open(lmid, name, flags)) printf("%s: loaded\n", label);
  else print_dlerror(label);
}

/* How many copies of `name` are mapped: its executable mappings in
 * /proc/self/maps (one per copy). dl_iterate_phdr cannot count them: in
 * glibc it reports the calling code's namespace only, staticdl all of
 * them (dlmopen_staticdl). */
static int copies(const char *name) {
  char line[4096];
  int n = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    if (strstr(line, " r-xp ") && !strcmp(base_name(line), name)) n++;
  }
  fclose(f);
  return n;
}

static void show_counter(const char *label, void *h) {
  int first = FN(IntFn, h, "bump")();
  int second = FN(IntFn, h, "bump")();
  int dep = FN(IntFn, h, "bump_dep")();
  printf("%s: lmid %ld, bump() %d then %d, dep_bump() %d\n", label, lmid_of(h), first, second, dep);
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *base = must_open("libns_plugin.so", RTLD_NOW);
  show_counter("dlopen", base);

  void *ns1 = must_ns_open(LM_ID_NEWLM, "libns_plugin.so", RTLD_NOW);
  show_counter("dlmopen(LM_ID_NEWLM)", ns1);
  printf("a second copy: handle %s, bump %s\n", ns1 != base ? "differs" : "same",
         dlsym(ns1, "bump") != dlsym(base, "bump") ? "differs" : "same");
  printf("the first copy's counter: bump() %d\n", FN(IntFn, base, "bump")());
  long l1 = lmid_of(ns1);
  void *ns2 = must_ns_open(LM_ID_NEWLM, "libns_plugin.so", RTLD_LAZY);
  show_counter("dlmopen(LM_ID_NEWLM) again", ns2);
  printf("copies of libns_plugin.so: %d, of libns_dep.so: %d\n", copies("libns_plugin.so"), copies("libns_dep.so"));

  /* The same name in the same namespace is the same object. */
  printf("dlmopen(%ld) is the namespace's copy: %s\n", l1, ns_open(l1, "libns_plugin.so", RTLD_NOW) == ns1 ? "yes" : "no");
  printf("dlmopen(LM_ID_BASE) is dlopen's: %s\n", ns_open(LM_ID_BASE, "libns_plugin.so", RTLD_NOW) == base ? "yes" : "no");
  printf("RTLD_NOLOAD in %ld: %s\n", l1, ns_open(l1, "libns_plugin.so", RTLD_NOW | RTLD_NOLOAD) == ns1 ? "the namespace's copy" : "other");
  void *none = ns_open(LM_ID_NEWLM, "libns_plugin.so", RTLD_NOW | RTLD_NOLOAD);
  printf("RTLD_NOLOAD in a new namespace: %s, dlerror() %s\n", none ? "a handle" : "NULL", dlerror() ? "set" : "NULL");
  printf("dlmopen(LM_ID_BASE, NULL): %s\n", ns_open(LM_ID_BASE, NULL, RTLD_NOW) ? "the program's handle" : "NULL");

  /* Code in namespace l1 opens into l1; its scope is l1's. */
  void *second = FN(OpenFn, ns1, "open_from_plugin")(plugin_path("libns_second.so"), RTLD_NOW);
  if (!second) print_dlerror("open_from_plugin");
  printf("dlopen from the plugin in %ld: lmid %ld, visible to the program's dlopen: %s\n", l1, lmid_of(second),
         ns_open(LM_ID_BASE, "libns_second.so", RTLD_NOW | RTLD_NOLOAD) ? "yes" : "no");
  int via_second = FN(IntFn, second, "call_bump")();
  printf("in %ld: call_bump() %d (libns_plugin.so's bump() next: %d)\n", l1, via_second, FN(IntFn, ns1, "bump")());
  printf("in %ld: dlsym(RTLD_DEFAULT, \"bump\") from libns_second.so is libns_plugin.so's: %s\n", l1,
         FN(SymFn, second, "second_default")("bump") == dlsym(ns1, "bump") ? "yes" : "no");
  printf("in %ld: dlsym(RTLD_DEFAULT, \"bump\") from libns_plugin.so is its own: %s\n", l1,
         FN(SymFn, ns1, "default_sym")("bump") == dlsym(ns1, "bump") ? "yes" : "no");
  void *second0 = must_open("libns_second.so", RTLD_NOW);
  printf("in 0: call_bump() %d, dlsym(RTLD_DEFAULT, \"bump\") from libns_second.so is its own: %s\n",
         FN(IntFn, second0, "call_bump")(),
         FN(SymFn, second0, "second_default")("bump") == dlsym(second0, "bump") ? "yes" : "no");

  expect_error("dlmopen(LM_ID_NEWLM, NULL)", LM_ID_NEWLM, NULL, RTLD_NOW);
  expect_error("RTLD_GLOBAL in a new namespace", LM_ID_NEWLM, "libns_plugin.so", RTLD_NOW | RTLD_GLOBAL);
  expect_error("RTLD_GLOBAL in a used namespace", l1, "libns_plugin.so", RTLD_NOW | RTLD_GLOBAL);
  expect_error("an empty namespace", 7, "libns_plugin.so", RTLD_NOW);
  expect_error("a negative namespace", -7, "libns_plugin.so", RTLD_NOW);
  expect_error("namespace 1000", 1000, "libns_plugin.so", RTLD_NOW);
  expect_error("no RTLD_NOW or RTLD_LAZY", LM_ID_NEWLM, "libns_plugin.so", 0);
  expect_error("a missing file", LM_ID_NEWLM, "libns_missing.so", RTLD_NOW);

  /* Closing every handle of namespace l1 empties it: LM_ID_NEWLM takes it
   * again, with fresh copies. */
  dlclose(second);
  for (int i = 0; i < 3; i++) dlclose(ns1);
  printf("after dlclose: copies of libns_plugin.so %d, of libns_second.so %d\n", copies("libns_plugin.so"),
         copies("libns_second.so"));
  void *again = must_ns_open(LM_ID_NEWLM, "libns_plugin.so", RTLD_NOW);
  show_counter("dlmopen(LM_ID_NEWLM) after that", again);
  printf("the same namespace again: %s\n", lmid_of(again) == l1 ? "yes" : "no");
  dlclose(again);
  dlclose(ns2);
  dlclose(second0);
  dlclose(base);
  dlclose(base); /* opened twice: dlopen and dlmopen(LM_ID_BASE) */
  printf("at the end: copies of libns_plugin.so %d\n", copies("libns_plugin.so"));
  return 0;
}
