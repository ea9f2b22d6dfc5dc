/* Destructors of modules still loaded at exit, in glibc's order: _dl_fini
 * takes the objects in load order (the link-map list) and only moves an
 * object ahead of its dependencies, so two unrelated modules are
 * finalized first-loaded first, not in reverse order of their
 * constructors (glibc elf/dl-fini.c, _dl_sort_maps(..., for_fini)). */
#include "common.h"

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  for (int i = 2; i < argc; i++) open_or_die(argv[1], argv[i], RTLD_NOW);
  printf("exit with %s and %s loaded, in that order\n", argv[2], argv[3]);
  return 0;
}
