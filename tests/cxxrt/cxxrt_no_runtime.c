/* A shared-runtime plugin in a host without the shared runtime (a plain C
 * host, or a zig C++ host whose libc++ is hidden): dlopen must fail cleanly,
 * naming a C++ runtime symbol as undefined. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  char path[4096];
  if (argc < 2) return 2;
  snprintf(path, sizeof path, "%s/libcxxrt_containers.so", argv[1]);
  void* h = dlopen(path, RTLD_NOW);
  if (h) {
    printf("dlopen succeeded (unexpected)\n");
    return 1;
  }
  const char* e = dlerror();
  const char* u = e ? strstr(e, "undefined symbol: ") : NULL;
  printf("dlopen failed: %s\n", u ? "undefined symbol" : (e ? e : "(no dlerror)"));
  if (u) {
    u += strlen("undefined symbol: ");
    /* libcxxrt_containers.so references only libc and the C++ runtime:
     * std:: (_ZNSt.., _ZNKSt.., _ZTISt.., _ZTVSt..), __cxxabiv1, new/delete
     * (_Zn.., _Zd..), __cxa_*, __gxx_personality_v0, _Unwind_*. */
    static const char* const prefixes[] = {"_ZNSt", "_ZNKSt", "_ZTISt", "_ZTVSt", "_ZTVN10__cxxabiv1", "_Zn",
                                           "_Zd",   "__cxa_", "__gxx_", "_Unwind_"};
    int runtime = 0;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; ++i)
      if (strncmp(u, prefixes[i], strlen(prefixes[i])) == 0) runtime = 1;
    printf("the symbol belongs to the C++ runtime: %s\n", runtime ? "yes" : u);
  }
  printf("done\n");
  return 0;
}
