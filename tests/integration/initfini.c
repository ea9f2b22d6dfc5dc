/* initfini: constructors, DT_INIT_ARRAY, DT_FINI_ARRAY and destructors
 * across libinit_a.so -> libinit_b.so -> libinit_c.so: dependencies are
 * initialised first and finalised last, at dlclose and at exit (a chain
 * left open at exit is finalised after main returns). */
#include "common.h"

int main(int argc, char **argv) {
  void *h;
  test_init(argc, argv);
  printf("-- dlopen\n");
  h = must_open("libinit_a.so", RTLD_NOW);
  printf("-- call: %d\n", FN(int (*)(void), h, "initfini_a")());
  printf("-- dlclose\n");
  fflush(stdout);
  printf("dlclose = %d\n", dlclose(h));
  printf("-- dlopen again, left open\n");
  h = must_open("libinit_a.so", RTLD_NOW);
  printf("-- main returns\n");
  fflush(stdout);
  return 0;
}
