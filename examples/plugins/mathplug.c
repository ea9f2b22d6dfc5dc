/* A plugin whose code libc calls back: the host's qsort runs this plugin's
 * comparator. A constructor sets state before dlopen returns. */
#include <stddef.h>
#include <stdlib.h>

static int ready;
static size_t comparisons;

__attribute__((constructor)) static void mathplug_init(void) { ready = 1; }

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  comparisons++;
  return (x > y) - (x < y);
}

/* Sorts v in place and returns its median (0 when empty or not initialised). */
int sort_median(int *v, size_t n) {
  if (!ready || n == 0) return 0;
  qsort(v, n, sizeof *v, cmp_int);
  return v[n / 2];
}

size_t comparison_count(void) { return comparisons; }
