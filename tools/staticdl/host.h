// The static host executable as the staticdl tool sees it: what it exports
// to plugins (loader/host.cpp) and its static TLS reserve.
#pragma once

#include <stdint.h>

#include <memory>
#include <set>
#include <string>

#include "elf_object.h"

namespace sdtool {

struct Host {
  std::unique_ptr<Obj> obj;
  std::set<std::string> exports;
  bool from_dynsym = false;
  bool has_staticdl = false;
  bool reserve_known = false;
  uint64_t reserve = 16384;  // bytes plugins' initial-exec TLS may use
};

bool load_host(const std::string& path, Host* h, std::string* err);

}  // namespace sdtool
