/* rpath: glibc's rules for DT_RPATH beyond the requesting object.
 *   - an object without DT_RUNPATH searches its own DT_RPATH, then that of
 *     the object that loaded it, and on up (librh_top.so's DT_RPATH finds
 *     librh_mid.so's dependency);
 *   - DT_RUNPATH applies to the object's own dependencies only;
 *   - an object with both DT_RUNPATH and DT_RPATH has no DT_RPATH at all,
 *     also for the objects it loads (libra_top.so's DT_RPATH would find
 *     libra_mid.so's dependency);
 *   - a plugin's dlopen() searches its DT_RPATH for the object, but the
 *     object's own dependencies do not inherit it (glibc drops the caller
 *     as the loader: __RTLD_CALLMAP);
 *   - a dlopen() path may use $ORIGIN (the caller's directory), and
 *     errors name it as given; "$ORIGINx" is no variable;
 *   - an object opened by a relative path has an absolute $ORIGIN (the
 *     current directory then, not normalized), which keeps its meaning
 *     after the program changes directory;
 *   - dlinfo(RTLD_DI_SERINFO) lists the directories in that order, each
 *     list without repeats or trailing slashes; libsi_leaf.so (whose DT_RPATH
 *     repeats a directory) has DF_1_NODEFLIB (-z nodefaultlib), which leaves the system directories
 *     out, so the list is the same for both loaders. The library-path variable
 *     (STATICDL_LIBRARY_PATH / LD_LIBRARY_PATH) is <dir>/rpath/env. */
#include "common.h"

#include <stddef.h>
#include <unistd.h>

#ifndef __GLIBC__
#include <staticdl/staticdl.h> /* Dl_serinfo, RTLD_DI_SERINFO: not in musl's <dlfcn.h> */
#endif

typedef const char *(*StrFn)(void);
typedef void *(*OpenFn)(const char *);

static void show_serinfo(const char *label, void *h) {
  Dl_serinfo size;
  if (dlinfo(h, RTLD_DI_SERINFOSIZE, &size) != 0) {
    print_dlerror(label);
    return;
  }
  Dl_serinfo *si = (Dl_serinfo *)malloc(size.dls_size);
  si->dls_size = size.dls_size;
  si->dls_cnt = size.dls_cnt;
  if (dlinfo(h, RTLD_DI_SERINFO, si) != 0) {
    print_dlerror(label);
    free(si);
    return;
  }
  size_t strings = 0;
  for (unsigned i = 0; i < si->dls_cnt; i++) strings += strlen(si->dls_serpath[i].dls_name) + 1;
  printf("%s: %u directories; dls_size is the array and the names: %s\n", label, si->dls_cnt,
         size.dls_size == offsetof(Dl_serinfo, dls_serpath) + si->dls_cnt * sizeof(Dl_serpath) + strings ? "yes"
                                                                                                        : "no");
  for (unsigned i = 0; i < si->dls_cnt; i++) {
    char buf[4096];
    printf("  %s (flags %u)\n", replace_dir(si->dls_serpath[i].dls_name, buf, sizeof buf),
           si->dls_serpath[i].dls_flags);
  }
  free(si);
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  call_string_fn("librh_top.so", "rh_top");
  call_string_fn("librn_top.so", "rn_top");
  call_string_fn("libra_top.so", "ra_top");

  void *opener = must_open("librp_opener.so", RTLD_NOW);
  void *dyn = FN(OpenFn, opener, "rp_open")("libro_dyn.so");
  if (dyn) printf("dlopen(libro_dyn.so) from librp_opener.so: ro_dyn() = %s\n", FN(StrFn, dyn, "ro_dyn")());
  else print_dlerror("dlopen(libro_dyn.so) from librp_opener.so");
  fflush(stdout);
  printf("dlopen(libro_dyn.so) from the program: %s\n", dlopen("libro_dyn.so", RTLD_NOW | RTLD_NOLOAD) ? "the same object" : "not found");

  const char *dst_paths[] = {"$ORIGIN/rpath/dst/librd_leaf.so", "${ORIGIN}/rpath/dst/librd_leaf.so",
                             "$ORIGIN/rpath/nope/librd_leaf.so", "$ORIGINx/rpath/dst/librd_leaf.so"};
  void *first = NULL;
  for (int i = 0; i < 4; i++) {
    void *h = FN(OpenFn, opener, "rp_open")(dst_paths[i]);
    if (!h) {
      print_dlerror(dst_paths[i]);
      continue;
    }
    printf("%s: rd_leaf() = %s%s\n", dst_paths[i], FN(StrFn, h, "rd_leaf")(),
           first && h == first ? " (the same object)" : "");
    if (!first) first = h;
  }

  void *leaf = FN(OpenFn, opener, "rp_open")("libsi_leaf.so");
  if (leaf) show_serinfo("libsi_leaf.so, opened by librp_opener.so", leaf);
  else print_dlerror("dlopen(libsi_leaf.so) from librp_opener.so");

  if (chdir(test_dir) != 0) return 1;
  fflush(stdout);
  void *rel = dlopen("./librp_relopener.so", RTLD_NOW);
  if (chdir("/") != 0 || !rel) return 1;
  char origin[4096], buf[4096];
  if (dlinfo(rel, RTLD_DI_ORIGIN, origin) == 0)
    printf("./librp_relopener.so: RTLD_DI_ORIGIN %s\n", replace_dir(origin, buf, sizeof buf));
  void *dep = FN(OpenFn, rel, "rp_open")("libro_dep.so");
  if (dep) printf("after chdir(\"/\"), dlopen(libro_dep.so) from it: ro_dep() = %s\n", FN(StrFn, dep, "ro_dep")());
  else print_dlerror("after chdir(\"/\"), dlopen(libro_dep.so) from it");
  return 0;
}
