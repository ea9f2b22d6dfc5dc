/* deepbind: RTLD_DEEPBIND puts an object's own local scope (itself and its
 * dependencies) before the global scope for its relocations and for its
 * dlsym(RTLD_DEFAULT) calls; without it the global scope (the host, then
 * RTLD_GLOBAL libraries) comes first. */
#include "common.h"

#ifndef __GLIBC__
#include <staticdl/staticdl.h> /* RTLD_DEEPBIND, which musl's <dlfcn.h> lacks */
#endif

static void show(const char *label, int flags) {
  void *h = must_open("libdeep.so", flags);
  printf("%s: deep_call() = %d, dlsym(RTLD_DEFAULT) from the plugin = %d\n", label,
         FN(int (*)(void), h, "deep_call")(), FN(int (*)(void), h, "deep_default")());
  dlclose(h);
  printf("%s: libdeep.so loaded after dlclose: %s\n", label, plugin_loaded("libdeep.so") ? "yes" : "no");
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *global = must_open("libdeep_global.so", RTLD_NOW | RTLD_GLOBAL);
  show("RTLD_NOW", RTLD_NOW);
  show("RTLD_NOW | RTLD_DEEPBIND", RTLD_NOW | RTLD_DEEPBIND);
  show("RTLD_LAZY | RTLD_DEEPBIND", RTLD_LAZY | RTLD_DEEPBIND);
  dlclose(global);
  return 0;
}
