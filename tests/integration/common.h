/* Shared helpers for the dlfcn integration tests.
 *
 * Every test host is one C source that is built twice: as a static musl
 * host linked with staticdl, and as an ordinary dynamic glibc program (the
 * oracle). Both must print exactly the checked-in .expected file, so the
 * output never contains an absolute path: the plugin directory arrives as
 * argv[1], and dlerror() texts have it replaced by "<dir>".
 *
 * The sources also compile as C++ (the host-variant tests build basic.c as
 * a C++ host), so casts from void* are explicit.
 */
#ifndef STATICDL_TESTS_COMMON_H
#define STATICDL_TESTS_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <dirent.h>
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef RTLD_DI_LINKMAP
#define RTLD_DI_LINKMAP 2
#endif
#ifndef RTLD_DI_ORIGIN
#define RTLD_DI_ORIGIN 6
#endif

#ifdef __cplusplus
extern "C" {
#endif
#ifndef __GLIBC__
/* glibc declares these in <dlfcn.h>; musl does not (staticdl defines them). */
void *dlvsym(void *handle, const char *symbol, const char *version);
int dlinfo(void *handle, int request, void *info);
#endif
#ifdef __cplusplus
}
#endif

#define TEST_UNUSED __attribute__((unused))

/* The plugin directory (argv[1]); set by test_init(). */
static const char *test_dir = "";

static TEST_UNUSED void test_init(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s <plugin-dir>\n", argv[0]);
    exit(2);
  }
  test_dir = argv[1];
  /* Plugins print through the same stdout; keep the order deterministic. */
  setvbuf(stdout, NULL, _IOLBF, 0);
}

/* "<plugin-dir>/<name>" in a static buffer (one of 8, rotating). */
static TEST_UNUSED const char *plugin_path(const char *name) {
  static char bufs[8][4096];
  static int next;
  char *b = bufs[next++ & 7];
  snprintf(b, sizeof bufs[0], "%s/%s", test_dir, name);
  return b;
}

/* Copies `text` into `out` with every occurrence of the plugin directory
 * replaced by "<dir>". */
static TEST_UNUSED const char *replace_dir(const char *text, char *out, size_t size) {
  size_t dl = strlen(test_dir), o = 0;
  if (!text) return "(null)";
  while (*text && o + 1 < size) {
    if (dl && strncmp(text, test_dir, dl) == 0) {
      const char *r = "<dir>";
      while (*r && o + 1 < size) out[o++] = *r++;
      text += dl;
    } else {
      out[o++] = *text++;
    }
  }
  out[o] = 0;
  return out;
}

/* Prints "<label>: <dlerror() with the directory replaced>". */
static TEST_UNUSED void print_dlerror(const char *label) {
  char buf[4096];
  const char *e = dlerror();
  printf("%s: %s\n", label, replace_dir(e, buf, sizeof buf));
  fflush(stdout);
}

static TEST_UNUSED const char *base_name(const char *path) {
  const char *s;
  if (!path) return "(null)";
  s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* dlopen that must succeed; exits with the error otherwise. */
static TEST_UNUSED void *must_open(const char *name, int flags) {
  void *h;
  fflush(stdout);
  h = dlopen(plugin_path(name), flags);
  if (!h) {
    char buf[4096];
    printf("FAIL: dlopen %s: %s\n", name, replace_dir(dlerror(), buf, sizeof buf));
    exit(1);
  }
  return h;
}

/* dlsym that must succeed. */
static TEST_UNUSED void *must_sym(void *h, const char *sym) {
  void *p;
  dlerror();
  p = dlsym(h, sym);
  if (!p) {
    char buf[4096];
    printf("FAIL: dlsym %s: %s\n", sym, replace_dir(dlerror(), buf, sizeof buf));
    exit(1);
  }
  return p;
}

/* Whether the plugin `name` is loaded (RTLD_NOLOAD), leaving no reference. */
static TEST_UNUSED int plugin_loaded(const char *name) {
  void *h = dlopen(plugin_path(name), RTLD_NOW | RTLD_NOLOAD);
  if (h) dlclose(h);
  return h != NULL;
}

/* Typed dlsym: FN(int (*)(int), h, "name"). */
#define FN(type, h, name) ((type)must_sym((h), (name)))

/* Opens <dir>/<lib> RTLD_NOW and prints "<lib>: <fn>() = <what it
 * returns>" (fn returns a string), or "<lib>: <dlerror text>". Returns the
 * handle (NULL on failure). */
static TEST_UNUSED void *call_string_fn(const char *lib, const char *fn) {
  void *h;
  fflush(stdout);
  h = dlopen(plugin_path(lib), RTLD_NOW);
  if (!h) {
    print_dlerror(lib);
    return NULL;
  }
  printf("%s: %s() = %s\n", lib, fn, FN(const char *(*)(void), h, fn)());
  return h;
}

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      printf("FAIL: %s:%d: %s\n", __FILE__, __LINE__, #cond);        \
      exit(1);                                                       \
    }                                                                \
  } while (0)

/* Open file descriptors of the process (/proc/self/fd), for leak checks. */
static TEST_UNUSED int count_fds(void) {
  int n = 0;
  struct dirent *e;
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  while ((e = readdir(d)) != NULL) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

/* The /proc/self/maps lines a leaked module would leave behind: file-backed
 * ones (its segments) and PROT_NONE ones (its reserved span). Other
 * anonymous mappings belong to the heap: musl's mallocng maps and unmaps
 * groups as it goes (the count swings by one with struct sizes, path
 * lengths and round counts), and the tests watch the heap separately.
 * Under qemu-user the PROT_NONE lines are the emulator's: only file-backed
 * ones count. `needle` (or NULL): *found is set when a line contains it. */
static TEST_UNUSED int count_module_maps(const char *needle, int *found) {
  char line[4096];
  int n = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return -1;
  if (found) *found = 0;
  while (fgets(line, sizeof line, f)) {
    int path = strchr(line, '/') != NULL;
    if (needle && found && strstr(line, needle)) *found = 1;
#ifdef SDL_TEST_EMULATED
    n += path;
#else
    char perms[8] = "";
    if (sscanf(line, "%*s %7s", perms) == 1) n += path || strcmp(perms, "---p") == 0;
#endif
  }
  fclose(f);
  return n;
}

#endif
