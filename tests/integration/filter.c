/* filter: DT_FILTER and DT_AUXILIARY objects, as glibc's ld.so loads them.
 * The filtee goes into every search list just before its filter, so its
 * definitions win over the filter's own; a symbol only the filter defines
 * is still found there. A DT_FILTER filtee must load; a DT_AUXILIARY one
 * may be missing. The filtee is a dependency of the filter: initialized
 * before it, finalized after it, and before it in the link map (and
 * in dl_iterate_phdr's order). */
#include "common.h"

static int show_phdr(struct dl_phdr_info *info, size_t size, void *data) {
  const char *b = base_name(info->dlpi_name);
  (void)size, (void)data;
  if (!strncmp(b, "libflt", 6)) printf(" %s", b);
  return 0;
}

static void show_link_map(void *h) {
  struct link_map *lm = NULL;
  if (dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0 || !lm) return;
  while (lm->l_prev) lm = lm->l_prev;
  printf("link_map:");
  for (; lm; lm = lm->l_next) {
    const char *b = base_name(lm->l_name);
    if (!strncmp(b, "libflt", 6)) printf(" %s", b);
  }
  printf("\ndl_iterate_phdr:");
  dl_iterate_phdr(show_phdr, NULL);
  printf("\n");
}

int main(int argc, char **argv) {
  void *h, *u, *a;
  Dl_info info;
  test_init(argc, argv);

  h = must_open("libflt.so", RTLD_NOW | RTLD_LOCAL);
  printf("filtee loaded: %d\n", plugin_loaded("libfltee.so"));
  printf("flt_value via the filter's handle = %d\n", FN(int (*)(void), h, "flt_value")());
  printf("flt_data via the filter's handle = %d\n", *(int *)must_sym(h, "flt_data"));
  printf("flt_only = %d\n", FN(int (*)(void), h, "flt_only")());
  printf("flt_call_value (the filter's own PLT call) = %d\n", FN(int (*)(void), h, "flt_call_value")());
  if (dladdr(must_sym(h, "flt_value"), &info) && info.dli_fname)
    printf("dladdr(flt_value): %s\n", base_name(info.dli_fname));
  show_link_map(h);

  u = must_open("libfltuser.so", RTLD_NOW | RTLD_LOCAL);
  printf("flt_user (libfltuser.so -> libflt.so) = %d\n", FN(int (*)(void), u, "flt_user")());
  printf("flt_value via libfltuser.so's handle = %d\n", FN(int (*)(void), u, "flt_value")());
  printf("dlclose libfltuser.so = %d\n", dlclose(u));

  a = must_open("libfltaux.so", RTLD_NOW | RTLD_GLOBAL);
  printf("aux_value via handle = %d\n", FN(int (*)(void), a, "aux_value")());
  printf("aux_value via RTLD_DEFAULT = %d\n", ((int (*)(void))dlsym(RTLD_DEFAULT, "aux_value"))());
  printf("aux_only = %d\n", FN(int (*)(void), a, "aux_only")());
  printf("auxiliary filtee loaded: %d, missing one loaded: %d\n", plugin_loaded("libfltauxee.so"),
         plugin_loaded("libfltnone.so"));
  printf("dlclose libfltaux.so = %d\n", dlclose(a));
  printf("after dlclose: libfltaux.so %d, libfltauxee.so %d\n", plugin_loaded("libfltaux.so"),
         plugin_loaded("libfltauxee.so"));

  fflush(stdout);
  printf("dlopen libfltbad.so: %s\n", dlopen(plugin_path("libfltbad.so"), RTLD_NOW) ? "loaded" : "NULL");
  print_dlerror("dlerror");
  printf("libfltbad.so loaded: %d\n", plugin_loaded("libfltbad.so"));

  printf("dlclose libflt.so = %d\n", dlclose(h));
  printf("after dlclose: libflt.so %d, libfltee.so %d\n", plugin_loaded("libflt.so"), plugin_loaded("libfltee.so"));

  /* A filtee that breadth first comes after its filter is moved up. */
  h = must_open("libfltmix.so", RTLD_NOW | RTLD_LOCAL);
  printf("flt_mix = %d, flt_value via libfltmix.so's handle = %d\n", FN(int (*)(void), h, "flt_mix")(),
         FN(int (*)(void), h, "flt_value")());
  show_link_map(h);
  printf("dlclose libfltmix.so = %d\n", dlclose(h));

  /* The filtee loaded first, on its own, then another object, then the
   * filter, RTLD_GLOBAL: the global scope has the filtee before the filter,
   * and the link map moves the filtee (loaded earlier) to just before it. */
  u = must_open("libfltee.so", RTLD_NOW | RTLD_LOCAL);
  a = must_open("libfltaux.so", RTLD_NOW | RTLD_LOCAL);
  h = must_open("libflt.so", RTLD_NOW | RTLD_GLOBAL);
  show_link_map(h);
  printf("flt_value via RTLD_DEFAULT = %d\n", ((int (*)(void))dlsym(RTLD_DEFAULT, "flt_value"))());
  printf("flt_only via RTLD_DEFAULT = %d\n", ((int (*)(void))dlsym(RTLD_DEFAULT, "flt_only"))());
  printf("dlclose libflt.so = %d\n", dlclose(h));
  printf("dlclose libfltaux.so = %d\n", dlclose(a));
  printf("dlclose libfltee.so = %d\n", dlclose(u));
  return 0;
}
