#include "version_check.h"

namespace staticdl {

namespace {

struct Check {
  const Module& m;
  FindDependency find;
  void* ctx;
  Error err;
};

bool version_defined(const NeededVersion& v, void* p) {
  Check& c = *static_cast<Check*>(p);
  const SymbolTable* syms = nullptr;
  const char* path = nullptr;
  if (v.weak || !c.find(c.m, v.file, &syms, &path, c.ctx) || defines_version(*syms, v.name, v.hash)) return true;
  c.err = fail(Errc::Undefined, "%s: version `%s' not found (required by %s)", path && *path ? path : "<main program>",
               v.name, c.m.name.c_str());
  return false;
}

}  // namespace

Status check_needed_versions(const Module& m, FindDependency find, void* ctx) {
  if (!m.syms.verneed) return Status::ok();
  Check c{m, find, ctx, Error()};
  return for_each_needed_version(m.syms, version_defined, &c) ? Status::ok() : Status(c.err);
}

}  // namespace staticdl
