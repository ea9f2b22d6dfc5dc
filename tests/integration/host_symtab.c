/* host_symtab: a static non-PIE host linked WITHOUT -rdynamic, so it has
 * no .dynsym (no PT_DYNAMIC at all). staticdl must fall back to .symtab
 * read from /proc/self/exe to resolve the plugin's references to host
 * functions, host data and libc (kept in the link by the keep table).
 * staticdl-only: a glibc program always has a dynamic symbol table. */
#include "common.h"
#include <sys/auxv.h>

int hs_host_counter = 100;
__attribute__((used, noinline)) int hs_host_twice(int x) { return x * 2; }

static int host_has_dynamic(void) {
  const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
  size_t n = getauxval(AT_PHNUM), i;
  for (i = 0; i < n; i++)
    if (ph[i].p_type == PT_DYNAMIC) return 1;
  return 0;
}

int main(int argc, char **argv) {
  void *h;
  char *s;
  int v[4] = {9, 2, 7, 4};
  test_init(argc, argv);
  printf("host has PT_DYNAMIC: %s\n", host_has_dynamic() ? "yes" : "no");
  h = must_open("libhs.so", RTLD_NOW);
  printf("hs_call(20) = %d\n", FN(int (*)(int), h, "hs_call")(20));
  printf("hs_bump() = %d\n", FN(int (*)(void), h, "hs_bump")());
  printf("hs_host_counter = %d\n", hs_host_counter);
  s = FN(char *(*)(int), h, "hs_format")(5);
  printf("hs_format(5) = %s\n", s);
  free(s);
  FN(void (*)(int *, size_t), h, "hs_sort")(v, 4);
  printf("hs_sort: %d %d %d %d\n", v[0], v[1], v[2], v[3]);
  /* dlsym(RTLD_DEFAULT) finds host symbols through .symtab too. */
  printf("RTLD_DEFAULT hs_host_twice is the host's: %s\n",
         dlsym(RTLD_DEFAULT, "hs_host_twice") == (void *)hs_host_twice ? "yes" : "no");
  printf("RTLD_DEFAULT hs_host_counter is the host's: %s\n",
         dlsym(RTLD_DEFAULT, "hs_host_counter") == (void *)&hs_host_counter ? "yes" : "no");
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
