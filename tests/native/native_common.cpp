#include "native_common.h"

#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host.h"

namespace native {

int g_checks = 0, g_failures = 0;

extern "C" int native_host_add(int a, int b) { return a + b; }

const char* plugin_dir() { return SDL_NATIVE_PLUGINS; }
std::string plugin(const char* file) { return std::string(plugin_dir()) + "/" + file; }

void setup_host_scope() {
  // The fixed test host scope. Addresses taken here are what this program
  // links against: under a sanitizer, its interceptors.
  struct {
    const char* name;
    void* addr;
  } const table[] = {
      {"native_host_add", reinterpret_cast<void*>(&native_host_add)},
      {"malloc", reinterpret_cast<void*>(&malloc)},
      {"calloc", reinterpret_cast<void*>(&calloc)},
      {"realloc", reinterpret_cast<void*>(&realloc)},
      {"free", reinterpret_cast<void*>(&free)},
      {"strlen", reinterpret_cast<void*>(&strlen)},
      {"strdup", reinterpret_cast<void*>(&strdup)},
      {"memcpy", reinterpret_cast<void*>(&memcpy)},
      {"memset", reinterpret_cast<void*>(&memset)},
      {"snprintf", reinterpret_cast<void*>(&snprintf)},
      {"puts", reinterpret_cast<void*>(&puts)},
  };
  staticdl::LoaderLock lock;
  for (const auto& e : table)
    if (!staticdl::host_add_symbol(e.name, e.addr)) {
      fprintf(stderr, "host_add_symbol(%s) failed\n", e.name);
      exit(2);
    }
  (void)staticdl::host_info();   // find the host's symbols now, not inside a measured open
  (void)staticdl::host_handle();
}

Opened open_request(const staticdl::OpenRequest& req) {
  staticdl::LoaderLock lock;
  staticdl::Expected<staticdl::Module*> r = staticdl::open_object(req, nullptr);
  Opened o;
  if (r) {
    o.m = *r;
  } else {
    o.code = r.error().code();
    o.error = r.error().message();
  }
  return o;
}

Opened open_path(const std::string& path, int flags) {
  staticdl::OpenRequest req;
  req.path = path.c_str();
  req.flags = flags;
  return open_request(req);
}

Opened open_fd(int fd, const char* name, int flags) {
  staticdl::OpenRequest req;
  req.fd = fd, req.name = name, req.flags = flags;
  return open_request(req);
}

Opened open_memory(const void* data, size_t size, const char* name, int flags) {
  staticdl::OpenRequest req;
  req.mem = data, req.size = size, req.name = name, req.flags = flags;
  return open_request(req);
}

bool close(staticdl::Module* m) {
  staticdl::LoaderLock lock;
  staticdl::Module* h = staticdl::validate_handle(m);
  if (!h) return false;
  staticdl::Status s = staticdl::close_object(h);
  if (!s) fprintf(stderr, "close_object: %s\n", s.error().message());
  return bool(s);
}

void* sym(staticdl::Module* m, const char* name, const char* version) {
  staticdl::LoaderLock lock;
  staticdl::SymName n(name);
  staticdl::VersionReq v;
  if (version) v.name = version, v.hash = staticdl::elf_hash(version);
  staticdl::Definition d;
  if (!staticdl::validate_handle(m) || !staticdl::lookup_in_handle(m, n, v, &d)) return nullptr;
  return reinterpret_cast<void*>(staticdl::definition_address(d));
}

size_t module_count() {
  staticdl::LoaderLock lock;
  return staticdl::loaded_modules().size();
}

std::vector<uint8_t> read_file(const std::string& path) {
  std::vector<uint8_t> out;
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return out;
  uint8_t buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  fclose(f);
  return out;
}

int fd_count() {
  DIR* d = opendir("/proc/self/fd");
  if (!d) return -1;
  int n = 0;
  while (struct dirent* e = readdir(d))
    if (e->d_name[0] != '.') n++;
  closedir(d);
  return n - 1;  // the directory's own fd
}

static std::vector<std::string> maps_lines() {
  std::vector<std::string> out;
  FILE* f = fopen("/proc/self/maps", "r");
  if (!f) return out;
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n') line[n - 1] = 0;
    out.push_back(line);
  }
  fclose(f);
  return out;
}

std::vector<std::string> maps_matching(const char* needle) {
  std::vector<std::string> out;
  for (const std::string& l : maps_lines())
    if (l.find(needle) != std::string::npos) out.push_back(l);
  return out;
}

std::vector<std::string> odd_anonymous_mappings() {
  std::vector<std::string> out;
  for (const std::string& l : maps_lines()) {
    unsigned long lo = 0, hi = 0, off = 0, inode = 0;
    char perms[8] = {0}, dev[16] = {0};
    int pos = 0;
    if (sscanf(l.c_str(), "%lx-%lx %7s %lx %15s %lu %n", &lo, &hi, perms, &off, dev, &inode, &pos) < 6) continue;
    if (inode != 0 || l.c_str()[pos] != 0) continue;  // file-backed or named ([heap], [stack], ...)
    if (!strcmp(perms, "rw-p")) continue;
    // ASan's shadow memory lies below 0x10007fff8000 and its allocator in
    // [0x600000000000, 0x640000000000); TSan's regions are all below the
    // mmap area as well. Their reservations change shape as they grow.
    if (lo < 0x10007fff8000ul) continue;
    if (lo >= 0x600000000000ul && lo < 0x640000000000ul) continue;
    out.push_back(l);
  }
  return out;
}

std::vector<std::string> added(const std::vector<std::string>& before, const std::vector<std::string>& now) {
  std::vector<std::string> out;
  for (const std::string& l : now) {
    bool found = false;
    for (const std::string& b : before) found |= b == l;
    if (!found) out.push_back(l);
  }
  return out;
}

double now_seconds() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

}  // namespace native
