// A thin C++ layer over <staticdl/staticdl.h>: an owning handle and typed
// symbol lookup. Header-only; no exceptions (errors come back as strings).
#pragma once

#include <staticdl/staticdl.h>

#include <string>
#include <utility>

namespace staticdl {

class Library {
 public:
  Library() = default;
  // Opens `path` with dlopen semantics; check ok() and error().
  explicit Library(const char* path, int flags = RTLD_NOW | RTLD_LOCAL) { adopt(dlopen(path, flags)); }
  static Library from_memory(const void* data, size_t size, const char* name, int flags = RTLD_NOW | RTLD_LOCAL) {
    Library l;
    l.adopt(staticdl_open_memory(data, size, name, flags));
    return l;
  }
  static Library from_fd(int fd, const char* name, int flags = RTLD_NOW | RTLD_LOCAL) {
    Library l;
    l.adopt(staticdl_open_fd(fd, name, flags));
    return l;
  }
  Library(const Library&) = delete;
  Library& operator=(const Library&) = delete;
  Library(Library&& o) noexcept : h_(std::exchange(o.h_, nullptr)), err_(std::move(o.err_)) {}
  Library& operator=(Library&& o) noexcept {
    std::swap(h_, o.h_);
    std::swap(err_, o.err_);
    return *this;
  }
  ~Library() { close(); }

  bool ok() const { return h_ != nullptr; }
  const std::string& error() const { return err_; }
  void* handle() const { return h_; }

  // Typed lookup: lib.get<int (*)(int)>("twice"). nullptr when absent; error() says why.
  template <typename T>
  T get(const char* name) {
    dlerror();
    void* p = dlsym(h_, name);
    if (!p) {
      const char* e = dlerror();
      err_ = e ? e : "";
    }
    return reinterpret_cast<T>(p);
  }
  // Closes now; returns false (and sets error()) when dlclose fails.
  bool close() {
    if (!h_) return true;
    int r = dlclose(std::exchange(h_, nullptr));
    if (r != 0) err_ = dlerror();
    return r == 0;
  }

 private:
  void adopt(void* h) {
    h_ = h;
    if (!h) {
      const char* e = dlerror();
      err_ = e ? e : "";
    }
  }
  void* h_ = nullptr;
  std::string err_;
};

}  // namespace staticdl
