// Shared helpers for the native (glibc, sanitizer) test programs: the fixed
// test host scope, the internal-API calls made under the loader lock as
// runtime/dlfcn.cpp makes them, and process-state probes (/proc/self/maps,
// /proc/self/fd) used to prove that nothing leaks.
#pragma once

#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <string>
#include <vector>

#include "lookup.h"
#include "registry.h"

namespace native {

// The directory holding the fixture plugins (<build>/plugins).
const char* plugin_dir();
std::string plugin(const char* file);  // plugin_dir() + "/" + file

// Registers the libc functions the fixtures call (and native_host_add) with
// host_add_symbol: a glibc executable's .dynsym holds only what it exports,
// so plugins get a fixed scope instead. Call once, first.
void setup_host_scope();

// The function the hostcall fixture calls back: a + b.
extern "C" int native_host_add(int a, int b);

// open_object / close_object / lookup under the loader lock.
struct Opened {
  staticdl::Module* m = nullptr;
  staticdl::Errc code = staticdl::Errc::None;
  std::string error;
  explicit operator bool() const { return m != nullptr; }
};
Opened open_path(const std::string& path, int flags = RTLD_NOW);
Opened open_fd(int fd, const char* name, int flags = RTLD_NOW);
Opened open_memory(const void* data, size_t size, const char* name, int flags = RTLD_NOW);
Opened open_request(const staticdl::OpenRequest& req);
bool close(staticdl::Module* m);
// Address of `name` (optionally @version) in m's scope; IFUNCs resolved.
void* sym(staticdl::Module* m, const char* name, const char* version = nullptr);
size_t module_count();

// Whole file contents (empty on error).
std::vector<uint8_t> read_file(const std::string& path);

// Process state.
int fd_count();
// Lines of /proc/self/maps that mention `needle`.
std::vector<std::string> maps_matching(const char* needle);
// Anonymous mappings that are not plain read-write data ("---p" reservations,
// executable or read-only anonymous pages), outside the sanitizer runtimes'
// fixed regions. A loader image leaked on an error path shows up here (its
// reservation is PROT_NONE anonymous memory) or in maps_matching(plugin_dir()).
std::vector<std::string> odd_anonymous_mappings();
// Elements of `now` not in `before`.
std::vector<std::string> added(const std::vector<std::string>& before, const std::vector<std::string>& now);

// Minimal check counters for the non-doctest programs.
extern int g_checks, g_failures;
#define NCHECK(cond)                                                                 \
  do {                                                                               \
    ::native::g_checks++;                                                            \
    if (!(cond)) {                                                                   \
      ::native::g_failures++;                                                        \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);       \
    }                                                                                \
  } while (0)

double now_seconds();

}  // namespace native
