/* weak: weak undefined references resolve to 0 (or to the host's
 * definition), and STT_GNU_IFUNC functions in a plugin work through
 * dlsym, JUMP_SLOT and R_X86_64_IRELATIVE. */
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif
__attribute__((used)) int host_weak_target(void) { return 77; }
#ifdef __cplusplus
}
#endif

int main(int argc, char **argv) {
  void *h;
  test_init(argc, argv);
  h = must_open("libweak.so", RTLD_NOW);
  printf("weak undefined function is null: %d\n", FN(int (*)(void), h, "weak_missing_is_null")());
  printf("weak undefined data is null: %d\n", FN(int (*)(void), h, "weak_missing_data_is_null")());
  printf("weak reference to host function: %d\n", FN(int (*)(void), h, "weak_host_call")());
  printf("ifunc through dlsym: %d\n", FN(int (*)(void), h, "weak_ifunc")());
  printf("ifunc called inside the plugin: %d\n", FN(int (*)(void), h, "weak_call_ifuncs")());
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
