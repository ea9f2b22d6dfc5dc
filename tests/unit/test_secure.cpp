// AT_SECURE: environment search paths and $ORIGIN are ignored.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"
#include "search.h"

using namespace staticdl;

namespace {
struct Tried {
  char paths[8][256];
  int n = 0;
};
bool record(const char* path, void* ctx) {
  Tried* t = static_cast<Tried*>(ctx);
  if (t->n < 8) strncpy(t->paths[t->n++], path, 255);
  return false;
}
}  // namespace

TEST_CASE("secure mode ignores STATICDL_LIBRARY_PATH and $ORIGIN") {
  setenv("STATICDL_LIBRARY_PATH", "/env/dir", 1);
  SearchFrom from;
  from.runpath = "$ORIGIN/sub:/fixed";
  from.origin = "/plugins";

  Tried normal;
  search_library("libx.so", from, record, &normal);
  REQUIRE(normal.n == 3);
  CHECK(strcmp(normal.paths[0], "/env/dir/libx.so") == 0);
  CHECK(strcmp(normal.paths[1], "/plugins/sub/libx.so") == 0);
  CHECK(strcmp(normal.paths[2], "/fixed/libx.so") == 0);

  g_force_secure_for_tests = true;
  CHECK(safe_getenv("STATICDL_LIBRARY_PATH") == nullptr);
  Tried secure;
  search_library("libx.so", from, record, &secure);
  g_force_secure_for_tests = false;
  REQUIRE(secure.n == 1);
  CHECK(strcmp(secure.paths[0], "/fixed/libx.so") == 0);
  unsetenv("STATICDL_LIBRARY_PATH");
}
