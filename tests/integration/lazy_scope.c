/* lazy_scope: RTLD_LAZY binds a function at its first call, in the scope
 * as it is then (glibc's lazy binding):
 *   - a function first called before an RTLD_GLOBAL library that also
 *     defines it is loaded stays bound to the caller's dependency;
 *   - one first called after binds to that library (the global scope is
 *     searched before the caller's own), which then stays loaded while the
 *     caller is;
 *   - a destructor that waits for a thread making a first call returns:
 *     that call does not wait for the lock dlclose holds;
 *   - a destructor's first call of a function nothing defined when its
 *     object was loaded binds to the RTLD_GLOBAL library loaded since.
 * Run again with the bind-now variables set (lazy_scope_bind_now.expected):
 * then every function is bound at dlopen, to the dependency. */
#include "common.h"

#include <unistd.h>

typedef const char *(*StrFn)(void);

int main(int argc, char **argv) {
  test_init(argc, argv);
  alarm(60); /* a first call that waits for the loader lock would hang */
  void *picker = must_open("liblazy_picker.so", RTLD_LAZY);
  printf("call_pick_early() = %s\n", FN(StrFn, picker, "call_pick_early")());
  void *global = must_open("liblazy_pick_global.so", RTLD_NOW | RTLD_GLOBAL);
  printf("call_pick() = %s\n", FN(StrFn, picker, "call_pick")());
  printf("call_pick_early() = %s\n", FN(StrFn, picker, "call_pick_early")());
  printf("dlclose(global) = %d\n", dlclose(global));
  printf("global loaded after its dlclose: %s\n", plugin_loaded("liblazy_pick_global.so") ? "yes" : "no");
  printf("call_pick() = %s\n", FN(StrFn, picker, "call_pick")());
  printf("dlclose(picker) = %d\n", dlclose(picker));
  printf("global loaded after the picker's dlclose: %s\n", plugin_loaded("liblazy_pick_global.so") ? "yes" : "no");

  void *joiner = must_open("liblazy_joiner.so", RTLD_LAZY);
  printf("dlclose(joiner) = %d\n", dlclose(joiner));

  fflush(stdout);
  void *fini_late = dlopen(plugin_path("liblazy_fini_late.so"), RTLD_LAZY);
  if (!fini_late) {
    print_dlerror("liblazy_fini_late.so");
    return 0;
  }
  global = must_open("liblazy_pick_global.so", RTLD_NOW | RTLD_GLOBAL);
  printf("dlclose(fini_late) = %d\n", dlclose(fini_late));
  printf("dlclose(global) = %d\n", dlclose(global));
  return 0;
}
