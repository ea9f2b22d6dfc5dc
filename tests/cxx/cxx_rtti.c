/* cxx_rtti: typeid and dynamic_cast inside a C++ plugin, over a class
 * hierarchy with virtual inheritance. */
#include "common.h"

int main(int argc, char **argv) {
  void *h;
  test_init(argc, argv);
  h = must_open("libcxx_rtti.so", RTLD_NOW);
  printf("rtti_run = %d\n", FN(int (*)(void), h, "rtti_run")());
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
