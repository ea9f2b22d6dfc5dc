/* A library the system loader has loaded (RTLD_LOCAL) is not loaded a
 * second time when a DT_NEEDED entry asks for it under another name of the
 * same file: like ld.so, staticdl compares the identity (st_dev, st_ino) of
 * the file its search opened with the loaded objects', binds the needing
 * object to the loaded one, and from then on knows the object by that name
 * too. A bare name that is only the file name of a loaded path (the library
 * has no soname) is not a match: it is searched for, and here found nowhere.
 * argv[1]: the fixture directory. */
#include "common.h"

typedef int (*bump_fn)(void);

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* g = system_open_or_die(argv[1], "libhy_ident.so", RTLD_NOW | RTLD_LOCAL);
  bump_fn bump = (bump_fn)dlsym(g, "hy_ident_bump");
  printf("the system loader's copy: %d\n", bump());
  void* u = open_or_die(argv[1], "libhy_ident_user.so", RTLD_NOW);
  bump_fn user = (bump_fn)DL_SYM(u, "hy_ident_user_bump");
  printf("through DT_NEEDED libhy_ident_alias.so: %d\n", user ? user() : -1);
  /* ld.so adds a name matched by identity to the object's names. */
  void* a = DL_OPEN("libhy_ident_alias.so", RTLD_NOW);
  printf("bare alias name, after the identity match: %s\n", a ? "found" : DL_ERROR());
  void* bare = DL_OPEN("libhy_ident.so", RTLD_NOW);
  printf("bare file name: %s\n", bare ? "found" : DL_ERROR());
  if (a) DL_CLOSE(a);
  DL_CLOSE(u);
  dlclose(g);
  return 0;
}
