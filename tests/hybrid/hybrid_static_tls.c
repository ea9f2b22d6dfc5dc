/* DF_STATIC_TLS module: its initialized initial-exec TLS must read the
 * same in the main thread, in threads created after the dlopen, and in a
 * thread that already existed before the dlopen (glibc copies the image
 * into every live thread: _dl_init_static_tls). Threads print in turn. */
#include "common.h"
#include <pthread.h>

static void (*describe)(char*, int);
static void (*set_value)(int);
static pthread_barrier_t opened;

static void report(const char* who) {
  char buf[64];
  describe(buf, sizeof buf);
  printf("%s: %s\n", who, buf);
}

static void* before_thread(void* arg) {
  (void)arg;
  pthread_barrier_wait(&opened); /* the main thread dlopens meanwhile */
  report("thread created before dlopen");
  return NULL;
}

static void* after_thread(void* arg) {
  report((const char*)arg);
  set_value(77);
  report("  after its own set");
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  pthread_barrier_init(&opened, NULL, 2);
  pthread_t before;
  pthread_create(&before, NULL, before_thread, NULL);

  void* h = open_or_die(argv[1], "libhy_static_tls.so", RTLD_NOW);
  *(void**)&describe = sym_or_die(h, "stls_describe");
  *(void**)&set_value = sym_or_die(h, "stls_set");
  report("main thread");
  set_value(5);
  report("main thread after set");
  fflush(stdout);

  pthread_barrier_wait(&opened);
  pthread_join(before, NULL);
  const char* names[] = {"thread 1 created after dlopen", "thread 2 created after dlopen"};
  for (int i = 0; i < 2; i++) {
    pthread_t t;
    pthread_create(&t, NULL, after_thread, (void*)names[i]);
    pthread_join(t, NULL);
  }
  report("main thread at the end");
  pthread_barrier_destroy(&opened);
  DL_CLOSE(h);
  return 0;
}
