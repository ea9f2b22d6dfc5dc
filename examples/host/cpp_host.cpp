// cpp_host: the C++ face of staticdl (<staticdl/staticdl.hpp>): owning
// handles, typed lookup, and loading a plugin from a memory buffer.
//
//   cpp_host <plugin-dir>
#include <staticdl/staticdl.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

// Called by libgreeter.so.
extern "C" void host_log(const char* msg) { std::printf("  [host_log] %s\n", msg); }

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <plugin-dir>\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  int failures = 0;
  std::printf("staticdl %s\n", staticdl_version());

  {
    staticdl::Library greeter((dir + "/libgreeter.so").c_str());
    if (!greeter.ok()) {
      std::printf("  open libgreeter.so: %s\n", greeter.error().c_str());
      return 1;
    }
    auto greet = greeter.get<char* (*)(const char*)>("greet");
    if (!greet) {
      std::printf("  greet: %s\n", greeter.error().c_str());
      return 1;
    }
    char* s = greet("C++");
    std::printf("greeter (from file): \"%s\"\n", s ? s : "(null)");
    if (!s) failures++;
    std::free(s);
  }  // dlclose here

  {
    std::ifstream in(dir + "/libmathplug.so", std::ios::binary);
    std::vector<char> image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto math = staticdl::Library::from_memory(image.data(), image.size(), "libmathplug.so");
    image.clear();  // staticdl copied it
    if (!math.ok()) {
      std::printf("  open libmathplug.so from memory: %s\n", math.error().c_str());
      return 1;
    }
    auto median = math.get<int (*)(int*, size_t)>("sort_median");
    std::vector<int> v{5, 1, 4, 2, 3};
    int m = median ? median(v.data(), v.size()) : -1;
    std::printf("mathplug (from memory): median of 5 1 4 2 3 = %d\n", m);
    if (m != 3) failures++;
    auto missing = math.get<void (*)()>("no_such_symbol");
    std::printf("missing symbol -> %s (\"%s\")\n", missing ? "found?!" : "nullptr", math.error().c_str());
    if (missing) failures++;
  }

  std::puts(failures ? "cpp_host: FAILED" : "cpp_host: OK");
  return failures ? 1 : 0;
}
