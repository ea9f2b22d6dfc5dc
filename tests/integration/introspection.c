/* introspection: dlsym(RTLD_DEFAULT / RTLD_NEXT / dlopen(NULL)), dladdr,
 * dladdr1, dlinfo (RTLD_DI_LINKMAP, RTLD_DI_ORIGIN), dl_iterate_phdr and
 * dlvsym. */
#include "common.h"
#include <limits.h>

#ifndef __GLIBC__
#include <staticdl/staticdl.h> /* dladdr1, RTLD_DL_LINKMAP: not in musl's <dlfcn.h> */
#endif

#ifdef __cplusplus
extern "C" {
#endif
__attribute__((used, noinline)) int host_fn(int x) { return x + 1; }
#ifdef __cplusplus
}
#endif

struct phdr_scan {
  int seen;
  unsigned long long adds, subs;
};

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data) {
  struct phdr_scan *s = (struct phdr_scan *)data;
  int i, has_load = 0;
  if (size < sizeof *info) return 0;
  s->adds = info->dlpi_adds;
  s->subs = info->dlpi_subs;
  if (info->dlpi_name && strcmp(base_name(info->dlpi_name), "libintro.so") == 0) {
    for (i = 0; i < info->dlpi_phnum; i++) has_load |= info->dlpi_phdr[i].p_type == PT_LOAD;
    s->seen += has_load ? 1 : 100;
  }
  return 0;
}

static struct phdr_scan scan(void) {
  struct phdr_scan s = {0, 0, 0};
  dl_iterate_phdr(phdr_cb, &s);
  return s;
}

int main(int argc, char **argv) {
  void *h, *self, *p;
  Dl_info info;
  struct link_map *lm = NULL;
  char origin[PATH_MAX], real[PATH_MAX];
  struct phdr_scan s0, s1, s2;
  int (*intro)(int);
  test_init(argc, argv);

  /* The host's own and libc's symbols. */
  printf("RTLD_DEFAULT host_fn: %s\n", dlsym(RTLD_DEFAULT, "host_fn") == (void *)host_fn ? "== &host_fn" : "wrong");
  printf("RTLD_DEFAULT strlen: %s\n", dlsym(RTLD_DEFAULT, "strlen") == (void *)strlen ? "== &strlen" : "wrong");
  self = dlopen(NULL, RTLD_NOW);
  printf("dlopen(NULL) host_fn: %s\n", self && dlsym(self, "host_fn") == (void *)host_fn ? "== &host_fn" : "wrong");
  if (self) dlclose(self);

  s0 = scan();
  printf("dl_iterate_phdr before dlopen: %s\n", s0.seen ? "seen" : "not seen");

  h = must_open("libintro.so", RTLD_NOW | RTLD_GLOBAL);
  intro = FN(int (*)(int), h, "intro_fn");
  printf("intro_fn(1) = %d\n", intro(1));

  /* RTLD_NEXT from the host: objects after it (the RTLD_GLOBAL plugin). */
  printf("RTLD_NEXT intro_fn: %s\n", dlsym(RTLD_NEXT, "intro_fn") == (void *)intro ? "the plugin's" : "wrong");
  dlerror();
  printf("RTLD_NEXT host_fn: %s\n", dlsym(RTLD_NEXT, "host_fn") ? "found" : "NULL");
  dlerror();

  /* dladdr. */
  memset(&info, 0, sizeof info);
  if (dladdr((void *)intro, &info)) {
    printf("dladdr intro_fn: fname=%s sname=%s saddr=%s fbase=%s\n", base_name(info.dli_fname),
           info.dli_sname ? info.dli_sname : "(null)", info.dli_saddr == (void *)intro ? "ok" : "wrong",
           info.dli_fbase && (char *)info.dli_fbase <= (char *)intro ? "ok" : "wrong");
  } else {
    printf("dladdr intro_fn: failed\n");
  }
  p = must_sym(h, "intro_data");
  memset(&info, 0, sizeof info);
  if (dladdr((char *)p + 1, &info))
    printf("dladdr intro_data+1: fname=%s sname=%s saddr=%s\n", base_name(info.dli_fname),
           info.dli_sname ? info.dli_sname : "(null)", info.dli_saddr == p ? "ok" : "wrong");
  else
    printf("dladdr intro_data+1: failed\n");
  memset(&info, 0, sizeof info);
  printf("dladdr host_fn: %s\n", dladdr((void *)host_fn, &info) && info.dli_sname ? info.dli_sname : "(null)");
  printf("dladdr NULL: %d\n", dladdr(NULL, &info));

  /* dlinfo. */
  if (dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm)
    printf("RTLD_DI_LINKMAP l_name: %s, l_ld %s\n", base_name(lm->l_name), lm->l_ld ? "set" : "NULL");
  else
    printf("RTLD_DI_LINKMAP failed\n");
  {
    struct link_map *lm1 = NULL;
    int r = dladdr1((void *)intro, &info, (void **)&lm1, RTLD_DL_LINKMAP);
    printf("dladdr1 RTLD_DL_LINKMAP: %d, %s\n", r, lm1 && lm1 == lm ? "the handle's link map" : "another");
  }
  origin[0] = 0;
  if (dlinfo(h, RTLD_DI_ORIGIN, origin) == 0) {
    int same = strcmp(origin, test_dir) == 0;
    if (!same && realpath(test_dir, real)) same = strcmp(origin, real) == 0;
    printf(same ? "origin ok\n" : "origin wrong\n");
  } else {
    printf("RTLD_DI_ORIGIN failed\n");
  }

  /* dl_iterate_phdr sees the plugin while it is loaded. */
  s1 = scan();
  printf("dl_iterate_phdr while loaded: %s\n", s1.seen == 1 ? "seen" : s1.seen ? "odd" : "not seen");
  printf("dlpi_adds increased on load: %s\n", s1.adds > s0.adds ? "yes" : "no");
  dlclose(h);
  s2 = scan();
  printf("dl_iterate_phdr after dlclose: %s\n", s2.seen ? "seen" : "not seen");
  printf("dlpi_subs increased on unload: %s\n", s2.subs > s1.subs ? "yes" : "no");

  /* dlvsym: foo@V1, foo@@V2 (the default). */
  h = must_open("libversioned.so", RTLD_NOW);
  p = dlvsym(h, "foo", "V1");
  printf("dlvsym foo V1: %d\n", p ? ((int (*)(void))p)() : -1);
  p = dlvsym(h, "foo", "V2");
  printf("dlvsym foo V2: %d\n", p ? ((int (*)(void))p)() : -1);
  printf("dlsym foo (default): %d\n", FN(int (*)(void), h, "foo")());
  printf("dlvsym foo V3: %s\n", dlvsym(h, "foo", "V3") ? "found" : "NULL");
  dlerror();
  /* bar is in no version node: dlsym finds it, dlvsym with any version
   * does not (glibc's dlvsym wants exactly that version). */
  printf("dlsym bar (unversioned): %d\n", FN(int (*)(void), h, "bar")());
  printf("dlvsym bar V1: %s\n", dlvsym(h, "bar", "V1") ? "found" : "NULL");
  print_dlerror("  dlerror");
  printf("dlsym foo_v1 (local): %s\n", dlsym(h, "foo_v1") ? "found" : "NULL");
  dlerror();
  dlclose(h);
  return 0;
}
