/* The host of the staticdl_tool tests: dlopen(argv[1]) and say whether it
 * loaded. `staticdl check` predicts this line. */
#include <dlfcn.h>
#include <stdio.h>

/* libbasic.so calls back into the host. */
__attribute__((used)) int host_callback(int x) { return x + 100; }

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s PLUGIN\n", argv[0]);
    return 2;
  }
  void *h = dlopen(argv[1], RTLD_NOW);
  if (h) {
    printf("LOADED\n");
    dlclose(h);
  } else {
    const char *e = dlerror();
    printf("FAILED: %s\n", e ? e : "(no dlerror)");
  }
  return 0;
}
