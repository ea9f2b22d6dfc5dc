/* tls_ie_threads_before: an initial-exec TLS plugin (libtls_ie.so, model 4
 * of tests/fixtures/tls/model.c: non-zero .tdata initialisers, .tbss,
 * 64-byte-aligned variables) loaded while 4 threads are already running.
 * Each of them must find the initial image in its copy (the loader writes
 * it into the static TLS of live threads), and so must the main thread and
 * 4 threads created afterwards (the TLS template). Then, while the old
 * threads hold values of their own in libtls_ie.so, a second initial-exec
 * plugin (libtls_thr7.so) is loaded: the old threads see its initial image
 * and still their own values in the first. */
#include "common.h"
#include <pthread.h>
#include <stdint.h>
#include <time.h>

enum { kBefore = 4, kAfter = 4 };

struct ie_plugin {
  int (*check_init)(void);
  void (*set)(long);
  int (*check)(long);
  void *(*aligned)(void);
  void *(*aligned_bss)(void);
  void *(*addr)(void);
};
static struct ie_plugin p1, p2;

static pthread_barrier_t step;  /* the old threads and main */
static pthread_barrier_t new_alive;  /* the new threads */
static const char *result[kBefore + kAfter][4];
static void *addr[kBefore + kAfter + 1];

static void load(struct ie_plugin *p, const char *lib, int id) {
  char sym[64];
  void *h = must_open(lib, RTLD_NOW);
#define RESOLVE(field, type)                      \
  snprintf(sym, sizeof sym, "tls%d_" #field, id); \
  p->field = (type)must_sym(h, sym)
  RESOLVE(check_init, int (*)(void));
  RESOLVE(set, void (*)(long));
  RESOLVE(check, int (*)(long));
  RESOLVE(aligned, void *(*)(void));
  RESOLVE(aligned_bss, void *(*)(void));
  RESOLVE(addr, void *(*)(void));
#undef RESOLVE
}

static const char *use(const struct ie_plugin *p, long seed) {
  struct timespec ts = {0, 200000};
  if (p->check_init() != 0) return "wrong initial image";
  if ((uintptr_t)p->aligned() % 64 || (uintptr_t)p->aligned_bss() % 64) return "misaligned _Alignas(64) variable";
  p->set(seed);
  nanosleep(&ts, NULL);
  if (p->check(seed) != 0) return "lost its own values";
  return NULL;
}

static void *old_thread(void *arg) {
  int id = (int)(intptr_t)arg;
  pthread_barrier_wait(&step);  /* 1: main has loaded libtls_ie.so */
  result[id][0] = use(&p1, 100 + id);
  addr[id] = p1.addr();
  p1.set(500 + id);
  pthread_barrier_wait(&step);  /* 2: values written */
  pthread_barrier_wait(&step);  /* 3: main has loaded libtls_thr7.so */
  result[id][1] = p1.check(500 + id) != 0 ? "lost its values when another module was loaded" : NULL;
  result[id][2] = use(&p2, 700 + id);
  return NULL;
}

static void *new_thread(void *arg) {
  int id = (int)(intptr_t)arg;
  result[id][0] = use(&p1, 100 + id);
  addr[id] = p1.addr();
  /* Exit only when all have their address: a thread's static TLS may be
   * reused by a thread created after it exited. */
  pthread_barrier_wait(&new_alive);
  return NULL;
}

static int report(const char *what, int from, int to, int col) {
  int i, ok = 1;
  for (i = from; i < to; i++)
    if (result[i][col]) {
      printf("%s: thread %d: %s\n", what, i, result[i][col]);
      ok = 0;
    }
  if (ok) printf("%s: ok\n", what);
  return ok;
}

int main(int argc, char **argv) {
  pthread_t t[kBefore + kAfter];
  int i, j, ok = 1;
  const char *m;
  test_init(argc, argv);
  CHECK(pthread_barrier_init(&step, NULL, kBefore + 1) == 0);
  CHECK(pthread_barrier_init(&new_alive, NULL, kAfter) == 0);
  for (i = 0; i < kBefore; i++) CHECK(pthread_create(&t[i], NULL, old_thread, (void *)(intptr_t)i) == 0);
  load(&p1, "libtls_ie.so", 30);
  pthread_barrier_wait(&step);  /* 1 */
  m = use(&p1, 1);
  printf("main thread: %s\n", m ? m : "initial image ok");
  ok &= !m;
  addr[kBefore + kAfter] = p1.addr();
  pthread_barrier_wait(&step);  /* 2 */
  ok &= report("threads started before dlopen, first plugin", 0, kBefore, 0);
  for (i = kBefore; i < kBefore + kAfter; i++)
    CHECK(pthread_create(&t[i], NULL, new_thread, (void *)(intptr_t)i) == 0);
  for (i = kBefore; i < kBefore + kAfter; i++) CHECK(pthread_join(t[i], NULL) == 0);
  ok &= report("threads started after dlopen, first plugin", kBefore, kBefore + kAfter, 0);
  load(&p2, "libtls_thr7.so", 7);
  pthread_barrier_wait(&step);  /* 3 */
  for (i = 0; i < kBefore; i++) CHECK(pthread_join(t[i], NULL) == 0);
  ok &= report("threads started before dlopen, first plugin after the second load", 0, kBefore, 1);
  ok &= report("threads started before dlopen, second plugin", 0, kBefore, 2);
  for (i = 0; i <= kBefore + kAfter; i++)
    for (j = i + 1; j <= kBefore + kAfter; j++)
      if (addr[i] == addr[j]) {
        printf("threads %d and %d share a block\n", i, j);
        ok = 0;
      }
  return ok ? 0 : 1;
}
