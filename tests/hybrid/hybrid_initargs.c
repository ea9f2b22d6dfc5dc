/* Initializers of loaded objects get the program's (argc, argv, envp), as
 * glibc's ld.so passes them, envp being the environment at the time of the
 * dlopen (here after a setenv, which moves environ). argv[1]: the fixture
 * directory. */
#include "common.h"

extern char** environ;

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  setenv("SDL_INITARGS_PROBE", "1", 1);
  void* h = open_or_die(argv[1], "libhy_initargs.so", RTLD_NOW);
  int n = ((int (*)(void))DL_SYM(h, "initargs_argc"))();
  const char* (*arg)(int) = (const char* (*)(int))DL_SYM(h, "initargs_arg");
  printf("argc: %s\n", n == argc ? "the program's" : "wrong");
  printf("argv[0]: %s\n", n > 0 && arg(0) == argv[0] ? "the program's" : "wrong");
  printf("argv[argc]: %s\n", n >= 0 && arg(n) == NULL ? "NULL" : "wrong");
  printf("envp: %s\n", ((int (*)(void))DL_SYM(h, "initargs_envp_is_environ"))() ? "environ after setenv" : "wrong");
  DL_CLOSE(h);
  return 0;
}
