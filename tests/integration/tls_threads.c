/* tls_threads: eight TLS plugins (libtls_thr0.so .. libtls_thr7.so, built
 * from tests/fixtures/tls/model.c), two per access model: general dynamic,
 * local dynamic, TLS descriptors, initial exec. Each has initialised .tdata
 * (int, array, pointer to a string of the plugin, 64-byte-aligned array)
 * and .tbss (array, 64-byte-aligned int).
 *
 * 16 threads: 8 started before the dlopen calls (held on a barrier until
 * the plugins are loaded) and 8 started after. Each thread first checks
 * that every plugin's variables hold the initial image in that thread,
 * then, for several rounds, writes its own values through the plugins'
 * setters, sleeps a little while the others write theirs, and reads them
 * back. It also checks the alignment of the _Alignas(64) variables, that
 * no two threads share a block, and that dl_iterate_phdr reports each
 * plugin with a non-zero dlpi_tls_modid (the same in every thread, distinct
 * between plugins) and a dlpi_tls_data block containing the thread's
 * variable (see phdr_cb for where glibc reports NULL). */
#include "common.h"
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <time.h>

enum { kPlugins = 8, kEarly = 8, kLate = 8, kThreads = kEarly + kLate, kRounds = 20 };
static const char *const kModelName[] = {"?", "general-dynamic", "local-dynamic", "descriptor", "initial-exec"};

struct plugin {
  void *h;
  char lib[32];
  int (*model)(void);
  int (*check_init)(void);
  void (*set)(long);
  int (*check)(long);
  void *(*aligned)(void);
  void *(*aligned_bss)(void);
  void *(*addr)(void);
};
static struct plugin pl[kPlugins];

static pthread_barrier_t loaded;       /* the early threads and main */
static pthread_barrier_t all_in;       /* all 16 threads */
static pthread_mutex_t fail_lock = PTHREAD_MUTEX_INITIALIZER;
static int fails[kPlugins];
static char first_fail[kPlugins][200];
static void *addrs[kThreads][kPlugins];  /* each thread's &tls<k>_i */
static size_t modids[kThreads][kPlugins];

static void fail(int k, int tid, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(int k, int tid, const char *fmt, ...) {
  va_list ap;
  pthread_mutex_lock(&fail_lock);
  if (fails[k]++ == 0) {
    int n = snprintf(first_fail[k], sizeof first_fail[k], "thread %d: ", tid);
    va_start(ap, fmt);
    vsnprintf(first_fail[k] + n, sizeof first_fail[k] - n, fmt, ap);
    va_end(ap);
  }
  pthread_mutex_unlock(&fail_lock);
}

struct phdr_ctx {
  int tid;
  int seen[kPlugins];
};

static int phdr_cb(struct dl_phdr_info *info, size_t size, void *data) {
  struct phdr_ctx *c = (struct phdr_ctx *)data;
  const char *base = base_name(info->dlpi_name);
  int k, i;
  (void)size;
  for (k = 0; k < kPlugins; k++) {
    uintptr_t lo, a;
    uint64_t memsz = 0;
    if (strcmp(base, pl[k].lib) != 0) continue;
    c->seen[k]++;
    for (i = 0; i < info->dlpi_phnum; i++)
      if (info->dlpi_phdr[i].p_type == PT_TLS) memsz = info->dlpi_phdr[i].p_memsz;
    if (memsz == 0) fail(k, c->tid, "no PT_TLS in dlpi_phdr");
    if (info->dlpi_tls_modid == 0) fail(k, c->tid, "dlpi_tls_modid is 0");
    modids[c->tid][k] = info->dlpi_tls_modid;
    if (info->dlpi_tls_data == NULL) {
      /* glibc leaves a module in static TLS (initial exec; descriptors
       * when its surplus allows) out of the DTV of threads that predate
       * the dlopen, so dl_iterate_phdr reports NULL there. Everywhere
       * else the block is allocated once the thread has used it. */
      int model = pl[k].model();
      if (!(c->tid < kEarly && (model == 3 || model == 4))) fail(k, c->tid, "dlpi_tls_data is NULL after use");
      continue;
    }
    lo = (uintptr_t)info->dlpi_tls_data;
    a = (uintptr_t)pl[k].addr();
    if (a < lo || a >= lo + memsz)
      fail(k, c->tid, "variable at offset %ld from dlpi_tls_data, outside the %lu-byte block", (long)(a - lo), (unsigned long)memsz);
  }
  return 0;
}

static void pause_a_little(int tid, int r) {
  struct timespec ts = {0, 50000L * ((tid + r) % 4)};
  if (ts.tv_nsec) nanosleep(&ts, NULL);
  else sched_yield();
}

static long seed_of(int tid, int k, int r) { return (tid + 1) * 100000L + k * 1000L + r; }

static void *worker(void *arg) {
  int tid = (int)(intptr_t)arg, j, k, r, e;
  struct phdr_ctx c;
  if (tid < kEarly) pthread_barrier_wait(&loaded);
  /* First access in this thread, each thread starting at another plugin. */
  for (j = 0; j < kPlugins; j++) {
    k = (tid + j) % kPlugins;
    if ((e = pl[k].check_init()) != 0) fail(k, tid, "initial image wrong (field %d)", e);
    if ((uintptr_t)pl[k].aligned() % 64 != 0) fail(k, tid, "_Alignas(64) .tdata at %p", pl[k].aligned());
    if ((uintptr_t)pl[k].aligned_bss() % 64 != 0)
      fail(k, tid, "_Alignas(64) .tbss at %p", pl[k].aligned_bss());
    addrs[tid][k] = pl[k].addr();
  }
  /* Every thread's blocks are live at once: no thread has exited and left
   * its block's address to another. */
  pthread_barrier_wait(&all_in);
  for (r = 0; r < kRounds; r++) {
    for (k = 0; k < kPlugins; k++) pl[k].set(seed_of(tid, k, r));
    pause_a_little(tid, r);
    for (k = 0; k < kPlugins; k++)
      if ((e = pl[k].check(seed_of(tid, k, r))) != 0) fail(k, tid, "round %d: field %d lost its value", r, e);
  }
  memset(&c, 0, sizeof c);
  c.tid = tid;
  dl_iterate_phdr(phdr_cb, &c);
  for (k = 0; k < kPlugins; k++)
    if (c.seen[k] != 1) fail(k, tid, "dl_iterate_phdr reported it %d times", c.seen[k]);
  return NULL;
}

int main(int argc, char **argv) {
  static const char *const fns[] = {"model", "check_init", "set", "check", "aligned", "aligned_bss", "addr"};
  pthread_t t[kThreads];
  int i, k, ok = 1;
  test_init(argc, argv);
  CHECK(pthread_barrier_init(&loaded, NULL, kEarly + 1) == 0);
  CHECK(pthread_barrier_init(&all_in, NULL, kThreads) == 0);
  for (i = 0; i < kEarly; i++) CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0);
  for (k = 0; k < kPlugins; k++) {
    char sym[64];
    void **slot = (void **)&pl[k].model;
    size_t f;
    snprintf(pl[k].lib, sizeof pl[k].lib, "libtls_thr%d.so", k);
    pl[k].h = must_open(pl[k].lib, RTLD_NOW);
    for (f = 0; f < sizeof fns / sizeof fns[0]; f++) {
      snprintf(sym, sizeof sym, "tls%d_%s", k, fns[f]);
      slot[f] = must_sym(pl[k].h, sym);
    }
  }
  pthread_barrier_wait(&loaded);
  for (i = kEarly; i < kThreads; i++) CHECK(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) == 0);
  for (i = 0; i < kThreads; i++) CHECK(pthread_join(t[i], NULL) == 0);

  for (k = 0; k < kPlugins; k++) {
    int a, b;
    for (a = 0; a < kThreads; a++)
      for (b = a + 1; b < kThreads; b++)
        if (addrs[a][k] == addrs[b][k]) fail(k, a, "shares its block with thread %d", b);
    for (a = 0; a < kThreads; a++)
      if (modids[a][k] != modids[0][k]) fail(k, a, "module id differs from thread 0's");
    for (b = 0; b < k; b++)
      if (modids[0][k] == modids[0][b]) fail(k, 0, "same module id as plugin %d", b);
  }
  for (k = 0; k < kPlugins; k++) {
    if (fails[k] == 0) {
      printf("plugin %d (%s): %d threads ok\n", k, kModelName[pl[k].model()], kThreads);
    } else {
      printf("plugin %d (%s): %d failures, first: %s\n", k, kModelName[pl[k].model()], fails[k], first_fail[k]);
      ok = 0;
    }
  }
  /* The main thread never touched the plugins' TLS until now. */
  for (k = 0; k < kPlugins; k++) CHECK(pl[k].check_init() == 0);
  printf("main thread: initial images ok\n");
  for (k = 0; k < kPlugins; k++) CHECK(dlclose(pl[k].h) == 0);
  return ok ? 0 : 1;
}
