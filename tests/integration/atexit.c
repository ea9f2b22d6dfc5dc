/* atexit: an exit handler a plugin registers with atexit() runs when the
 * plugin is unloaded (dlclose of its last handle), newest first, not at
 * exit when the plugin's code is gone; one registered by the host runs at
 * exit. */
#include "common.h"

static void host_bye(void) { printf("the host's atexit handler, at exit\n"); }

int main(int argc, char **argv) {
  test_init(argc, argv);
  atexit(host_bye);
  void *h = must_open("libatexit.so", RTLD_NOW);
  int (*reg)(void) = FN(int (*)(void), h, "register_bye");
  printf("register_bye() = %d, %d\n", reg(), reg());
  printf("dlclose = %d\n", dlclose(h));
  printf("libatexit.so loaded after dlclose: %s\n", plugin_loaded("libatexit.so") ? "yes" : "no");
  return 0;
}
