/* next: dlsym(RTLD_NEXT) from a plugin searches, as glibc's, the objects
 * after it in the tree its dlopen loaded (its dependency, then the C
 * library), and not the global scope: libbasic.so, opened RTLD_GLOBAL
 * first, is not searched. A name the plugin defines again after its
 * dependency is the dependency's. (The program's own symbols are left
 * out: a static host is the program and its C library in one object, so
 * staticdl finds them where glibc does not; README, Limits.) */
#include "common.h"

int host_callback(int x) { return x; } /* libbasic.so's callback */

typedef void *(*LookupFn)(const char *);

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *global = must_open("libbasic.so", RTLD_NOW | RTLD_GLOBAL);
  void *h = must_open("libnext.so", RTLD_NOW);
  LookupFn next = FN(LookupFn, h, "next_lookup");
  printf("next_call_dep() = %d\n", FN(int (*)(void), h, "next_call_dep")());
  const char *names[] = {"malloc", "next_dep_fn", "next_self_fn", "basic_add", "nope"};
  for (int i = 0; i < 5; i++) {
    void *p = next(names[i]);
    char buf[4096];
    const char *e = dlerror();
    printf("RTLD_NEXT from libnext.so, %s: %s%s%s\n", names[i], p ? "found" : "NULL", e ? "; dlerror " : "",
           e ? replace_dir(e, buf, sizeof buf) : "");
  }
  int (*shared)(void) = (int (*)(void))next("next_shared_fn");
  printf("next_shared_fn through RTLD_NEXT: %d (the dependency's is 2)\n", shared ? shared() : -1);
  printf("malloc through RTLD_NEXT is RTLD_DEFAULT's: %s\n", next("malloc") == dlsym(RTLD_DEFAULT, "malloc") ? "yes" : "no");
  dlclose(h);
  dlclose(global);
  return 0;
}
