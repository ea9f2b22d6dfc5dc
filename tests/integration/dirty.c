/* dirty: the loader copies only the pages its relocations write. glibc
 * writes each relocated word and leaves the rest of a writable segment the
 * file's; staticdl takes the copy-on-write faults ahead of relocation in
 * one call (MADV_POPULATE_WRITE) and must not populate pages with nothing to
 * relocate. libdirty.so's dirty_plain spans 64 such pages; /proc/self/pagemap
 * tells a page the process has its own copy of (present, not a file page)
 * from one that is still the file's. Linux only; not under qemu-user, whose
 * pagemap is the emulator's. */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>

#include "common.h"

/* Pages of [lo, hi) that are private copies (anonymous), or -1. */
static long private_pages(uintptr_t lo, uintptr_t hi) {
  long page = sysconf(_SC_PAGESIZE), n = 0;
  int fd = open("/proc/self/pagemap", O_RDONLY);
  if (fd < 0) return -1;
  for (uintptr_t p = lo; p < hi; p += (uintptr_t)page) {
    uint64_t e;
    if (pread(fd, &e, sizeof e, (off_t)(p / (uintptr_t)page * sizeof e)) != (ssize_t)sizeof e) {
      close(fd);
      return -1;
    }
    if ((e >> 63 & 1) && !(e >> 61 & 1)) n++; /* present, not file-backed */
  }
  close(fd);
  return n;
}

static void check(const char *lib) {
  void *h = must_open(lib, RTLD_NOW);
  int *plain = (int *)must_sym(h, "dirty_plain");
  long page = sysconf(_SC_PAGESIZE), sum = 0;
  printf("%s: dirty_sum() = %d\n", lib, FN(int (*)(void), h, "dirty_sum")());
  uintptr_t lo = ((uintptr_t)plain + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
  uintptr_t hi = ((uintptr_t)(plain + 65536)) & ~((uintptr_t)page - 1);
  for (int i = 0; i < 65536; i++) sum += plain[i]; /* reads map file pages */
  printf("dirty_plain sum %ld, at least 63 whole pages: %s\n", sum, (hi - lo) / (uintptr_t)page >= 63 ? "yes" : "no");
  printf("pages of dirty_plain copied: %ld\n", private_pages(lo, hi));
  *(volatile int *)(lo + 5 * (uintptr_t)page) = 7; /* a write copies its page */
  printf("after one write: %ld\n", private_pages(lo, hi));
  printf("dlclose = %d\n", dlclose(h));
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  check("libdirty.so");
  check("libdirty_relr.so"); /* the same, its RELATIVE relocations in DT_RELR */
  return 0;
}
