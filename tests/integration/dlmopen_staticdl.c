/* dlmopen, what only staticdl does (no oracle):
 * - namespaces run out at 16 as in glibc (DL_NNS), with glibc's text; glibc
 *   itself runs out of static TLS for the libc copy of each namespace
 *   long before that;
 * - every namespace binds to the host's one C library, where glibc loads a
 *   libc per namespace;
 * - dl_iterate_phdr reports the objects of every namespace (glibc: the
 *   caller's only): the host's one unwinder must find their frames;
 * - dlopen(RTLD_GLOBAL) called from inside a namespace adds to that
 *   namespace's global scope (glibc 2.36 crashes there: its secondary
 *   namespaces have no global search list). */
#include "common.h"

#include <staticdl/staticdl.h>

typedef void *(*SymFn)(const char *);
typedef void *(*OpenFn)(const char *, int);

static int copies_seen;
static int count_copies(struct dl_phdr_info *info, size_t size, void *name) {
  (void)size;
  if (!strcmp(base_name(info->dlpi_name), (const char *)name)) copies_seen++;
  return 0;
}

static long lmid_of(void *h) {
  Lmid_t l = -99;
  if (dlinfo(h, RTLD_DI_LMID, &l) != 0) print_dlerror("dlinfo");
  return (long)l;
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *h[16] = {0};
  int n = 0;
  for (; n < 16; n++) {
    h[n] = dlmopen(LM_ID_NEWLM, plugin_path("libns_dep.so"), RTLD_NOW);
    if (!h[n]) break;
  }
  /* Read before dlinfo, which forgets an unread error as glibc's does. */
  char err[4096], buf[4096];
  const char *e = dlerror();
  snprintf(err, sizeof err, "%s", e ? e : "(null)");
  printf("namespaces opened: %d, the last lmid %ld\n", n, n ? lmid_of(h[n - 1]) : -1L);
  printf("one more: %s\n", replace_dir(err, buf, sizeof buf));
  dlclose(h[3]);
  void *again = dlmopen(LM_ID_NEWLM, plugin_path("libns_dep.so"), RTLD_NOW);
  printf("after closing lmid 4's only object: a new namespace gets lmid %ld\n", again ? lmid_of(again) : -1L);
  for (int i = 0; i < n; i++)
    if (i != 3) dlclose(h[i]);
  dlclose(again);

  void *p = dlmopen(LM_ID_NEWLM, plugin_path("libns_plugin.so"), RTLD_NOW);
  if (!p) print_dlerror("dlmopen");
  SymFn default_sym = (SymFn)dlsym(p, "default_sym");
  printf("lmid %ld binds to the host's C library: strlen %s, malloc %s\n", lmid_of(p),
         default_sym("strlen") == (void *)&strlen ? "yes" : "no", default_sym("malloc") == (void *)&malloc ? "yes" : "no");
  void *g = ((OpenFn)dlsym(p, "open_from_plugin"))(plugin_path("libns_second.so"), RTLD_NOW | RTLD_GLOBAL);
  if (!g) print_dlerror("open_from_plugin");
  printf("RTLD_GLOBAL from lmid %ld: its RTLD_DEFAULT finds call_bump %s, the program's %s\n", lmid_of(p),
         default_sym("call_bump") == dlsym(g, "call_bump") ? "yes" : "no",
         dlsym(RTLD_DEFAULT, "call_bump") ? "yes" : "no");
  dlclose(g);
  void *base = dlopen(plugin_path("libns_plugin.so"), RTLD_NOW);
  dl_iterate_phdr(count_copies, (void *)"libns_plugin.so");
  printf("dl_iterate_phdr from the program: %d copies of libns_plugin.so\n", copies_seen);
  dlclose(base);
  dlclose(p);
  return 0;
}
