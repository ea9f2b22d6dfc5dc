/* A bare name is searched in LD_LIBRARY_PATH as ld.so read it at startup
 * (set by the test: $ORIGIN/ldorigin:<fixtures>/ldpath, $ORIGIN being the
 * program's directory); a value set later is not looked at, as ld.so does
 * not. argv[1]: the fixture directory. */
#include "common.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* h = DL_OPEN("libhy_ldpath.so", RTLD_NOW);
  if (!h) {
    printf("libhy_ldpath.so: %s\n", DL_ERROR());
    return 1;
  }
  printf("from LD_LIBRARY_PATH: %d\n", ((int (*)(void))DL_SYM(h, "hy_ldpath_value"))());
  void* o = DL_OPEN("libhy_ldorigin.so", RTLD_NOW);
  if (o)
    printf("from $ORIGIN/ldorigin: %d\n", ((int (*)(void))DL_SYM(o, "hy_ldorigin_value"))());
  else
    printf("libhy_ldorigin.so: %s\n", DL_ERROR());
  char late[4096];
  snprintf(late, sizeof late, "%s/ldpath_late", argv[1]);
  setenv("LD_LIBRARY_PATH", late, 1);
  void* l = DL_OPEN("libhy_ldpath_late.so", RTLD_NOW);
  printf("after setenv: %s\n", l ? "found" : DL_ERROR());
  if (o) DL_CLOSE(o);
  DL_CLOSE(h);
  return 0;
}
