// A C++ host (g++, libstdc++ loaded by the system) and a C++ plugin that
// needs libstdc++.so.6: staticdl reuses the system's libstdc++, exceptions
// cross the boundary both ways and are caught by type, std::string and
// std::vector travel across, dynamic_cast works on objects from either
// side, and the plugin's static destructors run at dlclose in glibc's order.
#include "common.h"
#include "fixtures/hy_cxx.h"

static void host_throws(int x) {
  if (x < 0) throw std::invalid_argument("negative " + std::to_string(x) + " from the host");
  throw std::logic_error("logic_error from the host");
}

#define SYM(h, T, name) reinterpret_cast<T>(sym_or_die(h, name))

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* h = open_or_die(argv[1], "libhy_cxx.so", RTLD_NOW | RTLD_LOCAL);

  // The plugin's DT_NEEDED libstdc++.so.6 is the system's copy: the loader
  // under test hands out the very functions glibc's dlsym finds there.
  // (Data would not do: the PIE host has copy relocations of typeinfo.)
  printf("system has libstdc++.so.6: %s\n", system_has("libstdc++.so.6") ? "yes" : "no");
  void* cxx = DL_OPEN("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD);
  void* sys = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD);
  void* throw_fn = cxx ? DL_SYM(cxx, "__cxa_throw") : nullptr;
  printf("libstdc++.so.6 __cxa_throw: %s\n",
         throw_fn && sys && throw_fn == dlsym(sys, "__cxa_throw") ? "the system's" : "differs");
  if (sys) dlclose(sys);
  auto plugin_ti = SYM(h, const std::type_info* (*)(), "cx_typeid_runtime_error");
  printf("plugin typeid(runtime_error): %s\n",
         plugin_ti() == &typeid(std::runtime_error) ? "the host's" : "differs");
  if (cxx) DL_CLOSE(cxx);

  try {
    SYM(h, void (*)(), "cx_throw_runtime")();
    printf("no exception\n");
  } catch (const std::runtime_error& e) {
    printf("host caught std::runtime_error: %s\n", e.what());
  }
  try {
    SYM(h, void (*)(int), "cx_throw_custom")(42);
    printf("no exception\n");
  } catch (const PluginError& e) {
    printf("host caught PluginError: %s (code %d)\n", e.what(), e.code);
  } catch (const std::exception& e) {
    printf("host caught only std::exception: %s\n", e.what());
  }

  auto call_host = SYM(h, std::string (*)(HostCallback, int), "cx_call_host");
  printf("%s\n", call_host(host_throws, -3).c_str());
  printf("%s\n", call_host(host_throws, 1).c_str());

  auto split = SYM(h, std::vector<std::string> (*)(const std::string&, char), "cx_split");
  std::vector<std::string> parts = split("one,two,,three and a long tail past SSO", ',');
  printf("split: %zu parts:", parts.size());
  for (const std::string& p : parts) printf(" [%s]", p.c_str());
  printf("\n");
  auto join = SYM(h, std::string (*)(const std::vector<int>&), "cx_join");
  printf("join: %s\n", join({1, 22, 333, 4444}).c_str());

  // dynamic_cast both ways: the plugin's objects in the host, the host's in the plugin.
  auto make = SYM(h, Shape* (*)(int), "cx_make_shape");
  auto side_of = SYM(h, int (*)(const Shape*), "cx_side_of");
  Shape* a = make(0);
  Shape* b = make(1);
  printf("host dynamic_cast: square %s (area %d), circle %s (area %d)\n",
         dynamic_cast<Square*>(a) ? "is a Square" : "is not a Square", a->area(),
         dynamic_cast<Square*>(b) ? "is a Square" : "is not a Square", b->area());
  Square mine(5);
  Circle other(1);
  printf("plugin dynamic_cast: host square side %d, host circle %d\n", side_of(&mine), side_of(&other));
  delete a;
  delete b;

  auto touch = SYM(h, int (*)(), "cx_touch_static");
  int t1 = touch();
  int t2 = touch();
  printf("static touched: %d %d\n", t1, t2);
  printf("dlclose...\n");
  printf("dlclose: %d\n", DL_CLOSE(h));
  printf("done\n");
  return 0;
}
