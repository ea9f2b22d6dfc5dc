/* RTLD_LAZY in a glibc process: libhy_lazy.so (opened by the loader under
 * test) calls a function nothing defines at its dlopen; glibc's own dlopen
 * then loads libhy_lazy_late.so RTLD_GLOBAL, and the first call binds to
 * it. With LD_BIND_NOW set (hybrid_lazy_bind_now.expected) the RTLD_LAZY
 * dlopen fails, as under ld.so. argv[1]: the fixture directory. */
#include "common.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  char path[4096];
  snprintf(path, sizeof path, "%s/libhy_lazy.so", argv[1]);
  void* h = DL_OPEN(path, RTLD_LAZY);
  printf("RTLD_LAZY: %s\n", h ? "loaded" : "failed");
  if (!h) {
    const char* e = DL_ERROR();
    printf("dlerror: %s\n", e && strstr(e, "libhy_lazy.so: undefined symbol: hy_lazy_later") ? "names the file and hy_lazy_later" : e);
    return 0;
  }
  void* late = system_open_or_die(argv[1], "libhy_lazy_late.so", RTLD_NOW | RTLD_GLOBAL);
  int (*call)(int) = (int (*)(int))sym_or_die(h, "hy_lazy_call");
  printf("hy_lazy_call(3) = %d\n", call(3));
  printf("hy_lazy_call(4) = %d\n", call(4));
  DL_CLOSE(h);
  dlclose(late);
  return 0;
}
