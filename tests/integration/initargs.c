/* initargs: initializers of loaded objects get the program's (argc, argv,
 * envp), as glibc's ld.so passes them, envp being the environment at the
 * time of the dlopen (here after a setenv, which moves environ). */
#include "common.h"

int main(int argc, char **argv) {
  test_init(argc, argv);
  setenv("SDL_INITARGS_PROBE", "1", 1);
  void *h = must_open("libinitargs.so", RTLD_NOW);
  int n = FN(int (*)(void), h, "initargs_argc")();
  const char *(*arg)(int) = FN(const char *(*)(int), h, "initargs_arg");
  printf("argc: %s\n", n == argc ? "the program's" : "wrong");
  printf("argv[0]: %s\n", n > 0 && arg(0) == argv[0] ? "the program's" : "wrong");
  printf("argv[1]: %s\n", n > 1 && strcmp(arg(1), argv[1]) == 0 ? "the plugin directory" : "wrong");
  printf("argv[argc]: %s\n", n >= 0 && arg(n) == NULL ? "NULL" : "wrong");
  printf("envp: %s\n", FN(int (*)(void), h, "initargs_envp_is_environ")() ? "environ after setenv" : "wrong");
  printf("dlclose = %d\n", dlclose(h));
  return 0;
}
