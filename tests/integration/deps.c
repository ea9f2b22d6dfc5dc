/* deps: liba.so -> libb.so -> libc_chain.so, each DT_NEEDED found through
 * DT_RUNPATH $ORIGIN. Only liba.so is opened by path. */
#include "common.h"

static void show_noload(const char *label, const char *name) {
  void *h;
  fflush(stdout);
  h = dlopen(name, RTLD_NOW | RTLD_NOLOAD);
  printf("%s: %s\n", label, h ? "loaded" : "not loaded");
  if (h) dlclose(h);
  else dlerror();
}

int main(int argc, char **argv) {
  void *h;
  struct link_map *lm = NULL;
  test_init(argc, argv);
  h = must_open("liba.so", RTLD_NOW | RTLD_LOCAL);
  printf("chain_a(4) = %d\n", FN(int (*)(int), h, "chain_a")(4));
  /* dlsym on a handle searches its dependencies too. */
  printf("chain_c via liba handle = %d\n", FN(int (*)(int), h, "chain_c")(4));
  /* RTLD_LOCAL: the dependencies are not in the global scope either. */
  dlerror();
  printf("RTLD_DEFAULT chain_c: %s\n", dlsym(RTLD_DEFAULT, "chain_c") ? "found" : "not found");
  dlerror();
  show_noload("libb.so by path", plugin_path("libb.so"));
  show_noload("libc_chain.so by DT_NEEDED name", "libc_chain.so");
  /* The link map lists the object and then its dependencies. */
  if (dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm) {
    printf("link_map:");
    for (; lm; lm = lm->l_next) {
      const char *b = base_name(lm->l_name);
      if (!strcmp(b, "liba.so") || !strcmp(b, "libb.so") || !strcmp(b, "libc_chain.so"))
        printf(" %s", b);
    }
    printf("\n");
  }
  printf("dlclose = %d\n", dlclose(h));
  show_noload("after dlclose liba.so", plugin_path("liba.so"));
  show_noload("after dlclose libb.so", plugin_path("libb.so"));
  show_noload("after dlclose libc_chain.so", plugin_path("libc_chain.so"));
  return 0;
}
