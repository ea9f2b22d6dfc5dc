/* RTLD_DEFAULT finds what the system loader loads later with RTLD_GLOBAL:
 * staticdl indexes ld.so's objects (with a filter over all their symbols)
 * once per change of ld.so's list, and a lookup that misses looks again
 * after a change. argv[1]: the fixture directory. */
#include "common.h"

static const char* found(void* p) { return p ? "found" : "absent"; }

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  printf("before: %s\n", found(DL_SYM(RTLD_DEFAULT, "hy_second_value")));
  (void)DL_ERROR();
  void* g = system_open_or_die(argv[1], "libhy_second.so", RTLD_NOW | RTLD_GLOBAL);
  int (*value)(void) = (int (*)(void))DL_SYM(RTLD_DEFAULT, "hy_second_value");
  printf("after: %s, value %d\n", found((void*)value), value ? value() : -1);
  printf("a name nothing defines: %s\n", found(DL_SYM(RTLD_DEFAULT, "hy_no_such_symbol")));
  dlclose(g);
  return 0;
}
