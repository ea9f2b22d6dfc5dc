/* security: the loader's security properties, observed from outside.
 *   - W^X: no mapping of the process is writable and executable after
 *     plugins are loaded (/proc/self/maps);
 *   - RELRO: each plugin's PT_GNU_RELRO pages are read-only after dlopen;
 *   - O_CLOEXEC: every fd the loader holds on a plugin file has
 *     FD_CLOEXEC (checked from the test-only fault hook, which runs while
 *     the loader is reading the file).
 * staticdl-only (uses <staticdl/testing.h>). */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <staticdl/testing.h>
#include <unistd.h>

static int fds_seen, fds_without_cloexec;

/* Counts fds open on a plugin file and checks their FD_CLOEXEC flag. */
static int inspect_fds(enum staticdl_fault_site site) {
  if (site != STATICDL_FAULT_READ) return 0;
  DIR *d = opendir("/proc/self/fd");
  struct dirent *e;
  while (d && (e = readdir(d))) {
    char link[64], target[4096];
    int fd = atoi(e->d_name);
    snprintf(link, sizeof link, "/proc/self/fd/%s", e->d_name);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0) continue;
    target[n] = 0;
    if (!strstr(target, ".so")) continue;
    fds_seen++;
    if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC)) fds_without_cloexec++;
  }
  if (d) closedir(d);
  return 0;
}

static int count_wx(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096];
  int wx = 0;
  while (f && fgets(line, sizeof line, f)) {
    char perms[8] = "";
    if (sscanf(line, "%*s %7s", perms) == 1 && perms[1] == 'w' && perms[2] == 'x') {
      wx++;
      printf("W+X mapping: %s", line);
    }
  }
  if (f) fclose(f);
  return wx;
}

/* The permissions of the mapping containing addr ("r--p" etc.). */
static void perms_at(unsigned long addr, char out[8]) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[4096];
  strcpy(out, "none");
  while (f && fgets(line, sizeof line, f)) {
    unsigned long lo, hi;
    char perms[8];
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && addr >= lo && addr < hi) strcpy(out, perms);
  }
  if (f) fclose(f);
}

struct relro_result {
  const char *name;
  int found, readonly;
};

static int check_relro(struct dl_phdr_info *info, size_t size, void *data) {
  struct relro_result *r = (struct relro_result *)data;
  (void)size;
  if (!info->dlpi_name || !strstr(info->dlpi_name, r->name)) return 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type != PT_GNU_RELRO) continue;
    unsigned long page = (unsigned long)sysconf(_SC_PAGESIZE);
    unsigned long start = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
    unsigned long end = (info->dlpi_addr + ph->p_vaddr + ph->p_memsz) & ~(page - 1);
    char perms[8];
    r->found = 1;
    r->readonly = 1;
    for (unsigned long a = start; a < end; a += page) {
      perms_at(a, perms);
      if (perms[1] != '-') r->readonly = 0;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  staticdl_test_set_fault_hook(inspect_fds);
  void *a = dlopen(plugin_path("librelr.so"), RTLD_NOW);
  void *b = dlopen(plugin_path("liba.so"), RTLD_NOW);
  staticdl_test_set_fault_hook(NULL);
  if (!a || !b) {
    printf("FAIL: dlopen: %s\n", dlerror());
    return 1;
  }
  printf("plugin fds seen while loading: %s\n", fds_seen > 0 ? "yes" : "no");
  printf("fds without FD_CLOEXEC: %d\n", fds_without_cloexec);
  printf("W+X mappings: %d\n", count_wx());
  struct relro_result r = {"librelr.so", 0, 0};
  dl_iterate_phdr(check_relro, &r);
  printf("librelr.so PT_GNU_RELRO: %s, read-only: %s\n", r.found ? "present" : "absent", r.readonly ? "yes" : "no");
  dlclose(b);
  dlclose(a);
  return 0;
}
