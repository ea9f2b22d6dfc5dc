// Types shared by the hosts and the plugins of tests/cxxrt (one header,
// compiled into both sides).
//
//   PluginError  exception class with no key function: every module that
//                uses it has a weak copy of its typeinfo and vtable.
//   HostError    exception class whose key function (what()) is defined in
//                the host (host_types.cpp): plugins reference the host's
//                typeinfo.
//   Shape        polymorphic base, key function (~Shape) in the host.
//   Named        second polymorphic base (cross casts).
//   Circle       Shape + Named, header-only (inline virtuals, weak RTTI).
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct PluginError : std::runtime_error {
  int code;
  std::string where;
  std::vector<int> trail;
  PluginError(const std::string& msg, int c, std::string w, std::vector<int> t)
      : std::runtime_error(msg), code(c), where(std::move(w)), trail(std::move(t)) {}
};

struct HostError : std::exception {
  explicit HostError(int v) : value(v) {}
  const char* what() const noexcept override;  // defined in host_types.cpp
  int value;
};

struct Shape {
  virtual ~Shape();  // defined in host_types.cpp
  virtual std::string name() const = 0;
  virtual double area() const = 0;
};

struct Named {
  virtual ~Named() {}
  virtual std::string label() const = 0;
};

struct Circle : Shape, Named {
  explicit Circle(int r) : radius(r) {}
  std::string name() const override { return "circle"; }
  double area() const override { return 3.0 * radius * radius; }
  std::string label() const override { return "circle r=" + std::to_string(radius); }
  int radius;
};

// Prints the destruction of a frame's local while an exception unwinds it.
struct Guard {
  explicit Guard(const char* n) : name(n) {}
  ~Guard();  // defined in host_types.cpp
  const char* name;
};

// libcxxrt_containers.so's functions (containers_api()).
struct ContainersApi {
  std::string (*join)(const std::vector<std::string>& parts, const std::string& sep);
  std::vector<std::string> (*split)(const std::string& s, char sep);
  void (*grow)(std::vector<int>& v, std::string& s, int n);
  size_t (*consume)(std::unique_ptr<std::vector<std::string>> p);
  std::unique_ptr<std::map<std::string, int>> (*make_map)();
};
