// Helpers for the tests/cxxrt hosts: argv[1] is the plugin directory.
#pragma once
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include <string>

static std::string g_dir;

static void* open_plugin(const char* name, int flags = RTLD_NOW | RTLD_LOCAL) {
  std::string path = g_dir + "/lib" + name + ".so";
  void* h = dlopen(path.c_str(), flags);
  if (!h) {
    printf("dlopen lib%s.so failed: %s\n", name, dlerror());
    exit(1);
  }
  return h;
}

template <typename T>
static T sym(void* h, const char* name) {
  void* p = dlsym(h, name);
  if (!p) {
    printf("dlsym %s failed: %s\n", name, dlerror());
    exit(1);
  }
  return reinterpret_cast<T>(p);
}

static void init_dir(int argc, char** argv) {
  if (argc < 2) {
    printf("usage: %s <plugin-dir>\n", argv[0]);
    exit(2);
  }
  g_dir = argv[1];
  setvbuf(stdout, nullptr, _IONBF, 0);
}
