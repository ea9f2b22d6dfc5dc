/* search_staticdl: staticdl_add_search_dir() and STATICDL_LIBRARY_PATH
 * set with setenv() while the program runs (read at each search).
 *   - a bare dlopen() name is found in a configured directory, and so is a
 *     DT_NEEDED of a library opened by path;
 *   - STATICDL_LIBRARY_PATH comes before configured directories;
 *   - an element of STATICDL_LIBRARY_PATH that uses an unknown $VAR is
 *     skipped; an empty element is the current directory.
 * staticdl-only (glibc has no staticdl_add_search_dir; LD_LIBRARY_PATH is
 * read once at startup). */
#include "common.h"
#include <staticdl/staticdl.h>
#include <unistd.h>

static void open_bare(const char *name, const char *fn) {
  void *h;
  fflush(stdout);
  h = dlopen(name, RTLD_NOW);
  if (!h) {
    print_dlerror(name);
    return;
  }
  printf("%s: %s() = %s\n", name, fn, FN(const char *(*)(void), h, fn)());
}

int main(int argc, char **argv) {
  char buf[8192];
  void *h;
  test_init(argc, argv);
  unsetenv("STATICDL_LIBRARY_PATH");

  open_bare("libsp_cfg.so", "sp_cfg");
  printf("staticdl_add_search_dir = %d\n", staticdl_add_search_dir(plugin_path("search/cfg")));
  open_bare("libsp_cfg.so", "sp_cfg");

  /* A DT_NEEDED (no DT_RPATH/DT_RUNPATH) found in the configured dir. */
  h = must_open("libsp_cfguser.so", RTLD_NOW);
  printf("libsp_cfguser.so: sp_cfguser() = %s\n", FN(const char *(*)(void), h, "sp_cfguser")());

  /* The environment variable comes before the configured directories. */
  snprintf(buf, sizeof buf, "%s/search/nonexistent:$FOO/x:%s", test_dir, plugin_path("search/env"));
  setenv("STATICDL_LIBRARY_PATH", buf, 1);
  open_bare("libsp_cfgord.so", "sp_cfgord");

  /* An empty element is the current directory. */
  if (chdir(plugin_path("search/cwd")) != 0) {
    printf("FAIL: chdir\n");
    return 1;
  }
  setenv("STATICDL_LIBRARY_PATH", "/nonexistent::/nonexistent2", 1);
  open_bare("libsp_cwd.so", "sp_cwd");
  unsetenv("STATICDL_LIBRARY_PATH");
  open_bare("libsp_nowhere.so", "sp_nowhere");
  printf("done\n");
  return 0;
}
