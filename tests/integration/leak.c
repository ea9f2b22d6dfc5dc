/* leak: 1000 rounds of dlopen/dlsym/dlclose leave the number of mappings
 * (/proc/self/maps lines) and open descriptors (/proc/self/fd) unchanged. */
#include "common.h"

static int count_maps(void) { return count_module_maps(NULL, NULL); }

static void round_trip(void) {
  void *h = must_open("libleak.so", RTLD_NOW);
  CHECK(FN(int (*)(void), h, "leak_next")() == 1);
  CHECK(dlclose(h) == 0);
}

int main(int argc, char **argv) {
  int maps0, fds0, maps1, fds1, i;
  test_init(argc, argv);
  /* Warm up: first-use allocations (malloc arenas, registries) are not
   * leaks, and musl's mallocng takes a hundred or so rounds to settle on
   * its groups for a size class. */
  for (i = 0; i < 200; i++) round_trip();
  maps0 = count_maps();
  fds0 = count_fds();
  for (i = 0; i < 1000; i++) round_trip();
  maps1 = count_maps();
  fds1 = count_fds();
  if (maps0 == maps1) printf("maps stable\n");
  else printf("maps changed: %d -> %d\n", maps0, maps1);
  if (fds0 == fds1) printf("fds stable\n");
  else printf("fds changed: %d -> %d\n", fds0, fds1);
  return 0;
}
