/* nested: the loader called from inside a loader call. A constructor may
 * dlopen (the object it opens is initialized then, inside it), dlsym and
 * call into it, see a failed dlopen, and find its own object with
 * RTLD_NOLOAD, which counts as an open (two dlcloses unload it). The
 * error of a failed nested dlopen, the constructor's last call, is what
 * dlerror() gives the program after its own dlopen succeeded (glibc keeps
 * an error a nested call made). A destructor may dlclose: the object it
 * closes is unloaded after that destructor returns, once the outer
 * dlclose is done with its own objects (glibc's dl_close_state "rerun"). */
#include "common.h"

static void show_loaded(void) {
  printf("loaded: libnest_outer.so %s, libnest_inner.so %s\n", plugin_loaded("libnest_outer.so") ? "yes" : "no",
         plugin_loaded("libnest_inner.so") ? "yes" : "no");
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *outer = must_open("libnest_outer.so", RTLD_NOW);
  char buf[4096];
  const char *e = dlerror();
  printf("dlerror() after dlopen(libnest_outer.so): %s\n", e ? replace_dir(e, buf, sizeof buf) : "NULL");
  printf("its constructor's RTLD_NOLOAD handle is dlopen's: %s\n",
         FN(void *(*)(void), outer, "nest_self")() == outer ? "yes" : "no");
  show_loaded();
  printf("dlclose(libnest_outer.so) = %d\n", dlclose(outer));
  show_loaded();
  fflush(stdout);
  printf("dlclose(libnest_outer.so) again = %d\n", dlclose(outer));
  show_loaded();
  return 0;
}
