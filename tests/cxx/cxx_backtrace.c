/* cxx_backtrace: _Unwind_Backtrace inside a C++ plugin, called through
 * plugin -> host callback -> plugin frames, reaches main; dladdr names the
 * plugin's functions and the host's exported ones (-rdynamic). */
#include "common.h"

typedef int (*plugin_fn)(int);

#ifdef __cplusplus
extern "C"
#endif
__attribute__((noinline)) int host_bt_callback(plugin_fn fn, int depth) {
  volatile int r = fn(depth + 1);
  return r;
}

int main(int argc, char **argv) {
  void *h;
  volatile int r;
  test_init(argc, argv);
  h = must_open("libcxx_backtrace.so", RTLD_NOW);
  r = FN(int (*)(int (*)(plugin_fn, int)), h, "bt_entry")(host_bt_callback);
  printf("bt_entry = %d\n", r);
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
