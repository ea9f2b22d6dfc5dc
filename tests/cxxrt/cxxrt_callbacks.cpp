// A plugin catches, by type, what a host callback throws; exceptions cross
// plugin -> host -> plugin frames.
#include <stdexcept>
#include <vector>

#include "common.h"
#include "shared.h"

static void (*g_plugin_error)(int);  // libcxxrt_thrower.so's thrower_plugin_error

static void host_throws(int kind) {
  Guard g("host_throws");
  switch (kind) {
    case 0: return;
    case 1: throw HostError(11);
    case 2: throw PluginError("from host", 12, "host_throws", {1, 2});
    case 3: throw std::runtime_error("host runtime_error");
    case 4: { std::vector<int> v; (void)v.at(3); return; }
    case 5: throw std::bad_alloc();
    case 6: throw 16;
    default: throw 3.5;
  }
}

// Host frame between two plugin frames: calls into libcxxrt_thrower.so.
static void host_middle(int code) {
  Guard g("host_middle");
  g_plugin_error(code);
  printf("  host_middle: not reached\n");
}

int main(int argc, char** argv) {
  init_dir(argc, argv);
  void* catcher = open_plugin("cxxrt_catcher");
  void* thrower = open_plugin("cxxrt_thrower");
  auto call = sym<const char* (*)(void (*)(int), int)>(catcher, "catcher_call");
  auto through = sym<void (*)(void (*)(int), int)>(catcher, "catcher_through");
  auto through_catch = sym<int (*)(void (*)(int), int)>(catcher, "catcher_through_catch");
  g_plugin_error = sym<void (*)(int)>(thrower, "thrower_plugin_error");

  printf("1. the plugin catches host exceptions by type\n");
  for (int kind = 0; kind <= 7; ++kind) {
    const char* r = call(host_throws, kind);
    printf("  kind %d: plugin caught %s\n", kind, r);
  }

  printf("2. plugin -> host -> plugin, caught in the host\n");
  try {
    through(host_middle, 21);
  } catch (const PluginError& e) {
    printf("  host caught PluginError code=%d where=%s trail=%zu\n", e.code, e.where.c_str(), e.trail.size());
  }

  printf("3. plugin -> host -> plugin, caught in the outer plugin\n");
  int r = through_catch(host_middle, 22);
  printf("  through_catch returned %d\n", r);

  printf("4. host -> plugin -> host, caught in the host\n");
  try {
    through(host_throws, 1);
  } catch (const HostError& e) {
    printf("  host caught HostError value=%d\n", e.value);
  }

  dlclose(thrower);
  dlclose(catcher);
  printf("done\n");
  return 0;
}
