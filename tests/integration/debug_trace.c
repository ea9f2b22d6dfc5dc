/* debug_trace: the host run by tests/cmake/run_debug_trace.cmake with
 * STATICDL_DEBUG set; liba.so finds libb.so and libc_chain.so through
 * DT_RUNPATH $ORIGIN, so the trace shows a search, loads and bindings. */
#include "common.h"

int main(int argc, char **argv) {
  void *h;
  test_init(argc, argv);
  h = must_open("liba.so", RTLD_NOW);
  printf("chain_a(4) = %d\n", FN(int (*)(int), h, "chain_a")(4));
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
