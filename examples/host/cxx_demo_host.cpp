// cxx_demo_host: a C++ host on the shared C++ runtime
// (staticdl_add_cxx_host). It loads libthrower.so (staticdl_add_cxx_plugin)
// with plain dlopen/dlsym and catches the plugin's exceptions by type.
//
//   cxx_demo_host <plugin-dir>
#include <dlfcn.h>

#include <cstdio>
#include <stdexcept>
#include <string>

#include "demo_error.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <plugin-dir>\n", argv[0]);
    return 2;
  }
  std::puts("thrower: a C++ plugin throws, the host catches by type");
  const std::string path = std::string(argv[1]) + "/libthrower.so";
  void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    std::printf("  dlopen(libthrower.so) failed: %s\n", dlerror());
    return 1;
  }
  // extern "C" int parse_port(const char*), which throws C++ exceptions.
  auto parse_port = reinterpret_cast<int (*)(const char*)>(dlsym(h, "parse_port"));
  if (!parse_port) {
    std::printf("  dlsym(parse_port) failed: %s\n", dlerror());
    return 1;
  }
  int caught = 0;
  for (const char* input : {"example.org:8080", "example.org:http", "example.org:99999"}) {
    try {
      std::printf("  parse_port(\"%s\") -> %d\n", input, parse_port(input));
    } catch (const DemoError& e) {
      std::printf("  caught DemoError (code %d): %s\n", e.code, e.what());
      caught++;
    } catch (const std::runtime_error& e) {
      std::printf("  caught std::runtime_error: %s\n", e.what());
      caught++;
    } catch (...) {
      std::printf("  caught something unexpected\n");
    }
  }
  // Exception objects are gone (destroyed at the end of each handler)
  // before the plugin is unloaded.
  if (dlclose(h) != 0) {
    std::printf("  dlclose(libthrower.so) failed: %s\n", dlerror());
    return 1;
  }
  std::printf("cxx demo: %s\n", caught == 2 ? "ok" : "FAILED");
  return caught == 2 ? 0 : 1;
}
