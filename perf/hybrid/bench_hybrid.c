/* Real libraries, hybrid mode: one host source built twice,
 *   bench_hybrid_staticdl   dynamically linked glibc program + libstaticdl_hybrid.a
 *                           (staticdl_add_hybrid_host): the library and the
 *                           dependencies ld.so has not loaded are loaded by staticdl
 *   bench_hybrid_glibc      the same program on glibc's dlopen (gcc -ldl)
 * Both are C programs linked against libc only. staticdl's hybrid runtime
 * has the system loader load libgcc_s.so.1 (RTLD_GLOBAL) on its first use,
 * for unwinding (runtime/hybrid.cpp); the glibc host does the same before
 * its warm-up, so the same objects are preloaded in both (ld.so, libc,
 * libgcc_s) and libm, libstdc++ and the rest are loaded by the loader under
 * test in both.
 *
 *   bench_hybrid open <library> <warm-plugin>|-
 *
 * One measurement per process (perf/driver.py starts a fresh one each
 * time): after one untimed dlopen+dlclose of <warm-plugin> (first-use setup
 * excluded, as in perf/src/bench.c; "-": none, the first-use setup is then
 * timed too), dlopen(<library>, RTLD_NOW | RTLD_LOCAL) is timed with
 * CLOCK_MONOTONIC, and getrusage() is read around it. Printed, one
 * `key value` per line:
 *   value    ns in the dlopen (mapping, relocation, initializers, of the
 *            library and every dependency loaded for it)
 *   minflt, majflt, faults   page faults in the dlopen (faults = minflt + majflt)
 *   objects  objects dl_iterate_phdr reports after minus before the dlopen
 *   rss_kb   VmRSS growth across the dlopen (KiB)
 *   warm_ns  ns of the warm-up dlopen (0 without one): the small plugin plus
 *            the loader's first-use setup
 * The library is not closed (libLLVM is NODELETE either way): the process
 * flushes stdout and leaves with _exit(), so no teardown runs.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../src/proc_status.h"

#ifdef BENCH_STATICDL
#include <staticdl/staticdl.h>
#define LOADER "staticdl"
#define DLOPEN staticdl_dlopen
#define DLCLOSE staticdl_dlclose
#define DLERROR staticdl_dlerror
#define ITERATE staticdl_dl_iterate_phdr
#else
#define LOADER "glibc"
#define DLOPEN dlopen
#define DLCLOSE dlclose
#define DLERROR dlerror
#define ITERATE dl_iterate_phdr
#endif

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int count_cb(struct dl_phdr_info* info, size_t size, void* data) {
  (void)info;
  (void)size;
  ++*(long*)data;
  return 0;
}

static long count_objects(void) {
  long n = 0;
  ITERATE(count_cb, &n);
  return n;
}

static int fail(const char* path) {
  const char* e = DLERROR();
  fprintf(stderr, "bench_hybrid (%s): %s: %s\n", LOADER, path, e ? e : "(no dlerror)");
  return 1;
}

static int cmd_open(const char* lib, const char* warm) {
  double warm_ns = 0;
#ifndef BENCH_STATICDL
  if (!dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_GLOBAL)) return fail("libgcc_s.so.1");
#endif
  if (strcmp(warm, "-") != 0) {
    double w0 = now_ns();
    void* w = DLOPEN(warm, RTLD_NOW | RTLD_LOCAL);
    warm_ns = now_ns() - w0;
    if (!w) return fail(warm);
    DLCLOSE(w);
  }
  long obj0 = count_objects();
  long long rss0 = status_kb("VmRSS");
  struct rusage u0, u1;
  getrusage(RUSAGE_SELF, &u0);
  double t0 = now_ns();
  void* h = DLOPEN(lib, RTLD_NOW | RTLD_LOCAL);
  double t1 = now_ns();
  getrusage(RUSAGE_SELF, &u1);
  if (!h) return fail(lib);
  long long rss1 = status_kb("VmRSS");
  long obj1 = count_objects();
  long minflt = u1.ru_minflt - u0.ru_minflt, majflt = u1.ru_majflt - u0.ru_majflt;
  printf("loader %s\n", LOADER);
  printf("value %.0f\n", t1 - t0);
  printf("minflt %ld\nmajflt %ld\nfaults %ld\n", minflt, majflt, minflt + majflt);
  printf("objects %ld\n", obj1 - obj0);
  printf("rss_kb %lld\n", rss1 - rss0);
  printf("warm_ns %.0f\n", warm_ns);
  fflush(stdout);
  _exit(0);
}

int main(int argc, char** argv) {
  if (argc == 4 && !strcmp(argv[1], "open")) return cmd_open(argv[2], argv[3]);
  fprintf(stderr, "usage: bench_hybrid open <library> <warm-plugin>|-  (see perf/hybrid/bench_hybrid.c)\n");
  return 2;
}
