/* An ordinary dynamically linked glibc program that loads a plugin with
 * staticdl (hybrid mode), built against an installed staticdl: through
 * pkg-config and through find_package(staticdl_hybrid). argv[1]: a plugin
 * defining hy_ldpath_value(). */
#include <dlfcn.h>
#include <staticdl/staticdl.h>
#include <stdio.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* h = staticdl_dlopen(argv[1], RTLD_NOW);
  if (!h) {
    printf("staticdl_dlopen failed: %s\n", staticdl_dlerror());
    return 1;
  }
  int (*value)(void) = (int (*)(void))staticdl_dlsym(h, "hy_ldpath_value");
  printf("hy_ldpath_value() = %d\n", value ? value() : -1);
  return staticdl_dlclose(h);
}
