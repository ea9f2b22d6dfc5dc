/* demo_host: an unmodified <dlfcn.h> program, linked statically against musl
 * and libstaticdl.a (staticdl_add_host). Nothing here is staticdl-specific:
 * the same source builds as an ordinary dynamic program.
 *
 *   demo_host <plugin-dir>
 *
 * It loads the example plugins from <plugin-dir> and prints what each did.
 * The host never calls strdup itself; the greeter plugin still can. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Called by libgreeter.so; exported because the host links with -rdynamic. */
void host_log(const char *msg) { printf("  [host_log] %s\n", msg); }

static int failures;

static void *open_plugin(const char *dir, const char *file) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    printf("  dlopen(%s) failed: %s\n", file, dlerror());
    failures++;
  }
  return h;
}

static void *need(void *h, const char *name) {
  dlerror();
  void *p = dlsym(h, name);
  if (!p) {
    const char *e = dlerror();
    printf("  dlsym(%s) failed: %s\n", name, e ? e : "(null)");
    failures++;
  }
  return p;
}

static void close_plugin(void *h, const char *file) {
  if (dlclose(h) != 0) {
    printf("  dlclose(%s) failed: %s\n", file, dlerror());
    failures++;
  }
}

static void demo_greeter(const char *dir) {
  puts("greeter: calls back into the host, uses strdup/snprintf from the host's libc");
  void *h = open_plugin(dir, "libgreeter.so");
  if (!h) return;
  char *(*greet)(const char *) = (char *(*)(const char *))need(h, "greet");
  if (greet) {
    char *s = greet("static world");
    printf("  greet() -> \"%s\"\n", s ? s : "(null)");
    if (!s || strstr(s, "hello, static world") != s) failures++;
    free(s); /* malloc'd in the plugin by the host's own allocator */
  }
  close_plugin(h, "libgreeter.so");
}

static void demo_math(const char *dir) {
  puts("mathplug: the host's qsort calls the plugin's comparator");
  void *h = open_plugin(dir, "libmathplug.so");
  if (!h) return;
  int (*sort_median)(int *, size_t) = (int (*)(int *, size_t))need(h, "sort_median");
  size_t (*count)(void) = (size_t (*)(void))need(h, "comparison_count");
  if (sort_median && count) {
    int v[] = {42, 7, 19, 3, 88, 23, 61};
    size_t n = sizeof v / sizeof v[0];
    int m = sort_median(v, n);
    printf("  sort_median() -> %d; sorted:", m);
    for (size_t i = 0; i < n; i++) printf(" %d", v[i]);
    printf("; %zu comparisons\n", count());
    if (m != 23 || v[0] != 3 || v[n - 1] != 88 || count() == 0) failures++;
  }
  close_plugin(h, "libmathplug.so");
}

static void demo_chain(const char *dir) {
  puts("chain: DT_NEEDED libchainhelper.so found via DT_RUNPATH $ORIGIN/deps");
  void *h = open_plugin(dir, "libchain.so");
  if (!h) return;
  int (*compute)(int) = (int (*)(int))need(h, "chain_compute");
  const char *(*via)(void) = (const char *(*)(void))need(h, "chain_via");
  if (compute && via) {
    int r = compute(4);
    printf("  chain_compute(4) -> %d (via %s)\n", r, via());
    if (r != 41) failures++;
  }
  /* Symbols of a dependency are visible through the handle that loaded it. */
  int (*scale)(int) = (int (*)(int))need(h, "helper_scale");
  if (scale) printf("  dlsym(libchain.so, \"helper_scale\")(5) -> %d\n", scale(5));
  close_plugin(h, "libchain.so");
}

static void demo_error(const char *dir) {
  puts("missing plugin: dlopen fails cleanly and dlerror says why");
  char path[4096];
  snprintf(path, sizeof path, "%s/libnot-there.so", dir);
  void *h = dlopen(path, RTLD_NOW);
  const char *e = dlerror();
  printf("  dlopen(libnot-there.so) -> %s; dlerror: %s\n", h ? "handle?!" : "NULL", e ? e : "(null)");
  if (h || !e) failures++;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s <plugin-dir>\n", argv[0]);
    return 2;
  }
  demo_greeter(argv[1]);
  demo_math(argv[1]);
  demo_chain(argv[1]);
  demo_error(argv[1]);
  if (failures) {
    printf("demo: %d failure(s)\n", failures);
    return 1;
  }
  puts("demo: all plugins OK");
  return 0;
}
