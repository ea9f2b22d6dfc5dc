/* interpose: a library's references to names it defines itself bind by
 * the scope rules like any other: to the host program, to an earlier
 * RTLD_GLOBAL library, or to a library earlier in the local scope, when
 * those define the name; to the library itself only when nothing before
 * it does, or when it was linked -Bsymbolic. */
#include "common.h"

typedef int (*int_fn)(void);
typedef void *(*addr_fn)(void);

/* Exported by the host (-rdynamic): interposes libip_second.so's copy. */
int ip_host_too(void) { return 10; }

int main(int argc, char **argv) {
  void *first, *second, *root, *sym;
  int_fn *table;
  test_init(argc, argv);

  first = must_open("libip_first.so", RTLD_NOW | RTLD_GLOBAL);
  printf("first_calls_shared() = %d\n", FN(int_fn, first, "first_calls_shared")());

  second = must_open("libip_second.so", RTLD_NOW | RTLD_LOCAL);
  printf("second_calls_shared() = %d (the RTLD_GLOBAL library's)\n", FN(int_fn, second, "second_calls_shared")());
  printf("second_calls_host_too() = %d (the host's)\n", FN(int_fn, second, "second_calls_host_too")());
  printf("second_calls_own() = %d\n", FN(int_fn, second, "second_calls_own")());
  printf("&ip_shared in second is first's: %s\n",
         FN(addr_fn, second, "second_addr_shared")() == dlsym(first, "ip_shared") ? "yes" : "no");
  printf("&ip_host_too in second is the host's: %s\n",
         FN(addr_fn, second, "second_addr_host_too")() == (void *)&ip_host_too ? "yes" : "no");
  table = (int_fn *)must_sym(second, "second_table");
  printf("second_table: %d %d %d\n", table[0](), table[1](), table[2]());
  table = (int_fn *)must_sym(second, "second_neighbours");
  printf("second_neighbours:");
  for (int k = 0; k < 10; k++) printf(" %d", table[k]());
  printf("\nsecond_calls_neighbours() = %d\n", FN(int_fn, second, "second_calls_neighbours")());
  printf("dlsym(second, \"ip_shared\")() = %d (a handle lookup starts at the handle)\n",
         FN(int_fn, second, "ip_shared")());

  root = must_open("libip_root.so", RTLD_NOW | RTLD_LOCAL);
  printf("root_via_b() = %d\n", FN(int_fn, root, "root_via_b")());
  printf("root_via_c() = %d (libip_b.so comes first in the local scope)\n", FN(int_fn, root, "root_via_c")());

  sym = must_open("libip_symbolic.so", RTLD_NOW | RTLD_LOCAL);
  printf("symbolic_calls_host_too() = %d (-Bsymbolic: its own)\n", FN(int_fn, sym, "symbolic_calls_host_too")());

  dlclose(sym);
  dlclose(root);
  dlclose(second);
  dlclose(first);
  return 0;
}
