/* cxx_thread: a C++ plugin starts and joins std::threads; their
 * thread_local objects are destroyed at thread exit. The main thread's
 * thread_local is destroyed at exit, before the plugin's globals; while it
 * is pending, dlclose leaves the plugin loaded (as glibc does). */
#include "common.h"

static const char *mapped(const char *name) {
  char line[4096];
  int found = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  if (!f) return "unknown";
  while (fgets(line, sizeof line, f))
    if (strstr(line, name)) found = 1;
  fclose(f);
  return found ? "yes" : "no";
}

int main(int argc, char **argv) {
  void *h;
  test_init(argc, argv);
  h = must_open("libcxx_thread.so", RTLD_NOW);
  printf("thread_run(4) = %d\n", FN(int (*)(int), h, "thread_run")(4));
  printf("thread_run(3) = %d\n", FN(int (*)(int), h, "thread_run")(3));
  printf("-- dlclose with no thread_local of this thread\n");
  printf("dlclose = %d\n", dlclose(h));
  printf("mapped after dlclose: %s\n", mapped("/libcxx_thread.so"));

  h = must_open("libcxx_thread.so", RTLD_NOW);
  printf("thread_run(2) = %d\n", FN(int (*)(int), h, "thread_run")(2));
  printf("thread_touch_main = %d\n", FN(int (*)(void), h, "thread_touch_main")());
  printf("destroyed so far = %d\n", FN(int (*)(void), h, "thread_destroyed")());
  printf("-- dlclose with the main thread's thread_local pending\n");
  printf("dlclose = %d\n", dlclose(h));
  printf("mapped after dlclose: %s\n", mapped("/libcxx_thread.so"));
  printf("-- main returns\n");
  fflush(stdout);
  return 0;
}
