/* bigpage: plugins linked for 64 KiB pages (-z max-page-size=65536), one
 * of them also with -z separate-code. Their PT_LOADs have p_align 0x10000,
 * so the load bias must be 64 KiB aligned, and code, data, bss and a
 * pointer between segments must work. */
#include "common.h"

struct find {
  const char *name;
  unsigned long addr;
  int found, loads, aligned;
};

static int cb(struct dl_phdr_info *info, size_t size, void *data) {
  struct find *f = (struct find *)data;
  int i;
  (void)size;
  if (!info->dlpi_name || strcmp(base_name(info->dlpi_name), f->name) != 0) return 0;
  f->found = 1;
  f->addr = (unsigned long)info->dlpi_addr;
  f->aligned = 1;
  for (i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    if (p->p_type != PT_LOAD) continue;
    f->loads++;
    if (p->p_align != 65536 || (info->dlpi_addr + p->p_vaddr) % 65536 != p->p_offset % 65536)
      f->aligned = 0;
  }
  return 1;
}

static void check(const char *lib, const char *fn, const char *name_fn) {
  void *h = must_open(lib, RTLD_NOW);
  struct find f = {lib, 0, 0, 0, 0};
  int (*f1)(int) = FN(int (*)(int), h, fn);
  int a = f1(3);
  int b = f1(3);
  printf("%s: %s(3) = %d, again %d\n", lib, fn, a, b);
  printf("%s: %s() = %s\n", lib, name_fn, FN(const char *(*)(void), h, name_fn)());
  dl_iterate_phdr(cb, &f);
  printf("%s: in dl_iterate_phdr: %s\n", lib, f.found ? "yes" : "no");
  printf("%s: load bias 64 KiB aligned: %s\n", lib, f.found && f.addr % 65536 == 0 ? "yes" : "no");
  printf("%s: PT_LOADs with p_align 0x10000, congruent: %s\n", lib, f.loads > 0 && f.aligned ? "yes" : "no");
  printf("%s: dlclose = %d\n", lib, dlclose(h));
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  check("libbigpage.so", "bp_fn", "bp_name");
  check("libbigpage_sep.so", "bp_sep_fn", "bp_sep_name");
  return 0;
}
