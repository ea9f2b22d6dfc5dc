/* unmodified_host: an ordinary <dlfcn.h> program with nothing staticdl-
 * specific in it. The install test links it statically against the
 * installed staticdl (pkg-config, and a find_package(staticdl) project)
 * and runs it on libbasic.so: unmodified_host <path-to-libbasic.so> */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/* libbasic.so calls back into its host. */
int host_callback(int x) { return x * 2; }

int main(int argc, char **argv) {
  void *h;
  int (*add)(int, int);
  int (*call_host)(int);
  char *(*upper)(const char *);
  char *s;
  if (argc < 2) {
    fprintf(stderr, "usage: %s <libbasic.so>\n", argv[0]);
    return 2;
  }
  h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    printf("dlopen failed: %s\n", dlerror());
    return 1;
  }
  *(void **)&add = dlsym(h, "basic_add");
  *(void **)&call_host = dlsym(h, "basic_call_host");
  *(void **)&upper = dlsym(h, "basic_strdup_upper");
  if (!add || !call_host || !upper) {
    printf("dlsym failed: %s\n", dlerror());
    return 1;
  }
  printf("basic_add(2, 3) = %d\n", add(2, 3));
  printf("basic_call_host(20) = %d\n", call_host(20));
  s = upper("installed");
  printf("basic_strdup_upper(installed) = %s\n", s);
  free(s);
  printf("dlsym(missing) = %s\n", dlsym(h, "no_such_symbol") ? "found" : "NULL");
  printf("dlerror set: %s\n", dlerror() ? "yes" : "no");
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
