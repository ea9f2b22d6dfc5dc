/* Versioned bindings: a module that uses memcpy@GLIBC_2.2.5 and the default
 * memcpy@@GLIBC_2.14 gets exactly what glibc's own dlvsym(RTLD_DEFAULT)
 * returns for each version, and its rand@GLIBC_2.2.5 binds to the
 * program's interposing rand; dlvsym/dlsym on the module pick its own
 * hy_level@HYV_1 and the default hy_level@@HYV_2; the module's relocation
 * through its own hy_data@HYV_1 (no default version: plain dlsym does not
 * see it) finds it. */
#include "common.h"

/* The program's own rand (exported by -rdynamic, unversioned) interposes
 * libc's: ld.so binds a module's rand@GLIBC_2.2.5 reference to it, since
 * an unversioned definition satisfies a versioned reference. */
static int rand_calls;
int rand(void) {
  rand_calls++;
  return 4;
}

typedef void* (*addr_fn)(void);
typedef int (*int_fn)(void);

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* h = open_or_die(argv[1], "libhy_versions.so", RTLD_NOW);
  void* old_m = ((addr_fn)sym_or_die(h, "ver_memcpy_old"))();
  void* new_m = ((addr_fn)sym_or_die(h, "ver_memcpy_default"))();
  /* glibc's dlvsym in both programs: the system's answer. */
  void* sys_old = dlvsym(RTLD_DEFAULT, "memcpy", "GLIBC_2.2.5");
  void* sys_new = dlvsym(RTLD_DEFAULT, "memcpy", "GLIBC_2.14");
  printf("system has both versions: %s\n", sys_old && sys_new ? "yes" : "no");
  printf("memcpy@GLIBC_2.2.5 in the module: %s\n", old_m == sys_old ? "the system's" : "differs");
  printf("memcpy@@GLIBC_2.14 in the module: %s\n", new_m == sys_new ? "the system's" : "differs");
  printf("the two versions are %s\n", old_m == new_m ? "the same function" : "different functions");

  int_fn module_rand = (int_fn)sym_or_die(h, "ver_rand");
  int before = rand_calls;
  int r = module_rand();
  printf("the module's rand@GLIBC_2.2.5: %s\n", r == 4 && rand_calls == before + 1 ? "the program's" : "libc's");

  int_fn v1 = (int_fn)DL_VSYM(h, "hy_level", "HYV_1");
  int_fn v2 = (int_fn)DL_VSYM(h, "hy_level", "HYV_2");
  int_fn plain = (int_fn)DL_SYM(h, "hy_level");
  printf("hy_level: HYV_1 %d, HYV_2 %d, default %d\n", v1 ? v1() : -1, v2 ? v2() : -1, plain ? plain() : -1);
  void* none = DL_VSYM(h, "hy_level", "HYV_3");
  printf("hy_level@HYV_3: %s\n", none ? "found?!" : "not found");
  int* data = (int*)DL_VSYM(h, "hy_data", "HYV_1");
  int* (*data_ref)(void) = (int* (*)(void))sym_or_die(h, "ver_data_ref");
  printf("hy_data@HYV_1: %d, the module's GOT entry %s\n", data ? *data : -1,
         data && data_ref() == data ? "points at it" : "differs");
  printf("hy_data without a version: %s\n", DL_SYM(h, "hy_data") ? "found?!" : "not found");
  DL_CLOSE(h);
  return 0;
}
