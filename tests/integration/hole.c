/* hole: a plugin whose PT_LOADs leave pages between them (.data linked
 * 256 KiB above the first segment). The code and data work, and the pages
 * between the segments are mapped inaccessible (---p in /proc/self/maps),
 * not readable: the loader reserves the whole image, then maps the
 * segments into it. */
#include "common.h"

struct gap {
  unsigned long lo, hi;  /* the first gap between two PT_LOADs, page-rounded */
};

static int find_gap(struct dl_phdr_info *info, size_t size, void *data) {
  struct gap *g = (struct gap *)data;
  unsigned long page = 4096, prev_end = 0;
  (void)size;
  if (!info->dlpi_name || strcmp(base_name(info->dlpi_name), "libhole.so") != 0) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *p = &info->dlpi_phdr[i];
    if (p->p_type != PT_LOAD) continue;
    unsigned long start = (info->dlpi_addr + p->p_vaddr) & ~(page - 1);
    if (prev_end && start > prev_end && !g->hi) g->lo = prev_end, g->hi = start;
    prev_end = (info->dlpi_addr + p->p_vaddr + p->p_memsz + page - 1) & ~(page - 1);
  }
  return 1;
}

/* The permissions of the /proc/self/maps line containing addr. */
static const char *perms_at(unsigned long addr) {
  static char perms[8];
  char line[4096];
  FILE *f = fopen("/proc/self/maps", "r");
  strcpy(perms, "none");
  while (f && fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    char p[8];
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, p) == 3 && lo <= addr && addr < hi) strcpy(perms, p);
  }
  if (f) fclose(f);
  return perms;
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *h = must_open("libhole.so", RTLD_NOW);
  printf("hole_get() = %d\n", FN(int (*)(void), h, "hole_get")());
  struct gap g = {0, 0};
  dl_iterate_phdr(find_gap, &g);
  printf("pages between segments: %s\n", g.hi > g.lo ? "yes" : "no");
  if (g.hi > g.lo)
    printf("their first, middle and last page: %s %s %s\n", perms_at(g.lo), perms_at(g.lo + (g.hi - g.lo) / 2),
           perms_at(g.hi - 1));
  dlclose(h);
  return 0;
}
