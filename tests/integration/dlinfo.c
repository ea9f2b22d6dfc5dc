/* dlinfo: RTLD_DI_LMID, RTLD_DI_TLS_MODID, RTLD_DI_TLS_DATA (NULL until the
 * calling thread has used the block, as in glibc), RTLD_DI_PHDR (the
 * program headers dl_iterate_phdr reports, the count as the return value)
 * and the error for a request neither loader answers. */
#include "common.h"

#include <pthread.h>

#ifndef __GLIBC__
#include <staticdl/staticdl.h> /* the RTLD_DI_* values musl's <dlfcn.h> lacks */
#endif
#ifndef RTLD_DI_CONFIGADDR
#define RTLD_DI_CONFIGADDR 3 /* glibc's; answered by neither loader */
#endif

static void *tls_handle;

static void *tls_data(void) {
  void *data = (void *)1;
  return dlinfo(tls_handle, RTLD_DI_TLS_DATA, &data) == 0 ? data : (void *)1;
}

/* Before the thread uses the variable glibc answers NULL (it allocates a
 * block at the first use); staticdl may already have one (a static block,
 * or one of its initialised blocks). Either is right; anything else not. */
static void check_tls_data(const char *who, int *(*addr)(void)) {
  void *before = tls_data();
  int v = ++*addr();
  void *after = tls_data();
  printf("%s: before using the variable: %s; after: %s; value %d\n", who,
         before == NULL || before == (void *)addr() ? "NULL or the block" : "wrong",
         after == (void *)addr() ? "the block (== &dlinfo_tv)" : "wrong", v);
}

static void *thread_main(void *arg) {
  check_tls_data("new thread", (int *(*)(void))arg);
  return NULL;
}

struct phdr_probe {
  const char *name;
  const void *phdr;
  int phnum;
};

static int find_phdrs(struct dl_phdr_info *info, size_t size, void *data) {
  struct phdr_probe *p = (struct phdr_probe *)data;
  (void)size;
  if (info->dlpi_name && strstr(info->dlpi_name, p->name)) {
    p->phdr = info->dlpi_phdr;
    p->phnum = info->dlpi_phnum;
  }
  return 0;
}

int main(int argc, char **argv) {
  test_init(argc, argv);
  void *basic = must_open("libdeep_global.so", RTLD_NOW);
  tls_handle = must_open("libdlinfo_tls.so", RTLD_NOW);
  int *(*addr)(void) = FN(int *(*)(void), tls_handle, "dlinfo_tv_addr");

  long lmid = -1;
  int rc = dlinfo(basic, RTLD_DI_LMID, &lmid);
  printf("RTLD_DI_LMID: %d, %ld\n", rc, lmid);

  size_t modid = 99;
  rc = dlinfo(basic, RTLD_DI_TLS_MODID, &modid);
  printf("RTLD_DI_TLS_MODID without PT_TLS: %d, %zu\n", rc, modid);
  modid = 0;
  rc = dlinfo(tls_handle, RTLD_DI_TLS_MODID, &modid);
  printf("RTLD_DI_TLS_MODID with PT_TLS: %d, %s\n", rc, modid ? "nonzero" : "0");
  void *data = (void *)1;
  rc = dlinfo(basic, RTLD_DI_TLS_DATA, &data);
  printf("RTLD_DI_TLS_DATA without PT_TLS: %d, %s\n", rc, data ? "set" : "NULL");

  check_tls_data("main thread", addr);
  pthread_t t;
  pthread_create(&t, NULL, thread_main, (void *)addr);
  pthread_join(t, NULL);
  printf("main thread, value %d\n", *addr());

  struct phdr_probe probe = {"libdlinfo_tls.so", NULL, 0};
  dl_iterate_phdr(find_phdrs, &probe);
  const void *phdr = NULL;
  int n = dlinfo(tls_handle, RTLD_DI_PHDR, &phdr);
  printf("RTLD_DI_PHDR: %s\n", n > 0 && n == probe.phnum && phdr == probe.phdr ? "dl_iterate_phdr's headers and count" : "different");

  rc = dlinfo(basic, RTLD_DI_CONFIGADDR, &data);
  printf("RTLD_DI_CONFIGADDR: %d\n", rc);
  if (rc != 0) print_dlerror("dlerror");
  dlclose(tls_handle);
  dlclose(basic);
  return 0;
}
