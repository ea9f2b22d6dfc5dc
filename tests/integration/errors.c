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

#ifndef RTLD_DI_LMID
#define RTLD_DI_LMID 1
#endif

/* dlopen, dlsym, dlvsym, dlclose and dlinfo forget an error nobody read
 * when they start (glibc's _dlerror_run), so dlerror() after one that
 * succeeded is NULL; dladdr leaves it. */
static void unread_errors(void) {
  Dl_info info;
  long lmid;
  void *h = must_open("libbasic.so", RTLD_NOW);
  const char *missing = plugin_path("libnot_there.so");
  struct {
    const char *then;
    int step;
  } cases[] = {{"a dlsym that finds", 0},  {"a dlopen that succeeds", 1}, {"a dlclose that succeeds", 2},
               {"a dlinfo that succeeds", 3}, {"dladdr", 4},            {"a dlsym that misses, then one that finds", 5}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (dlopen(missing, RTLD_NOW)) return;
    switch (cases[i].step) {
      case 0: (void)dlsym(h, "basic_add"); break;
      case 1: (void)dlopen(plugin_path("libbasic.so"), RTLD_NOW | RTLD_NOLOAD); break;
      case 2: (void)dlclose(dlopen(plugin_path("libbasic.so"), RTLD_NOW)); break;
      case 3: (void)dlinfo(h, RTLD_DI_LMID, &lmid); break;
      case 4: (void)dladdr((void *)unread_errors, &info); break;
      case 5: (void)dlsym(h, "nope"), (void)dlsym(h, "basic_add"); break;
    }
    printf("an unread dlopen error, then %s: dlerror %s\n", cases[i].then, dlerror() ? "set" : "NULL");
  }
  dlclose(h);
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
  {
    /* A mode bit glibc does not know, with and without RTLD_NOW. */
    const int modes[] = {RTLD_NOW | 0x10000000, 0x10000000};
    for (int i = 0; i < 2; i++) {
      fflush(stdout);
      void *m = dlopen(plugin_path("libbasic.so"), modes[i]);
      printf("mode 0x%x: %s\n", modes[i], m ? "loaded" : "NULL");
      if (m) dlclose(m);
      else print_dlerror("  dlerror");
    }
  }
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
  unread_errors();
  return 0;
}
