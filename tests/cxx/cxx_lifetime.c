/* cxx_lifetime: a C++ plugin's global constructors run at dlopen; the
 * destructors of its globals and function-local statics run at dlclose, not
 * at exit, newest first, and the plugin is unmapped. Opened again and left
 * open, its destructors run at exit (after main returns, before an atexit
 * handler the host registered before loading it). */
#include <unistd.h>

#include "common.h"

/* Whether /proc/self/maps has a mapping of liblifetime.so. */
static const char *mapped(void) {
  char line[4096];
  int found = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return "unknown";
  while (fgets(line, sizeof line, f))
    if (strstr(line, "/liblifetime.so")) found = 1;
  fclose(f);
  return found ? "yes" : "no";
}

static void host_atexit(void) {
  printf("host atexit handler\n");
  fflush(stdout);
}

int main(int argc, char **argv) {
  void *h;
  const char *(*touch)(int);
  test_init(argc, argv);
  atexit(host_atexit);
  printf("mapped before dlopen: %s\n", mapped());
  printf("-- dlopen\n");
  h = must_open("liblifetime.so", RTLD_NOW);
  printf("mapped: %s\n", mapped());
  touch = FN(const char *(*)(int), h, "lifetime_touch");
  printf("-- touch %s\n", touch(2));
  printf("-- touch %s\n", touch(1));
  printf("-- touch %s again\n", touch(2));
  printf("-- dlclose\n");
  fflush(stdout);
  printf("dlclose = %d\n", dlclose(h));
  printf("mapped after dlclose: %s\n", mapped());
  printf("-- dlopen again, left open\n");
  h = must_open("liblifetime.so", RTLD_NOW);
  touch = FN(const char *(*)(int), h, "lifetime_touch");
  printf("-- touch %s\n", touch(1));
  printf("-- main returns\n");
  fflush(stdout);
  return 0;
}
