/* NODELETE: a module linked with -z nodelete (or opened RTLD_NODELETE)
 * keeps its data across dlclose and reopen, and its destructor runs at
 * exit, not at dlclose; a plain module is unloaded by its last dlclose
 * (its destructor runs) and starts over. */
#include "common.h"

static void round_trip(const char* dir, const char* name, int flags) {
  void* h = open_or_die(dir, name, RTLD_NOW | flags);
  int (*next)(void) = (int (*)(void))sym_or_die(h, "nd_next");
  int a = next();
  int b = next();
  DL_CLOSE(h);
  h = open_or_die(dir, name, RTLD_NOW);
  *(void**)&next = sym_or_die(h, "nd_next");
  printf("%s%s: %d %d, after dlclose and reopen %d\n", name, flags ? " (RTLD_NODELETE)" : "", a, b, next());
  DL_CLOSE(h);
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  round_trip(argv[1], "libhy_nodelete.so", 0);
  round_trip(argv[1], "libhy_deletable.so", 0);
  round_trip(argv[1], "libhy_nodelete_flag.so", RTLD_NODELETE);
  printf("exit\n");
  return 0;
}
