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

/* print_dlerror() with the program's path (argv[0]) also replaced, by
 * "<program>": glibc names the program so in a dlsym miss. */
static const char *program;
static void print_dlerror_prog(const char *label) {
  char buf[4096];
  const char *e = replace_dir(dlerror(), buf, sizeof buf);
  size_t n = strlen(program);
  if (!strncmp(e, program, n)) printf("%s: <program>%s\n", label, e + n);
  else printf("%s: %s\n", label, e);
}

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
  try_open("a version the dependency lacks", "libvn_user.so");
  fflush(stdout);
  printf("a directory: %s\n", dlopen(test_dir, RTLD_NOW) ? "loaded" : "NULL");
  print_dlerror("  dlerror");
  fflush(stdout);
  printf("/dev/null: %s\n", dlopen("/dev/null", RTLD_NOW) ? "loaded" : "NULL");
  print_dlerror("  dlerror");
  printf("/dev/zero: %s\n", dlopen("/dev/zero", RTLD_NOW) ? "loaded" : "NULL");
  print_dlerror("  dlerror");
  printf("dlopen(\"\") is the program's handle: %s\n", dlopen("", RTLD_NOW) == dlopen(NULL, RTLD_NOW) ? "yes" : "no");
  {
    long lmid;
    void *self = dlopen(NULL, RTLD_NOW);
    int r = dlinfo(self, 9999, &lmid);
    printf("dlinfo with an unknown request: %d\n", r);
    print_dlerror("  dlerror");
    r = dlclose(self);
    printf("dlclose of the program's handle: %d, dlerror %s\n", r, dlerror() ? "set" : "NULL");
  }

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

  /* Misses without a plugin handle name the object that asked. */
  program = argv[0];
  printf("dlsym(RTLD_DEFAULT) missing symbol: %s\n", dlsym(RTLD_DEFAULT, "nope") ? "found" : "NULL");
  print_dlerror_prog("  dlerror");
  printf("dlvsym(RTLD_DEFAULT) missing symbol: %s\n", dlvsym(RTLD_DEFAULT, "nope", "V_1") ? "found" : "NULL");
  print_dlerror_prog("  dlerror");
  printf("dlsym(RTLD_NEXT) missing symbol: %s\n", dlsym(RTLD_NEXT, "nope") ? "found" : "NULL");
  print_dlerror_prog("  dlerror");
  printf("dlsym(dlopen(NULL)) missing symbol: %s\n", dlsym(dlopen(NULL, RTLD_NOW), "nope") ? "found" : "NULL");
  print_dlerror_prog("  dlerror");
  h = must_open("libreldeps_finder.so", RTLD_NOW);
  printf("dlsym(RTLD_DEFAULT) in a plugin, missing symbol: %s\n",
         FN(void *(*)(const char *), h, "reldeps_find")("nope") ? "found" : "NULL");
  print_dlerror_prog("  dlerror");
  dlclose(h);
  return 0;
}
