/* One benchmark host, built three ways from this source:
 *   staticdl   static musl host (zig cc) + libstaticdl.a
 *              (bench_staticdl_mem: -DBENCH_COUNT_MALLOC, see below)
 *   glibc      dynamic glibc program (gcc -ldl)               -DBENCH_GLIBC
 *   musl       dynamic musl program (musl-gcc), run by /lib/ld-musl-x86_64.so.1
 * Each process does one measurement and prints `key value` lines on stdout;
 * perf/driver.py starts a fresh process per measurement.
 *
 *   bench open  <plugin> <warm-plugin>       dlopen(RTLD_NOW) time of <plugin>
 *                                            (after one dlopen+dlclose of the
 *                                            small <warm-plugin>); dlclose untimed
 *   bench dlsym <plugin> <n> <mode> <reps>   ns per dlsym of the 2n exported
 *                                            names f_i, t_i; mode: handle |
 *                                            default (RTLD_DEFAULT) | miss
 *   bench tls   <plugin> <fn> <iters>        ns per TLS access: <fn>(iters) runs
 *                                            the access loop inside the plugin
 *   bench cycle <plugin> <iters>             us per dlopen+dlclose of <plugin>
 *   bench mem   <dir> <count> <big> <nsyms>  heap bytes per module (count
 *                                            distinct copies dir/libmem_NNN.so)
 *                                            and per symbol (<big>, nsyms)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef BENCH_GLIBC
#include <malloc.h>
#endif
#include "proc_status.h"

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char* what) {
  const char* e = dlerror();
  fprintf(stderr, "bench: %s: %s\n", what, e ? e : "(no dlerror)");
  exit(1);
}

static void* open_or_die(const char* path, int flags) {
  void* h = dlopen(path, flags);
  if (!h) die(path);
  return h;
}

/* ---- heap accounting (mem) --------------------------------------------- */
/* staticdl host (bench_staticdl_mem): perf/CMakeLists.txt links a copy of
 * libstaticdl.a whose malloc/calloc/realloc/free/posix_memalign references
 * objcopy renamed to counted_*, so exactly the loader's own allocations go
 * through the counters below (zig's linker has no --wrap). libc's internal
 * calls and the plugins' calls (bound by name to the real malloc) are not
 * counted. */
#ifdef BENCH_COUNT_MALLOC
size_t malloc_usable_size(void*);
static long long g_live;
void* counted_malloc(size_t n) {
  void* p = malloc(n);
  if (p) g_live += (long long)malloc_usable_size(p);
  return p;
}
void* counted_calloc(size_t n, size_t s) {
  void* p = calloc(n, s);
  if (p) g_live += (long long)malloc_usable_size(p);
  return p;
}
void* counted_realloc(void* o, size_t n) {
  long long before = o ? (long long)malloc_usable_size(o) : 0;
  void* p = realloc(o, n);
  if (p) g_live += (long long)malloc_usable_size(p) - before;
  else if (n == 0) g_live -= before;
  return p;
}
void counted_free(void* p) {
  if (p) g_live -= (long long)malloc_usable_size(p);
  free(p);
}
int counted_posix_memalign(void** out, size_t a, size_t n) {
  int r = posix_memalign(out, a, n);
  if (r == 0) g_live += (long long)malloc_usable_size(*out);
  return r;
}
static long long heap_bytes(void) { return g_live; }
#define HEAP_METHOD "counted"  /* exact: bytes the loader holds (usable size) */
#elif defined(BENCH_GLIBC)
static long long heap_bytes(void) {
  struct mallinfo2 m = mallinfo2();
  return (long long)(m.uordblks + m.hblkhd);
}
#define HEAP_METHOD "mallinfo2"  /* exact for ld.so: it allocates with libc malloc */
#else
static long long heap_bytes(void) { return -1; }  /* musl's ldso uses internal malloc */
#define HEAP_METHOD "none"
#endif

/* ---- cases ---------------------------------------------------------------- */

static int cmd_open(char** a) {
  dlclose(open_or_die(a[1], RTLD_NOW | RTLD_LOCAL));  /* warm-up: first-use setup */
  double t0 = now_ns();
  void* h = dlopen(a[0], RTLD_NOW | RTLD_LOCAL);
  double t1 = now_ns();
  if (!h) die(a[0]);
  printf("value %.0f\n", t1 - t0);
  dlclose(h);
  return 0;
}

static char** make_names(long n, const char* f, const char* t) {
  char** v = malloc((size_t)(2 * n) * sizeof *v);
  for (long i = 0; i < n; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "%s%ld", f, i);
    v[2 * i] = strdup(buf);
    snprintf(buf, sizeof buf, "%s%ld", t, i);
    v[2 * i + 1] = strdup(buf);
  }
  return v;
}

static int cmd_dlsym(char** a) {
  long n = atol(a[1]);
  const char* mode = a[2];
  int reps = atoi(a[3]);
  int miss = !strcmp(mode, "miss");
  void* h = open_or_die(a[0], RTLD_NOW | RTLD_GLOBAL);
  void* where = !strcmp(mode, "default") ? RTLD_DEFAULT : h;
  char** names = miss ? make_names(n, "nf_", "nt_") : make_names(n, "f_", "t_");
  volatile uintptr_t sink = 0;
  double best = 1e30;
  for (int r = 0; r < (reps < 1 ? 1 : reps); r++) {
    uintptr_t acc = 0;
    double t0 = now_ns();
    for (long i = 0; i < 2 * n; i++) acc += (uintptr_t)dlsym(where, names[i]);
    double t1 = now_ns();
    if (!miss && !acc) die("dlsym found nothing");
    if (miss && acc) die("dlsym found a missing name");
    sink += acc;
    if (t1 - t0 < best) best = t1 - t0;
  }
  /* best of the in-process repetitions: the first one warms the caches */
  printf("value %.2f\n", best / (double)(2 * n));
  return 0;
}

static int cmd_tls(char** a) {
  long iters = atol(a[2]);
  void* h = open_or_die(a[0], RTLD_NOW | RTLD_LOCAL);
  long (*fn)(long) = (long (*)(long))(uintptr_t)dlsym(h, a[1]);
  if (!fn) die(a[1]);
  fn(iters / 10 + 1);  /* warm-up: first access allocates the block */
  double t0 = now_ns();
  long r = fn(iters);
  double t1 = now_ns();
  if (r < iters) {
    fprintf(stderr, "bench: %s returned %ld < %ld\n", a[1], r, iters);
    return 1;
  }
  printf("value %.3f\n", (t1 - t0) / (double)iters);
  return 0;
}

static int cmd_cycle(char** a) {
  long iters = atol(a[1]);
  dlclose(open_or_die(a[0], RTLD_NOW | RTLD_LOCAL));  /* warm-up */
  double t0 = now_ns();
  for (long i = 0; i < iters; i++) {
    void* h = dlopen(a[0], RTLD_NOW | RTLD_LOCAL);
    if (!h) die(a[0]);
    dlclose(h);
  }
  double t1 = now_ns();
  printf("value %.3f\n", (t1 - t0) / (double)iters / 1e3);
  return 0;
}

static int cmd_mem(char** a) {
  const char* dir = a[0];
  int count = atoi(a[1]);
  long nsyms = atol(a[3]);
  char path[4096];
  /* warm-up: one copy opened and closed, so one-time setup is not counted */
  snprintf(path, sizeof path, "%s/libmem_warm.so", dir);
  dlclose(open_or_die(path, RTLD_NOW | RTLD_LOCAL));
  long long h0 = heap_bytes(), d0 = status_kb("VmData"), r0 = status_kb("VmRSS");
  for (int i = 0; i < count; i++) {
    snprintf(path, sizeof path, "%s/libmem_%03d.so", dir, i);
    open_or_die(path, RTLD_NOW | RTLD_LOCAL);
  }
  long long h1 = heap_bytes(), d1 = status_kb("VmData"), r1 = status_kb("VmRSS");
  open_or_die(a[2], RTLD_NOW | RTLD_LOCAL);
  long long h2 = heap_bytes();
  printf("method %s\n", HEAP_METHOD);
  if (h0 >= 0) {
    double per_mod = (double)(h1 - h0) / count;
    printf("heap_per_module %.1f\n", per_mod);
    printf("heap_per_symbol %.3f\n", ((double)(h2 - h1) - per_mod) / (double)nsyms);
  }
  printf("vmdata_kb_per_module %.2f\n", (double)(d1 - d0) / count);
  printf("vmrss_kb_per_module %.2f\n", (double)(r1 - r0) / count);
  return 0;
}

int main(int argc, char** argv) {
  static const struct {
    const char* name;
    int nargs;
    int (*fn)(char**);
  } cmds[] = {{"open", 2, cmd_open}, {"dlsym", 4, cmd_dlsym}, {"tls", 3, cmd_tls},
              {"cycle", 2, cmd_cycle}, {"mem", 4, cmd_mem}};
  for (size_t i = 0; argc >= 2 && i < sizeof cmds / sizeof cmds[0]; i++)
    if (!strcmp(argv[1], cmds[i].name)) {
      if (argc - 2 != cmds[i].nargs) break;
      return cmds[i].fn(argv + 2);
    }
  fprintf(stderr, "usage: bench open|dlsym|tls|cycle|mem ... (see perf/src/bench.c)\n");
  return 2;
}
