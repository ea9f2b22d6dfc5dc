/* unload: dlclose unmaps the plugin (its path leaves /proc/self/maps) and
 * reopening it gives fresh data (a static counter restarts). */
#include "common.h"

/* Number of /proc/self/maps lines that end in `path`. */
static int mapped(const char *path) {
  char line[8192];
  int n = 0;
  size_t pl = strlen(path);
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    size_t l = strlen(line);
    if (l && line[l - 1] == '\n') line[--l] = 0;
    if (l >= pl && strcmp(line + l - pl, path) == 0 && (l == pl || line[l - pl - 1] == ' ')) n++;
  }
  fclose(f);
  return n;
}

int main(int argc, char **argv) {
  void *h;
  const char *path;
  test_init(argc, argv);
  path = plugin_path("libunload.so");
  printf("before dlopen: %s\n", mapped(path) ? "mapped" : "not mapped");
  h = must_open("libunload.so", RTLD_NOW);
  printf("after dlopen: %s\n", mapped(path) ? "mapped" : "not mapped");
  FN(int (*)(void), h, "unload_next")();
  printf("unload_next() = %d\n", FN(int (*)(void), h, "unload_next")());
  printf("dlclose = %d\n", dlclose(h));
  printf("after dlclose: %s\n", mapped(path) ? "mapped" : "not mapped");
  h = must_open("libunload.so", RTLD_NOW);
  printf("after reopen: %s\n", mapped(path) ? "mapped" : "not mapped");
  printf("unload_next() after reopen = %d\n", FN(int (*)(void), h, "unload_next")());
  printf("dlclose = %d\n", dlclose(h));
  printf("after second dlclose: %s\n", mapped(path) ? "mapped" : "not mapped");
  return 0;
}
