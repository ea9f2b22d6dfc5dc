/* cxx_exceptions: exceptions thrown and caught inside a C++ plugin with its
 * own runtime, through several plugin frames and through host frames: the
 * plugin calls a host callback (a function pointer, and a function the
 * host exports), which calls plugin code that throws; the plugin catches.
 * The host is built with unwind tables. */
#include "common.h"

typedef void (*thrower_fn)(int);

/* Called by the plugin; calls back into the plugin, which throws through
 * this frame. */
__attribute__((noinline)) void host_callback_ptr(thrower_fn fn, int arg) {
  printf("  host callback calls plugin(%d)\n", arg);
  fflush(stdout);
  fn(arg);
  printf("  host callback: not reached\n");
}

#ifdef __cplusplus
extern "C"
#endif
__attribute__((noinline)) void host_call_back(thrower_fn fn, int arg) {
  printf("  host_call_back calls plugin(%d)\n", arg);
  fflush(stdout);
  fn(arg);
  printf("  host_call_back: not reached\n");
}

#ifdef __cplusplus
/* The C++ host throws and catches on its own as well: that links its own
 * libunwind, whose _Unwind_* (default visibility, exported by -rdynamic)
 * the plugin's references then bind to. */
__attribute__((noinline)) static int host_own_exception(int v) {
  try {
    throw v;
  } catch (int x) {
    return x;
  }
  return -1;
}
#endif

int main(int argc, char **argv) {
  void *h;
  int r;
  test_init(argc, argv);
#ifdef __cplusplus
  CHECK(host_own_exception(5) == 5);
#endif
  h = must_open("libcxx_exceptions.so", RTLD_NOW);
  r = FN(int (*)(void (*)(thrower_fn, int)), h, "exc_run")(host_callback_ptr);
  printf("exc_run = %d\n", r);
  printf("dlclose = %d\n", dlclose(h));
  /* A second load: the runtime's state is fresh and still works. */
  h = must_open("libcxx_exceptions.so", RTLD_NOW);
  printf("again: exc_run = %d\n", FN(int (*)(void (*)(thrower_fn, int)), h, "exc_run")(host_callback_ptr) );
  printf("dlclose = %d\n", dlclose(h));
#ifdef __cplusplus
  CHECK(host_own_exception(6) == 6);
#endif
  return 0;
}
