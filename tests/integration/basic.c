/* basic: a plugin's functions and data, a callback into the host, and the
 * plugin calling libc (strdup, printf, qsort with its own comparator,
 * pthread_create/join). Also built as static-pie, as C++, and loading a
 * musl-gcc plugin (see tests/CMakeLists.txt). */
#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif
__attribute__((used)) int host_callback(int x) { return x * 2; }
#ifdef __cplusplus
}
#endif

int main(int argc, char **argv) {
  void *h;
  int v[5] = {3, 1, 4, 1, 5};
  char *s;
  int i;
  test_init(argc, argv);
  h = must_open("libbasic.so", RTLD_NOW);
  printf("basic_add(2, 3) = %d\n", FN(int (*)(int, int), h, "basic_add")(2, 3));
  printf("basic_value = %d\n", *(int *)must_sym(h, "basic_value"));
  printf("basic_name() = %s\n", FN(const char *(*)(void), h, "basic_name")());
  printf("basic_call_host(20) = %d\n", FN(int (*)(int), h, "basic_call_host")(20));
  s = FN(char *(*)(const char *), h, "basic_strdup_upper")("hello");
  printf("basic_strdup_upper(hello) = %s\n", s);
  free(s); /* the plugin's strdup and the host's free share one heap */
  FN(void (*)(int), h, "basic_print")(7);
  FN(void (*)(int *, size_t), h, "basic_sort_desc")(v, 5);
  printf("basic_sort_desc:");
  for (i = 0; i < 5; i++) printf(" %d", v[i]);
  printf("\n");
  printf("basic_thread(14) = %d\n", FN(int (*)(int), h, "basic_thread")(14));
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
