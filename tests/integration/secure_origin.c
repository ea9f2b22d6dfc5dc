/* secure_origin: $ORIGIN and the library path in a setuid program
 * (AT_SECURE), glibc's rules. CTest runs a setuid-root copy of this
 * program as user 65534 (tests/cmake/run_compare.cmake SETUID), so the
 * kernel sets AT_SECURE; the test is skipped, with the reason printed,
 * where that cannot be arranged (not root, no setpriv, an emulator).
 *   - an object's DT_RUNPATH element that starts with $ORIGIN/ is used
 *     (libsec_top.so: $ORIGIN/secure);
 *   - an element with $ORIGIN anywhere else is dropped (libsec_mid.so:
 *     /$ORIGIN/secure, which would name the same directory);
 *   - a plugin's dlopen() of "$ORIGIN/..." expands it (the program's own
 *     would also have to lie in a trusted system directory: the unit test
 *     search.expand_dst.secure);
 *   - the library-path variable (STATICDL_LIBRARY_PATH / LD_LIBRARY_PATH,
 *     set by CTest to <dir>/secure/env) is ignored. */
#include "common.h"

#include <sys/auxv.h>

typedef const char *(*StrFn)(void);
typedef void *(*OpenFn)(const char *);

int main(int argc, char **argv) {
  test_init(argc, argv);
  printf("AT_SECURE: %lu\n", getauxval(AT_SECURE));
  call_string_fn("libsec_top.so", "sec_top");
  call_string_fn("libsec_mid.so", "sec_mid");

  void *opener = must_open("libsec_opener.so", RTLD_NOW);
  const char *path = "$ORIGIN/secure/libsec_leaf3.so";
  void *h = FN(OpenFn, opener, "rp_open")(path);
  if (h) printf("%s from libsec_opener.so: sec_leaf3() = %s\n", path, FN(StrFn, h, "sec_leaf3")());
  else print_dlerror(path);

  fflush(stdout);
  h = dlopen("libsec_env.so", RTLD_NOW);
  if (h) printf("libsec_env.so: sec_env() = %s\n", FN(StrFn, h, "sec_env")());
  else print_dlerror("dlopen(libsec_env.so)");
  return 0;
}
