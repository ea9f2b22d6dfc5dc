/* Hybrid mode basics: a glibc-built plugin loaded by staticdl in a
 * dynamically linked glibc program binds to the process's glibc, calls
 * back into the program, gets TLS, IFUNC and its init arguments, and its
 * own dlopen() stays inside staticdl. argv[1]: the fixture directory. */
#include "common.h"

int host_callback(int x) { return x * 2; }

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* h = open_or_die(argv[1], "libhy_basic.so", RTLD_NOW);
  int (*init_argc)(void) = (int (*)(void))sym_or_die(h, "hy_init_argc");
  const char* (*init_arg0)(void) = (const char* (*)(void))sym_or_die(h, "hy_init_arg0");
  printf("init arguments: argc %d, argv[0] %s\n", init_argc(), init_arg0());
  char* (*sorted)(void) = (char* (*)(void))sym_or_die(h, "hy_sorted");
  char* s = sorted();
  printf("sorted by the plugin: %s\n", s);
  free(s); /* allocated by the plugin's strdup: the same malloc */
  int (*call_host)(int) = (int (*)(int))sym_or_die(h, "hy_call_host");
  printf("host callback: %d\n", call_host(20));
  int (*bump)(void) = (int (*)(void))sym_or_die(h, "hy_tls_bump");
  int a = bump();
  int b = bump();
  printf("tls: %d %d\n", a, b);
  int (*answer)(void) = (int (*)(void))sym_or_die(h, "hy_answer");
  printf("ifunc: %d\n", answer());
  int (*irelative)(void) = (int (*)(void))sym_or_die(h, "hy_irelative");
  printf("irelative: %d\n", irelative());

  char second[4096];
  snprintf(second, sizeof second, "%s/libhy_second.so", argv[1]);
  int (*open_second)(const char*) = (int (*)(const char*))sym_or_die(h, "hy_open_second");
  if (open_second(second) != 0) return 1;
  void* again = DL_OPEN(second, RTLD_NOW | RTLD_NOLOAD);
  printf("second object held by the plugin's loader: %s\n", again ? "yes" : "no");
#ifdef STATICDL_HYBRID_TEST
  /* Everything staticdl loaded stays out of ld.so's list. */
  if (system_has(second) || system_has("libhy_basic.so")) {
    printf("FAIL: the system loader has a staticdl module\n");
    return 1;
  }
#endif
  if (again) DL_CLOSE(again);

  /* A library the system loader already has is that very object. */
  void* libc = DL_OPEN("libc.so.6", RTLD_NOW);
  size_t (*my_strlen)(const char*) = libc ? (size_t(*)(const char*))DL_SYM(libc, "strlen") : NULL;
  printf("libc.so.6: strlen %s\n", my_strlen == &strlen ? "is the process's" : "differs");
  if (libc) DL_CLOSE(libc);

  Dl_info info;
  printf("dladdr(host function): %s\n", DL_ADDR((void*)&host_callback, &info) ? "found" : "not found");
  DL_CLOSE(h);
  printf("done\n");
  return 0;
}
