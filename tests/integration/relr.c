/* relr: librelr.so is linked with -z pack-relative-relocs, so its 200+
 * relative relocations are packed in DT_RELR. Every pointer is checked. */
#include "common.h"

static int has_tag(void *h, long tag) {
  struct link_map *lm = NULL;
  const ElfW(Dyn) *d;
  if (dlinfo(h, RTLD_DI_LINKMAP, &lm) != 0 || !lm || !lm->l_ld) return 0;
  for (d = lm->l_ld; d->d_tag != DT_NULL; d++)
    if (d->d_tag == tag) return 1;
  return 0;
}

int main(int argc, char **argv) {
  void *h;
  const char **strs;
  int (**funcs)(void);
  int **iptrs, *ints;
  int i, bad_s = 0, bad_f = 0, sum = 0;
  char want[64];
  test_init(argc, argv);
  h = must_open("librelr.so", RTLD_NOW);
  printf("DT_RELR present: %s\n", has_tag(h, 36 /* DT_RELR */) ? "yes" : "no");
  strs = (const char **)must_sym(h, "relr_strings");
  funcs = (int (**)(void))must_sym(h, "relr_funcs");
  for (i = 0; i < 100; i++) {
    snprintf(want, sizeof want, "relr string %d", i);
    if (!strs[i] || strcmp(strs[i], want) != 0) {
      printf("relr_strings[%d] wrong\n", i);
      bad_s++;
    }
    if (!funcs[i] || funcs[i]() != i * 3 + 1) {
      printf("relr_funcs[%d] wrong\n", i);
      bad_f++;
    } else {
      sum += funcs[i]();
    }
  }
  printf("strings ok: %d of 100\n", 100 - bad_s);
  printf("functions ok: %d of 100, sum %d\n", 100 - bad_f, sum);
  iptrs = (int **)must_sym(h, "relr_int_ptrs");
  ints = (int *)must_sym(h, "relr_ints");
  for (i = 0; i < 4; i++) printf("relr_int_ptrs[%d] == &relr_ints[%d]: %s\n", i, 3 - i, iptrs[i] == &ints[3 - i] ? "yes" : "no");
  printf("relr_strings_ptr == relr_strings: %s\n",
         *(const char ***)must_sym(h, "relr_strings_ptr") == strs ? "yes" : "no");
  printf("relr_sum() = %d\n", FN(int (*)(void), h, "relr_sum")());
  printf("relr_string(57) = %s\n", FN(const char *(*)(int), h, "relr_string")(57));
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
