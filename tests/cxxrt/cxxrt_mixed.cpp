// A shared-runtime host loading both plugin models: a self-contained C++
// plugin (own runtime, exceptions kept inside, C interface) next to a
// shared-runtime plugin.
#include <stdexcept>

#include "common.h"
#include "shared.h"

int main(int argc, char** argv) {
  init_dir(argc, argv);
  void* sc = open_plugin("cxxrt_selfcontained");
  void* sh = open_plugin("cxxrt_thrower");
  auto roundtrip = sym<int (*)(int)>(sc, "selfcontained_roundtrip");
  auto plugin_error = sym<void (*)(int)>(sh, "thrower_plugin_error");
  for (int round = 0; round < 3; ++round) {
    printf("round %d: self-contained plugin caught %d of 4 internally\n", round, roundtrip(4));
    try {
      plugin_error(round);
    } catch (const PluginError& e) {
      printf("round %d: host caught PluginError code=%d from the shared-runtime plugin\n", round, e.code);
    }
    try {
      throw std::runtime_error("host");
    } catch (const std::exception& e) {
      printf("round %d: host caught its own %s\n", round, e.what());
    }
  }
  dlclose(sh);
  dlclose(sc);
  printf("done\n");
  return 0;
}
