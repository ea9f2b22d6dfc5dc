/* One source, two programs: the hybrid host (a dynamically linked glibc
 * program on staticdl, -DSTATICDL_HYBRID_TEST) and the oracle (the same
 * program on glibc's own dlopen). Both print the same .expected text. */
#ifndef STATICDL_HYBRID_COMMON_H
#define STATICDL_HYBRID_COMMON_H
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef STATICDL_HYBRID_TEST
#include <staticdl/staticdl.h>
#define DL_OPEN staticdl_dlopen
#define DL_SYM staticdl_dlsym
#define DL_CLOSE staticdl_dlclose
#define DL_ERROR staticdl_dlerror
#define DL_ADDR staticdl_dladdr
#define DL_VSYM staticdl_dlvsym
#define DL_MOPEN staticdl_dlmopen
#define DL_INFO staticdl_dlinfo
#define LOADER "staticdl"
#else
#define DL_OPEN dlopen
#define DL_SYM dlsym
#define DL_CLOSE dlclose
#define DL_ERROR dlerror
#define DL_ADDR dladdr
#define DL_VSYM dlvsym
#define DL_MOPEN dlmopen
#define DL_INFO dlinfo
#define LOADER "glibc"
#endif

/* Opens dir/name or exits with dlerror()'s text. */
static inline void* open_or_die(const char* dir, const char* name, int flags) {
  char path[4096];
  if (dir) snprintf(path, sizeof path, "%s/%s", dir, name);
  else snprintf(path, sizeof path, "%s", name);
  void* h = DL_OPEN(path, flags);
  if (!h) {
    printf("dlopen %s failed: %s\n", name, DL_ERROR());
    exit(1);
  }
  return h;
}

/* Opens dir/name with the system loader's own dlopen (glibc's, in both
 * programs), or exits with its dlerror() text. */
static inline void* system_open_or_die(const char* dir, const char* name, int flags) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  void* h = dlopen(path, flags);
  if (!h) {
    printf("dlopen failed: %s\n", dlerror());
    exit(1);
  }
  return h;
}

static inline void* sym_or_die(void* h, const char* name) {
  void* p = DL_SYM(h, name);
  if (!p) {
    printf("dlsym %s failed: %s\n", name, DL_ERROR());
    exit(1);
  }
  return p;
}

static inline const char* base_name(const char* p) {
  const char* s = p ? strrchr(p, '/') : NULL;
  return s ? s + 1 : (p ? p : "(null)");
}

/* 1 when the system loader (ld.so) has `name` loaded. */
static inline int system_has(const char* name) {
  void* h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
  if (h) dlclose(h);
  return h != NULL;
}
#endif
