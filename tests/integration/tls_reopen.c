/* tls_reopen: 1000 rounds of dlopen/dlclose of libtls_reopen.so (general
 * dynamic, TLS descriptor and initial-exec variables, from
 * tests/fixtures/tls/reopen_*.c) while 4 threads keep using the TLS of two
 * other plugins that stay open (libtls_thr0.so, general dynamic, and
 * libtls_thr3.so, initial exec). Every round the main thread checks that
 * the reopened plugin's variables hold their initial image (its values of
 * the previous round are gone), writes its own and reads them back.
 * Afterwards the number of mappings and of open descriptors is unchanged,
 * and VmData grew by less than 1 MB.
 *
 *   tls_reopen <plugin-dir> [rounds]   (default 1000; valgrind runs fewer)
 *
 * Built with SDL_TEST_EMULATED (cross builds, run by qemu-user), where
 * /proc/self/maps is qemu's reconstruction (it drops live anonymous
 * mappings such as thread stacks, and shows new ones of qemu's) and VmData
 * is the emulator's own: "maps" counts file-backed mappings only, and
 * "memory" is the growth of the live heap (tests/tools/valgrind_malloc.c
 * with SDL_MALLOC_COUNT_ONLY, linked in) instead of VmData. */
#include "common.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

enum { kWorkers = 4, kWarmup = 200 };

static int count_maps(void) { return count_module_maps(NULL, NULL); }

/* /proc/self/maps as a malloc'ed string (for the diagnostic on stderr). */
static char *read_maps(void) {
  size_t n = 0, cap = 0;
  char *buf = NULL;
  int c;
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return NULL;
  while ((c = fgetc(f)) != EOF) {
    if (n + 2 > cap) {
      char *nb = realloc(buf, cap = cap ? 2 * cap : 8192);
      if (!nb) break;
      buf = nb;
    }
    buf[n++] = (char)c;
  }
  fclose(f);
  if (buf) buf[n] = 0;
  return buf;
}

/* VmData from /proc/self/status, in kB (emulated: the live heap). */
#ifdef SDL_TEST_EMULATED
size_t sdl_heap_live_bytes(void);
static long vm_data_kb(void) { return (long)(sdl_heap_live_bytes() / 1024); }
#else
static long vm_data_kb(void) {
  char line[256];
  long kb = -1;
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, "VmData:", 7) == 0) kb = strtol(line + 7, NULL, 10);
  fclose(f);
  return kb;
}
#endif

/* The plugins the workers use. */
static int (*gd_check_init)(void), (*ie_check_init)(void);
static void (*gd_set)(long), (*ie_set)(long);
static int (*gd_check)(long), (*ie_check)(long);

static pthread_barrier_t started;  /* the workers and main */
static volatile int stop;
static volatile long worker_iters[kWorkers];

static void *worker(void *arg) {
  long id = (long)(intptr_t)arg, n;
  const char *why = NULL;
  if (gd_check_init() != 0) why = "general-dynamic plugin: wrong initial image";
  else if (ie_check_init() != 0) why = "initial-exec plugin: wrong initial image";
  /* Main measures once every worker has its blocks (glibc also gives
   * each thread a malloc arena at its first allocation). */
  pthread_barrier_wait(&started);
  if (why) return (void *)why;
  for (n = 0; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); n++) {
    long seed = id * 1000000 + n;
    gd_set(seed);
    ie_set(seed + 7);
    sched_yield();
    if (gd_check(seed) != 0) return (void *)"general-dynamic plugin: lost a value";
    if (ie_check(seed + 7) != 0) return (void *)"initial-exec plugin: lost a value";
    worker_iters[id] = n + 1;
  }
  return NULL;
}

struct reopened {
  int (*check_init[3])(void);
  void (*set[3])(long);
  int (*check[3])(long);
};

/* One round: open, check the initial image, write, read back, close.
 * Returns 0, or the round's failure text. */
static const char *round_trip(long round) {
  static const int ids[3] = {20, 21, 22};  /* general dynamic, descriptor, initial exec */
  static const char *const names[3] = {"general-dynamic", "descriptor", "initial-exec"};
  static char why[200];
  struct reopened r;
  char sym[64];
  int p, e;
  void *h = dlopen(plugin_path("libtls_reopen.so"), RTLD_NOW);
  if (!h) {
    char buf[4096];
    snprintf(why, sizeof why, "dlopen: %s", replace_dir(dlerror(), buf, sizeof buf));
    return why;
  }
  for (p = 0; p < 3; p++) {
    snprintf(sym, sizeof sym, "tls%d_check_init", ids[p]);
    r.check_init[p] = (int (*)(void))must_sym(h, sym);
    snprintf(sym, sizeof sym, "tls%d_set", ids[p]);
    r.set[p] = (void (*)(long))must_sym(h, sym);
    snprintf(sym, sizeof sym, "tls%d_check", ids[p]);
    r.check[p] = (int (*)(long))must_sym(h, sym);
  }
  for (p = 0; p < 3; p++) {
    if ((e = r.check_init[p]()) != 0) {
      snprintf(why, sizeof why, "%s variables: not the initial image after reopen (field %d)", names[p], e);
      return why;
    }
  }
  for (p = 0; p < 3; p++) r.set[p](round * 3 + p + 1);
  for (p = 0; p < 3; p++) {
    if ((e = r.check[p](round * 3 + p + 1)) != 0) {
      snprintf(why, sizeof why, "%s variables: lost a value (field %d)", names[p], e);
      return why;
    }
  }
  if (dlclose(h) != 0) return "dlclose failed";
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t t[kWorkers];
  void *gd, *ie;
  long rounds = 1000, i, maps0, fds0, vm0, maps1, fds1, vm1;
  char *text0;
  int ok = 1;
  const char *why = NULL;
  test_init(argc, argv);
  if (argc > 2) rounds = strtol(argv[2], NULL, 10);
  gd = must_open("libtls_thr0.so", RTLD_NOW);
  ie = must_open("libtls_thr3.so", RTLD_NOW);
  gd_check_init = FN(int (*)(void), gd, "tls0_check_init");
  gd_set = FN(void (*)(long), gd, "tls0_set");
  gd_check = FN(int (*)(long), gd, "tls0_check");
  ie_check_init = FN(int (*)(void), ie, "tls3_check_init");
  ie_set = FN(void (*)(long), ie, "tls3_set");
  ie_check = FN(int (*)(long), ie, "tls3_check");
  CHECK(pthread_barrier_init(&started, NULL, kWorkers + 1) == 0);
  for (i = 0; i < kWorkers; i++) CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0);
  pthread_barrier_wait(&started);

  /* Warm up: first-use allocations (malloc, vectors, registries) are not
   * leaks; musl's mallocng takes a hundred or so rounds to settle. */
  for (i = 0; i < kWarmup && !why; i++) why = round_trip(i);
  maps0 = count_maps();
  text0 = read_maps();
  fds0 = count_fds();
  vm0 = vm_data_kb();
  for (i = 0; i < rounds && !why; i++) why = round_trip(kWarmup + i);
  maps1 = count_maps();
  fds1 = count_fds();
  vm1 = vm_data_kb();
  __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
  if (why) {
    printf("round %ld: %s\n", i, why);
    ok = 0;
  } else {
    printf("%s rounds: fresh TLS after every reopen\n", rounds == 1000 ? "1000" : "all");
  }
  for (i = 0; i < kWorkers; i++) {
    void *ret;
    CHECK(pthread_join(t[i], &ret) == 0);
    if (ret) {
      printf("worker %ld: %s\n", i, (const char *)ret);
      ok = 0;
    } else if (worker_iters[i] == 0) {
      printf("worker %ld: never ran\n", i);
      ok = 0;
    }
  }
  if (ok) printf("workers: %d threads ok\n", kWorkers);
  if (maps0 == maps1) printf("maps stable\n");
  else {
    char *text1 = read_maps();
    printf("maps changed: %ld -> %ld\n", maps0, maps1);
    fprintf(stderr, "maps before:\n%s\nmaps after:\n%s\n", text0 ? text0 : "?", text1 ? text1 : "?");
    free(text1);
  }
  free(text0);
  if (fds0 == fds1) printf("fds stable\n");
  else printf("fds changed: %ld -> %ld\n", fds0, fds1);
  if (vm0 >= 0 && vm1 >= 0 && vm1 - vm0 < 1024) printf("memory stable\n");
  else printf("memory grew: VmData %ld kB -> %ld kB\n", vm0, vm1);
  /* The main thread still sees its own values in the plugins that stayed. */
  gd_set(42);
  ie_set(43);
  CHECK(gd_check(42) == 0 && ie_check(43) == 0);
  CHECK(dlclose(ie) == 0 && dlclose(gd) == 0);
  return ok ? 0 : 1;
}
