/* scope: RTLD_LOCAL vs RTLD_GLOBAL, RTLD_NOLOAD (including promotion to
 * RTLD_GLOBAL) and RTLD_NODELETE. */
#include "common.h"

static const char *found(void *p) {
  dlerror();
  return p ? "found" : "not found";
}

int main(int argc, char **argv) {
  void *hloc, *hglob, *hprov, *hneeds, *h, *hnd;
  test_init(argc, argv);

  /* dlsym(RTLD_DEFAULT) sees RTLD_GLOBAL libraries only. */
  hloc = must_open("libloc.so", RTLD_NOW | RTLD_LOCAL);
  hglob = must_open("libglobal.so", RTLD_NOW | RTLD_GLOBAL);
  printf("RTLD_DEFAULT local_sym (RTLD_LOCAL lib): %s\n", found(dlsym(RTLD_DEFAULT, "local_sym")));
  printf("RTLD_DEFAULT global_sym (RTLD_GLOBAL lib): %s\n", found(dlsym(RTLD_DEFAULT, "global_sym")));
  printf("RTLD_DEFAULT global_sym is the lib's: %s\n",
         dlsym(RTLD_DEFAULT, "global_sym") == dlsym(hglob, "global_sym") ? "yes" : "no");
  printf("local_sym through its handle: %d\n", FN(int (*)(void), hloc, "local_sym")());

  /* A later plugin's undefined reference resolves against an earlier
   * RTLD_GLOBAL plugin ... */
  h = must_open("libneeds_global.so", RTLD_NOW);
  printf("needs_global_fn() = %d\n", FN(int (*)(void), h, "needs_global_fn")());
  dlclose(h);

  /* ... and not against an RTLD_LOCAL one. */
  hprov = must_open("libprovider.so", RTLD_NOW | RTLD_LOCAL);
  fflush(stdout);
  hneeds = dlopen(plugin_path("libneeds.so"), RTLD_NOW);
  printf("libneeds.so with provider RTLD_LOCAL: %s\n", hneeds ? "loaded" : "failed");
  if (!hneeds) print_dlerror("dlerror");

  /* RTLD_NOLOAD: NULL for a library that is not loaded ... */
  fflush(stdout);
  h = dlopen(plugin_path("libnodelete.so"), RTLD_NOW | RTLD_NOLOAD);
  printf("RTLD_NOLOAD not-loaded lib: %s\n", h ? "handle" : "NULL");
  dlerror();
  /* ... the same handle for a loaded one, promoting it to RTLD_GLOBAL. */
  h = dlopen(plugin_path("libprovider.so"), RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
  printf("RTLD_NOLOAD|RTLD_GLOBAL loaded lib: %s\n",
         h == hprov ? "same handle" : h ? "other handle" : "NULL");
  {
    /* RTLD_NOLOAD by another path to a loaded file: glibc opens the file
     * the path names and compares it with the loaded ones. */
    char other[4096];
    void *h2;
    snprintf(other, sizeof other, "%s/./libprovider.so", test_dir);
    h2 = dlopen(other, RTLD_NOW | RTLD_NOLOAD);
    printf("RTLD_NOLOAD by another path: %s\n", h2 == hprov ? "same handle" : h2 ? "other handle" : "NULL");
    if (h2) dlclose(h2);
    snprintf(other, sizeof other, "%s/./libnothere.so", test_dir);
    h2 = dlopen(other, RTLD_NOW | RTLD_NOLOAD);
    printf("RTLD_NOLOAD of a missing file: %s\n", h2 ? "handle" : "NULL");
    print_dlerror("  dlerror");
  }
  printf("RTLD_DEFAULT provided_fn after promotion: %s\n", found(dlsym(RTLD_DEFAULT, "provided_fn")));
  hneeds = must_open("libneeds.so", RTLD_NOW);
  printf("needs_fn() after promotion = %d\n", FN(int (*)(void), hneeds, "needs_fn")());
  dlclose(hneeds);
  dlclose(h);     /* the RTLD_NOLOAD reference */
  dlclose(hprov);

  /* A plain library is gone after its last dlclose. */
  printf("dlclose libloc.so = %d\n", dlclose(hloc));
  fflush(stdout);
  h = dlopen(plugin_path("libloc.so"), RTLD_NOW | RTLD_NOLOAD);
  printf("RTLD_NOLOAD after dlclose (plain): %s\n", h ? "handle" : "NULL");
  dlerror();

  /* RTLD_NODELETE: stays loaded and keeps its data after dlclose. */
  hnd = must_open("libnodelete.so", RTLD_NOW | RTLD_NODELETE);
  FN(int (*)(void), hnd, "nodelete_next")();
  FN(int (*)(void), hnd, "nodelete_next")();
  printf("nodelete_next() = %d\n", FN(int (*)(void), hnd, "nodelete_next")());
  printf("dlclose libnodelete.so = %d\n", dlclose(hnd));
  fflush(stdout);
  h = dlopen(plugin_path("libnodelete.so"), RTLD_NOW | RTLD_NOLOAD);
  printf("RTLD_NOLOAD after dlclose (RTLD_NODELETE): %s\n", h ? "handle" : "NULL");
  if (!h) return 1;
  printf("nodelete_next() after reopen = %d\n", FN(int (*)(void), h, "nodelete_next")());
  dlclose(h);
  dlclose(hglob);
  return 0;
}
