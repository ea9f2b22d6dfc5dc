#include "version_check.h"

namespace staticdl {

namespace {

struct Check {
  const Module& m;
  FindDependency find;
  void* ctx;
  Error err;
  // The versions of one DT_VERNEED entry come one after another, with one
  // file name: its object is looked up once.
  const char* file = nullptr;
  bool found = false;
  const SymbolTable* syms = nullptr;
  const char* path = nullptr;
};

bool version_defined(const NeededVersion& v, void* p) {
  Check& c = *static_cast<Check*>(p);
  if (v.file != c.file) c.file = v.file, c.found = c.find(c.m, v.file, &c.syms, &c.path, c.ctx);
  if (v.weak || !c.found || defines_version(*c.syms, v.name, v.hash)) return true;
  c.err = fail(Errc::Undefined, "%s: version `%s' not found (required by %s)",
               c.path && *c.path ? c.path : "<main program>", v.name, c.m.name.c_str());
  return false;
}

}  // namespace

Status check_needed_versions(const Module& m, FindDependency find, void* ctx) {
  if (!m.syms.verneed) return Status::ok();
  Check c{m, find, ctx, Error()};
  return for_each_needed_version(m.syms, version_defined, &c) ? Status::ok() : Status(c.err);
}

}  // namespace staticdl
