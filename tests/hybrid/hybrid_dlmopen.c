/* dlmopen in a glibc process: STB_GNU_UNIQUE definitions are one per
 * namespace (glibc's _ns_unique_sym_table). libhy_unique_a.so in namespace
 * 0 and a copy in a new namespace have two counters; libhy_unique_b.so
 * opened into that namespace shares its copy's. The C++ runtime
 * (libstdc++) is loaded again for the new namespace by both loaders: the
 * host is a C program, so ld.so has no copy to share. */
#include "common.h"

typedef int* (*addr_fn)(void);

static long lmid_of(void* h) {
  Lmid_t l = -99;
  if (DL_INFO(h, RTLD_DI_LMID, &l) != 0) printf("dlinfo failed: %s\n", DL_ERROR());
  return (long)l;
}

static void* mopen_or_die(Lmid_t lmid, const char* dir, const char* name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  void* h = DL_MOPEN(lmid, path, RTLD_NOW);
  if (!h) {
    printf("dlmopen %s failed: %s\n", name, DL_ERROR());
    exit(1);
  }
  return h;
}

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* a0 = open_or_die(argv[1], "libhy_unique_a.so", RTLD_NOW | RTLD_LOCAL);
  void* a1 = mopen_or_die(LM_ID_NEWLM, argv[1], "libhy_unique_a.so");
  long ns = lmid_of(a1);
  void* b1 = mopen_or_die(ns, argv[1], "libhy_unique_b.so");
  int* c0 = ((addr_fn)sym_or_die(a0, "unique_counter"))();
  int* c1 = ((addr_fn)sym_or_die(a1, "unique_counter"))();
  int* cb = ((addr_fn)sym_or_die(b1, "unique_counter"))();
  printf("namespaces: a %ld, its copy %ld, b %ld\n", lmid_of(a0), ns, lmid_of(b1));
  printf("a and its copy: %s\n", c0 == c1 ? "one counter" : "two counters");
  printf("b and a's copy (one namespace): %s\n", cb == c1 ? "one counter" : "two counters");
  ++*c1;
  printf("counters: a %d, a's copy %d, b %d\n", *c0, *c1, *cb);
  DL_CLOSE(b1);
  DL_CLOSE(a1);
  DL_CLOSE(a0);
  return 0;
}
