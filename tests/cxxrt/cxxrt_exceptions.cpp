// The host catches, by type, exceptions thrown in a plugin.
#include <exception>
#include <stdexcept>
#include <typeinfo>

#include "common.h"
#include "shared.h"

int main(int argc, char** argv) {
  init_dir(argc, argv);
  void* h = open_plugin("cxxrt_thrower");
  auto runtime_error = sym<void (*)(const char*)>(h, "thrower_runtime_error");
  auto plugin_error = sym<void (*)(int)>(h, "thrower_plugin_error");
  auto vector_at = sym<int (*)(int)>(h, "thrower_vector_at");
  auto throw_int = sym<void (*)(int)>(h, "thrower_int");
  auto host_error = sym<void (*)(int)>(h, "thrower_host_error");
  auto make_eptr = sym<std::exception_ptr* (*)()>(h, "thrower_make_exception_ptr");
  auto free_eptr = sym<void (*)(std::exception_ptr*)>(h, "thrower_free_exception_ptr");
  auto rethrow = sym<void (*)()>(h, "thrower_rethrow");

  printf("1. std::runtime_error by type\n");
  try {
    runtime_error("boom");
  } catch (const std::logic_error&) {
    printf("  wrong: logic_error\n");
  } catch (const std::runtime_error& e) {
    printf("  host caught std::runtime_error: %s (typeid %s)\n", e.what(),
           typeid(e) == typeid(std::runtime_error) ? "std::runtime_error" : "other");
  }

  printf("2. std::exception base\n");
  try {
    runtime_error("base");
  } catch (const std::exception& e) {
    printf("  host caught std::exception: %s\n", e.what());
  }

  printf("3. shared-header type (no key function)\n");
  try {
    plugin_error(5);
  } catch (const HostError&) {
    printf("  wrong: HostError\n");
  } catch (const PluginError& e) {
    printf("  host caught PluginError: what=%s code=%d where=%s trail=", e.what(), e.code, e.where.c_str());
    for (int x : e.trail) printf("%d ", x);
    printf("\n");
  }

  printf("4. shared-header type as its base std::runtime_error\n");
  try {
    plugin_error(6);
  } catch (const std::runtime_error& e) {
    const PluginError* pe = dynamic_cast<const PluginError*>(&e);
    printf("  host caught std::runtime_error: %s, dynamic_cast<PluginError> %s code=%d\n", e.what(),
           pe ? "ok" : "failed", pe ? pe->code : -1);
  }

  printf("5. std::out_of_range thrown by the library for the plugin\n");
  try {
    vector_at(1);
    printf("  vector_at(1) ok\n");
    vector_at(10);
  } catch (const std::out_of_range&) {
    printf("  host caught std::out_of_range\n");
  }

  printf("6. int and catch(...)\n");
  try {
    throw_int(42);
  } catch (int v) {
    printf("  host caught int %d\n", v);
  }
  try {
    throw_int(43);
  } catch (...) {
    printf("  host caught ... (%s)\n", std::current_exception() ? "current_exception set" : "none");
  }

  printf("7. shared-header type with its key function in the host\n");
  try {
    host_error(9);
  } catch (const HostError& e) {
    printf("  host caught HostError value=%d what=%s\n", e.value, e.what());
  }

  printf("8. exception_ptr made in the plugin, rethrown in the host\n");
  std::exception_ptr* p = make_eptr();
  try {
    std::rethrow_exception(*p);
  } catch (const std::logic_error& e) {
    printf("  host caught std::logic_error: %s\n", e.what());
  }
  free_eptr(p);

  printf("9. caught in the plugin, rethrown with throw;\n");
  try {
    rethrow();
  } catch (const PluginError& e) {
    printf("  host caught PluginError: %s code=%d where=%s\n", e.what(), e.code, e.where.c_str());
  }

  printf("10. uncaught_exceptions() %d\n", std::uncaught_exceptions());
  dlclose(h);
  printf("done\n");
  return 0;
}
