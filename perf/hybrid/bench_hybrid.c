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
 *
 *   bench_hybrid objects <library> <warm-plugin>|-
 *
 * The files the dlopen of <library> maps (the objects dl_iterate_phdr
 * reports after it and not before, with the same steps before it as
 * `open`), one
 * `object <path>` line each: what perf/src/floor.c --all loads for the
 * library's floor.
 *
 *   bench_hybrid dlsym <library> handle|default|miss <reps>
 *
 * dlsym throughput (issue: "every defined symbol of libLLVM-14"): the
 * library is opened RTLD_NOW | RTLD_GLOBAL, then every defined non-TLS
 * global or weak name of its .dynsym (read from the file, so both loaders
 * get the same list) is looked up <reps> times through the handle, through
 * RTLD_DEFAULT, or through the handle with "_miss" appended. Printed:
 * value (ns per lookup) and symbols (names per round).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
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
#define DLSYM staticdl_dlsym
#else
#define LOADER "glibc"
#define DLOPEN dlopen
#define DLCLOSE dlclose
#define DLERROR dlerror
#define ITERATE dl_iterate_phdr
#define DLSYM dlsym
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

/* The load addresses of the objects loaded now (at most 64), for `objects`. */
struct loaded {
  long n;
  uintptr_t addr[64];
};

static int note_cb(struct dl_phdr_info* info, size_t size, void* data) {
  (void)size;
  struct loaded* l = data;
  if (l->n < 64) l->addr[l->n++] = info->dlpi_addr;
  return 0;
}

static int print_new_cb(struct dl_phdr_info* info, size_t size, void* data) {
  (void)size;
  const struct loaded* before = data;
  for (long i = 0; i < before->n; i++)
    if (before->addr[i] == info->dlpi_addr) return 0;
  printf("object %s\n", info->dlpi_name);
  return 0;
}

static int fail(const char* path) {
  const char* e = DLERROR();
  fprintf(stderr, "bench_hybrid (%s): %s: %s\n", LOADER, path, e ? e : "(no dlerror)");
  return 1;
}

/* What both hosts do before the measured dlopen (see the top): libgcc_s
 * preloaded, then one dlopen+dlclose of `warm` ("-": none), timed into
 * *warm_ns. Returns 0, or 1 with the error printed. */
static int prepare(const char* warm, double* warm_ns) {
#ifndef BENCH_STATICDL
  if (!dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_GLOBAL)) return fail("libgcc_s.so.1");
#endif
  if (strcmp(warm, "-") == 0) return 0;
  double w0 = now_ns();
  void* w = DLOPEN(warm, RTLD_NOW | RTLD_LOCAL);
  *warm_ns = now_ns() - w0;
  if (!w) return fail(warm);
  DLCLOSE(w);
  return 0;
}

static int cmd_objects(const char* lib, const char* warm) {
  double warm_ns = 0;
  if (prepare(warm, &warm_ns) != 0) return 1;
  struct loaded before = {0};
  ITERATE(note_cb, &before);
  if (!DLOPEN(lib, RTLD_NOW | RTLD_LOCAL)) return fail(lib);
  ITERATE(print_new_cb, &before);
  fflush(stdout);
  _exit(0);
}

static int cmd_open(const char* lib, const char* warm) {
  double warm_ns = 0;
  if (prepare(warm, &warm_ns) != 0) return 1;
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

/* The names of the defined, non-TLS, global or weak symbols of the ELF
 * file `path` (its .dynsym, read through the section headers), each with
 * `suffix` appended (misses: "_miss"). Returns the count, or -1. */
static long read_names(const char* path, const char* suffix, char*** out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) return -1;
  const unsigned char* f = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (f == MAP_FAILED) return -1;
  const Elf64_Ehdr* eh = (const Elf64_Ehdr*)f;
  const Elf64_Shdr* sh = (const Elf64_Shdr*)(f + eh->e_shoff);
  long n = 0;
  for (int i = 0; i < eh->e_shnum; i++) {
    if (sh[i].sh_type != SHT_DYNSYM) continue;
    const Elf64_Sym* sym = (const Elf64_Sym*)(f + sh[i].sh_offset);
    const char* str = (const char*)(f + sh[sh[i].sh_link].sh_offset);
    size_t count = sh[i].sh_size / sizeof *sym;
    *out = calloc(count, sizeof **out);
    for (size_t k = 0; *out && k < count; k++) {
      int bind = ELF64_ST_BIND(sym[k].st_info), type = ELF64_ST_TYPE(sym[k].st_info);
      if (sym[k].st_shndx == SHN_UNDEF || type == STT_TLS || (bind != STB_GLOBAL && bind != STB_WEAK)) continue;
      size_t len = strlen(str + sym[k].st_name);
      char* name = malloc(len + strlen(suffix) + 1);
      memcpy(name, str + sym[k].st_name, len);
      strcpy(name + len, suffix);
      (*out)[n++] = name;
    }
  }
  return n;
}

/* dlsym throughput: every defined symbol of `lib` looked up `reps` times
 * through the handle, RTLD_DEFAULT, or (miss) through the handle with a
 * suffix no symbol has. value = ns per lookup. */
static int cmd_dlsym(const char* lib, const char* mode, long reps) {
  char** names = NULL;
  int miss = !strcmp(mode, "miss"), dflt = !strcmp(mode, "default");
  long n = read_names(lib, miss ? "_miss" : "", &names);
  if (n <= 0) return fprintf(stderr, "bench_hybrid: %s: no symbols read\n", lib), 1;
  void* h = DLOPEN(lib, RTLD_NOW | RTLD_GLOBAL);
  if (!h) return fail(lib);
  void* where = dflt ? RTLD_DEFAULT : h;
  long found = 0;
  double t0 = now_ns();
  for (long r = 0; r < reps; r++)
    for (long i = 0; i < n; i++) found += DLSYM(where, names[i]) != NULL;
  double t1 = now_ns();
  /* glibc's dlsym does not return a name whose only definition has a
   * hidden (non-default) version; everything else must be found. */
  if (miss ? found != 0 : found < n * reps - reps * 8)
    return fprintf(stderr, "bench_hybrid: %s: %ld of %ld lookups found\n", mode, found, n * reps), 1;
  printf("loader %s\nvalue %.2f\nsymbols %ld\nfound %ld\n", LOADER, (t1 - t0) / (double)(n * reps), n, found / reps);
  fflush(stdout);
  _exit(0);
}

int main(int argc, char** argv) {
  if (argc == 4 && !strcmp(argv[1], "open")) return cmd_open(argv[2], argv[3]);
  if (argc == 4 && !strcmp(argv[1], "objects")) return cmd_objects(argv[2], argv[3]);
  if (argc == 5 && !strcmp(argv[1], "dlsym")) return cmd_dlsym(argv[2], argv[3], atol(argv[4]));
  fprintf(stderr,
          "usage: bench_hybrid open <library> <warm-plugin>|-\n"
          "       bench_hybrid objects <library> <warm-plugin>|-\n"
          "       bench_hybrid dlsym <library> handle|default|miss <reps>  (see perf/hybrid/bench_hybrid.c)\n");
  return 2;
}
