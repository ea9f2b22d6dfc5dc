/* errors: one case per error class that glibc and staticdl report alike;
 * each prints dlerror() with the plugin directory replaced by "<dir>".
 * Errors only staticdl reports (wrong machine, COPY, TEXTREL, W+X,
 * executable stack, TLS, RTLD_NOLOAD) are in errors_staticdl.c. */
#include "common.h"

/* libbasic.so (used for the dlsym case) calls back into the host. */
#ifdef __cplusplus
extern "C"
#endif
__attribute__((used)) int host_callback(int x) { return x * 2; }

static void try_open(const char *label, const char *name) {
  void *h;
  fflush(stdout);
  h = dlopen(plugin_path(name), RTLD_NOW);
  printf("%s: %s\n", label, h ? "loaded" : "NULL");
  if (h) dlclose(h);
  else print_dlerror("  dlerror");
}

int main(int argc, char **argv) {
  void *h;
  test_init(argc, argv);
  printf("dlerror before any error: %s\n", dlerror() ? "set" : "NULL");
  try_open("missing file", "nope.so");
  printf("dlerror read twice: %s\n", dlerror() ? "set" : "NULL");
  try_open("not an ELF file", "notelf.so");
  try_open("undefined symbol at load", "libundef.so");
  try_open("missing DT_NEEDED", "libusesmissing.so");
  try_open("a position-independent executable", "pie_exe");

  h = must_open("libbasic.so", RTLD_NOW);
  printf("dlsym missing symbol: %s\n", dlsym(h, "nope") ? "found" : "NULL");
  print_dlerror("  dlerror");
  /* The message for names of every length class the copy into it uses. */
  const char* names[] = {"a", "ab", "abc", "abcde", "abcdefgh", "abcdefghi", "abcdefghijklmnopq"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (!dlsym(h, names[i])) print_dlerror("  dlerror");
  }
  printf("dlsym after error, existing symbol: %s\n", dlsym(h, "basic_add") ? "found" : "NULL");
  printf("dlerror after success: %s\n", dlerror() ? "set" : "NULL");
  dlclose(h);
  return 0;
}
