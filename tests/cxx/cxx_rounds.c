/* cxx_rounds: 200 rounds of dlopen / rounds_run / dlclose of a C++ plugin
 * with a global, function-local statics, exceptions and a std::thread with
 * a thread_local. The plugin reports every constructor and destructor to
 * rounds_record (exported here), so the counts outlive each unload. After
 * every dlclose all counts must balance and as many pthread keys be free
 * as after the first round (the warm-up): a key the plugin leaves behind
 * keeps a destructor in unmapped code, and 200 rounds would exhaust them.
 * At the end the totals must be the expected ones, the plugin unmapped,
 * and /proc/self/maps and /proc/self/fd as long as after the first round. */
#include <limits.h>
#include <pthread.h>

#include "common.h"

#define ROUNDS 200
#define KINDS 4

static const char *const kind_names[KINDS] = {"global", "static", "exception", "thread_local"};
/* Written by the plugin's threads too; every change is ordered by a
 * pthread_join or happens in the main thread. */
static int constructed[KINDS], destroyed[KINDS];

#ifdef __cplusplus
extern "C"
#endif
void rounds_record(int kind, int delta) {
  if (kind < 0 || kind >= KINDS) {
    printf("FAIL: rounds_record kind %d\n", kind);
    exit(1);
  }
  if (delta > 0)
    __atomic_add_fetch(&constructed[kind], 1, __ATOMIC_SEQ_CST);
  else
    __atomic_add_fetch(&destroyed[kind], 1, __ATOMIC_SEQ_CST);
}

static int count_maps(int *plugin_mapped) { return count_module_maps("/libcxx_rounds.so", plugin_mapped); }

/* How many pthread keys can still be created. */
static int free_keys(void) {
  static pthread_key_t keys[PTHREAD_KEYS_MAX];
  int n = 0, i;
  while (n < PTHREAD_KEYS_MAX && pthread_key_create(&keys[n], NULL) == 0) n++;
  for (i = 0; i < n; i++) pthread_key_delete(keys[i]);
  return n;
}

static void print_maps(void) {
  char line[4096];
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return;
  while (fgets(line, sizeof line, f)) printf("    %s", line);
  fclose(f);
}

int main(int argc, char **argv) {
  int round, k, mapped;
  int maps0 = 0, fds0 = 0, keys0 = 0, maps1, fds1, keys;
  test_init(argc, argv);
  for (round = 0; round < ROUNDS; round++) {
    void *h = must_open("libcxx_rounds.so", RTLD_NOW);
    int r = FN(int (*)(int), h, "rounds_run")(round);
    if (r != 1) {
      printf("FAIL: round %d: rounds_run = %d (want 1: fresh statics)\n", round + 1, r);
      return 1;
    }
    if (dlclose(h) != 0) {
      printf("FAIL: round %d: dlclose: %s\n", round + 1, dlerror());
      return 1;
    }
    for (k = 0; k < KINDS; k++)
      if (constructed[k] != destroyed[k]) {
        printf("FAIL: round %d: %s constructed %d, destroyed %d\n", round + 1, kind_names[k], constructed[k],
               destroyed[k]);
        return 1;
      }
    keys = free_keys();
    if (round == 0) {
      maps0 = count_maps(&mapped);
      fds0 = count_fds();
      keys0 = keys;
    } else if (keys != keys0) {
      printf("FAIL: round %d: %d pthread keys free, %d after round 1 (keys outlive dlclose)\n", round + 1, keys,
             keys0);
      return 1;
    }
  }
  printf("rounds: %d\n", ROUNDS);
  for (k = 0; k < KINDS; k++)
    printf("%s: constructed %d, destroyed %d\n", kind_names[k], constructed[k], destroyed[k]);
  maps1 = count_maps(&mapped);
  fds1 = count_fds();
  printf("plugin mapped after the last dlclose: %s\n", mapped ? "yes" : "no");
  if (maps1 == maps0) {
    printf("/proc/self/maps: as after round 1\n");
  } else {
    printf("/proc/self/maps: %d lines after round 1, %d now\n", maps0, maps1);
    print_maps();
  }
  if (fds1 == fds0)
    printf("/proc/self/fd: as after round 1\n");
  else
    printf("/proc/self/fd: %d after round 1, %d now\n", fds0, fds1);
  printf("pthread keys: as after round 1\n");
  return 0;
}
