/* threads: 8 threads dlopen/dlsym/dlclose at once, all on one shared
 * plugin and each on its own (libthr0.so .. libthr3.so, two threads per
 * copy), checking every result. */
#include "common.h"
#include <pthread.h>

enum { kThreads = 8, kRounds = 200 };
static const char *shared_path, *own_path[4];

static void *worker(void *arg) {
  long id = (long)arg;
  int r;
  for (r = 0; r < kRounds; r++) {
    void *hs = dlopen(shared_path, RTLD_NOW);
    void *ho = dlopen(own_path[id % 4], r & 1 ? RTLD_NOW | RTLD_GLOBAL : RTLD_NOW);
    int (*fs)(int), (*fo)(void);
    if (!hs || !ho) return (void *)"dlopen failed";
    fs = (int (*)(int))dlsym(hs, "thr_shared");
    fo = (int (*)(void))dlsym(ho, "thr_value");
    if (!fs || !fo) return (void *)"dlsym failed";
    if (fs((int)id) != 1000 + id) return (void *)"thr_shared wrong";
    if (fo() != id % 4) return (void *)"thr_value wrong";
    if (dlclose(ho) != 0 || dlclose(hs) != 0) return (void *)"dlclose failed";
  }
  return NULL;
}

int main(int argc, char **argv) {
  pthread_t t[kThreads];
  long i;
  int ok = 1;
  test_init(argc, argv);
  shared_path = plugin_path("libthr_shared.so");
  own_path[0] = plugin_path("libthr0.so");
  own_path[1] = plugin_path("libthr1.so");
  own_path[2] = plugin_path("libthr2.so");
  own_path[3] = plugin_path("libthr3.so");
  for (i = 0; i < kThreads; i++) CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
  for (i = 0; i < kThreads; i++) {
    void *ret;
    CHECK(pthread_join(t[i], &ret) == 0);
    if (ret) {
      printf("thread %ld: %s\n", i, (const char *)ret);
      ok = 0;
    }
  }
  printf(ok ? "threads OK\n" : "threads FAILED\n");
  return ok ? 0 : 1;
}
