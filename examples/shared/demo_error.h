// DemoError: the exception type shared by the C++ demo host
// (host/cxx_demo_host.cpp) and its plugin (plugins/thrower.cpp). Both are
// built against the one shared C++ runtime (staticdl_add_cxx_host /
// staticdl_add_cxx_plugin), so the host catches what the plugin throws by
// type. Header-only: each side has a copy of its typeinfo, matched by name.
#pragma once

#include <stdexcept>
#include <string>

struct DemoError : std::runtime_error {
  int code;
  DemoError(const std::string& what, int c) : std::runtime_error(what), code(c) {}
};
