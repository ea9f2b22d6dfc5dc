/* tls_reserve_size (staticdl only): this host links its own copy of
 * runtime/tls_reserve.c built with -DSTATICDL_TLS_RESERVE=65536, so the
 * 20000-byte initial-exec block of libbigie.so, which the default 16 KiB
 * reserve refuses (errors_staticdl), fits. The block is zero-initialised
 * .tbss, separate per thread, in threads started before and after the
 * dlopen; what is left of the reserve is exactly 65536 - 20000 bytes (a
 * 70000-byte block is refused with that count), and comes back at
 * dlclose. */
#include "common.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

enum { kSize = 20000 };
static char *(*buf_addr)(void);
static pthread_barrier_t loaded;

/* All zero in this thread, then filled with `fill` and read back. */
static const char *use(int fill) {
  char *b = buf_addr();
  int i;
  for (i = 0; i < kSize; i++)
    if (b[i] != 0) return "block not zero-initialised";
  memset(b, fill, kSize);
  sched_yield();
  for (i = 0; i < kSize; i++)
    if (b[i] != (char)fill) return "block changed under the thread";
  return NULL;
}

static void *early(void *arg) {
  pthread_barrier_wait(&loaded);
  return (void *)use((int)(intptr_t)arg);
}

static void *late(void *arg) { return (void *)use((int)(intptr_t)arg); }

static void try_big(const char *label) {
  void *h = dlopen(plugin_path("libbigie70k.so"), RTLD_NOW);
  if (h) {
    printf("%s: loaded?!\n", label);
    dlclose(h);
  } else {
    print_dlerror(label);
  }
}

int main(int argc, char **argv) {
  pthread_t t1, t2;
  void *h, *r1, *r2;
  const char *m;
  test_init(argc, argv);
  CHECK(pthread_barrier_init(&loaded, NULL, 2) == 0);
  CHECK(pthread_create(&t1, NULL, early, (void *)(intptr_t)0x5a) == 0);
  h = must_open("libbigie.so", RTLD_NOW);
  printf("libbigie.so (20000 bytes of initial-exec TLS): loaded\n");
  buf_addr = FN(char *(*)(void), h, "bigie_buf_addr");
  pthread_barrier_wait(&loaded);
  m = use(0x11);
  printf("main thread: %s\n", m ? m : "ok");
  CHECK(pthread_create(&t2, NULL, late, (void *)(intptr_t)0x3c) == 0);
  CHECK(pthread_join(t1, &r1) == 0 && pthread_join(t2, &r2) == 0);
  printf("thread started before dlopen: %s\n", r1 ? (const char *)r1 : "ok");
  printf("thread started after dlopen: %s\n", r2 ? (const char *)r2 : "ok");
  for (m = buf_addr(); m < buf_addr() + kSize && *m == 0x11; m++) {
  }
  printf("main thread's block kept its values: %s\n", m == buf_addr() + kSize ? "yes" : "no");
  try_big("70000 more bytes");
  CHECK(dlclose(h) == 0);
  try_big("70000 bytes after dlclose");
  h = must_open("libbigie.so", RTLD_NOW);
  buf_addr = FN(char *(*)(void), h, "bigie_buf_addr");
  m = use(0x22);
  printf("reopened: %s\n", m ? m : "ok");
  CHECK(dlclose(h) == 0);
  return 0;
}
