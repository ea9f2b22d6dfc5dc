/* Thread-local variables of an object glibc loaded after startup (dynamic
 * TLS, not in the static block): the host dlopens libhy_dyntls.so with
 * glibc's dlopen (RTLD_GLOBAL), then the loader under test loads two
 * plugins that refer to its variables, one with general-dynamic accesses
 * (__tls_get_addr) and one with TLS descriptors. In the main thread and in
 * a new one, each plugin's address of a variable is the calling thread's
 * instance (the one libhy_dyntls.so's own code sees), and an increment
 * through the plugin is seen by the library; dlsym(RTLD_DEFAULT) of a
 * variable gives the calling thread's instance too. A third plugin's
 * initial-exec reference is refused by both. argv[1]: the fixture
 * directory. */
#include "common.h"

#include <pthread.h>

typedef int* (*int_addr_fn)(void);
typedef long* (*long_addr_fn)(void);
typedef int (*bump_fn)(void);

static int_addr_fn lib_counter;
static long_addr_fn lib_after;
static void* plugins[2];
static const char* const kNames[2] = {"general dynamic", "descriptors"};

static void check(const char* where) {
  for (int k = 0; k < 2; k++) {
    int_addr_fn counter = (int_addr_fn)sym_or_die(plugins[k], "hy_user_counter_addr");
    long_addr_fn after = (long_addr_fn)sym_or_die(plugins[k], "hy_user_after_addr");
    bump_fn bump = (bump_fn)sym_or_die(plugins[k], "hy_user_bump");
    int before = *lib_counter();
    int got = bump();
    printf("%s, %s: same variables %s, increment %d -> %d, seen by the library %s\n", where, kNames[k],
           counter() == lib_counter() && after() == lib_after() ? "yes" : "NO", before, got,
           *lib_counter() == got ? "yes" : "NO");
  }
  void* d = DL_SYM(RTLD_DEFAULT, "hy_dyn_counter");
  printf("%s: dlsym(RTLD_DEFAULT) gives this thread's instance: %s\n", where, d == (void*)lib_counter() ? "yes" : "NO");
}

static void* thread_main(void* arg) {
  (void)arg;
  check("new thread");
  return NULL;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* lib = system_open_or_die(argv[1], "libhy_dyntls.so", RTLD_NOW | RTLD_GLOBAL);
  lib_counter = (int_addr_fn)dlsym(lib, "hy_dyn_counter_addr");
  lib_after = (long_addr_fn)dlsym(lib, "hy_dyn_after_addr");
  *lib_counter() = 10;
  plugins[0] = open_or_die(argv[1], "libhy_dyntls_user.so", RTLD_NOW);
  plugins[1] = open_or_die(argv[1], "libhy_dyntls_desc.so", RTLD_NOW);
  check("main thread");
  pthread_t t;
  if (pthread_create(&t, NULL, thread_main, NULL) != 0 || pthread_join(t, NULL) != 0) return 1;
  check("main thread again");
  /* Initial-exec needs the variable at a fixed offset from the thread
   * pointer; this block was allocated per thread, so both loaders refuse. */
  char iepath[4096];
  snprintf(iepath, sizeof iepath, "%s/libhy_dyntls_ie.so", argv[1]);
  void* ie = DL_OPEN(iepath, RTLD_NOW);
  printf("initial-exec plugin: %s\n", ie ? "loaded" : "refused");
#ifdef STATICDL_HYBRID_TEST
  if (!ie && !strstr(DL_ERROR() ?: "", "initial-exec TLS reference to hy_dyn_counter")) printf("unexpected message\n");
#endif
  DL_CLOSE(plugins[1]);
  DL_CLOSE(plugins[0]);
  return 0;
}
