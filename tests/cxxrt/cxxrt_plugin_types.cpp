// A type only the plugins use: plugin A throws it, plugin B catches it by
// type. Both are RTLD_LOCAL and the host has no copy of its typeinfo, so the
// two plugins' typeinfo objects are different; the shared runtime matches
// them by name (libc++'s comparison mode 2, as libstdc++ does).
#include "common.h"

int main(int argc, char** argv) {
  init_dir(argc, argv);
  void* a = open_plugin("cxxrt_only_a");
  void* b = open_plugin("cxxrt_only_b");
  auto thrower = sym<void (*)(int)>(a, "only_a_throw");
  auto catcher = sym<int (*)(void (*)(int), int)>(b, "only_b_catch");
  void* ta = dlsym(a, "_ZTI13OnlyInPlugins");
  void* tb = dlsym(b, "_ZTI13OnlyInPlugins");
  printf("typeinfo for OnlyInPlugins: %s\n", !ta || !tb ? "missing" : ta == tb ? "one object" : "one object per plugin");
  printf("only_b_catch returned %d\n", catcher(thrower, 3));
  dlclose(a);
  dlclose(b);
  printf("done\n");
  return 0;
}
