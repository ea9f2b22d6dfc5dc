/* search: how a bare library name is found (glibc's order).
 *   - the library-path variable (STATICDL_LIBRARY_PATH for staticdl,
 *     LD_LIBRARY_PATH for glibc; both set by CTest to <dir>/search/env)
 *     finds a DT_NEEDED dependency and a bare dlopen() name;
 *   - DT_RPATH (with $ORIGIN) is searched before the library path;
 *   - DT_RUNPATH (with $ORIGIN) is searched after it;
 *   - DT_RPATH is ignored when the object also has DT_RUNPATH.
 * Each case uses its own library names, since a loaded library satisfies
 * later requests for the same name. */
#include "common.h"

static void *h_all[16];
static int n_all;

static void call(const char *lib, const char *fn) {
  void *h = call_string_fn(lib, fn);
  if (h) h_all[n_all++] = h;
}

int main(int argc, char **argv) {
  void *h;
  int i;
  test_init(argc, argv);

  /* The library path finds a dependency, and a bare dlopen() name. */
  call("libsp_envuser.so", "sp_envuser");
  fflush(stdout);
  h = dlopen("libsp_envopen.so", RTLD_NOW);
  if (h) {
    printf("dlopen(libsp_envopen.so): %s\n", FN(const char *(*)(void), h, "sp_envopen")());
    h_all[n_all++] = h;
  } else {
    print_dlerror("dlopen(libsp_envopen.so)");
  }

  /* DT_RPATH $ORIGIN/search/rp. */
  call("libsp_rptop.so", "sp_rptop");
  /* DT_RPATH comes before the library path (both have libsp_ord1.so). */
  call("libsp_ord1top.so", "sp_ord1top");
  /* DT_RUNPATH comes after the library path (both have libsp_ord2.so). */
  call("libsp_ord2top.so", "sp_ord2top");
  /* DT_RUNPATH $ORIGIN/search/sub. */
  call("libsp_origin.so", "sp_origin");
  /* DT_RUNPATH $ORIGIN/search/runp and DT_RPATH $ORIGIN/search/rp: the
   * DT_RPATH is ignored, so search/runp's copy is found... */
  call("libsp_both.so", "sp_both");
  /* ...and a library only in the ignored DT_RPATH is not found at all. */
  call("libsp_both2.so", "sp_both2");

  for (i = n_all; i-- > 0;) dlclose(h_all[i]);
  printf("done\n");
  return 0;
}
