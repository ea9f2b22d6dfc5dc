// thrower: a shared-runtime C++ plugin (staticdl_add_cxx_plugin). Its
// exceptions leave the plugin and are caught by type in the host
// (host/cxx_demo_host.cpp): a DemoError from the shared header, and a
// std::runtime_error.
#include <string>

#include "demo_error.h"

namespace {
int parse_digits(const std::string& s) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos)
    throw DemoError("not a number: \"" + s + "\"", 22);
  return std::stoi(s);
}
}  // namespace

// "host:port" -> port. Throws DemoError for a malformed port and
// std::runtime_error for one out of range. (extern "C" only for a plain
// dlsym name; the exceptions are C++ all the same.)
extern "C" int parse_port(const char* arg) {
  const std::string hostport = arg;
  auto colon = hostport.rfind(':');
  if (colon == std::string::npos) throw DemoError("no port in \"" + hostport + "\"", 2);
  int port = parse_digits(hostport.substr(colon + 1));
  if (port > 65535) throw std::runtime_error("port " + std::to_string(port) + " out of range");
  return port;
}
