// AT_SECURE: environment search paths and the relocation cache are ignored, $ORIGIN restricted.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <string.h>

#include "debug.h"
#include "reloc_cache.h"
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

TEST_CASE("secure mode ignores STATICDL_LIBRARY_PATH and restricts $ORIGIN") {
  setenv("STATICDL_LIBRARY_PATH", "/env/dir", 1);
  SearchFrom from;
  from.runpath = "$ORIGIN/sub:/x$ORIGIN:/fixed";
  from.origin = "/plugins";

  Tried normal;
  search_library("libx.so", from, record, &normal);
  REQUIRE(normal.n == 4);
  CHECK(strcmp(normal.paths[0], "/env/dir/libx.so") == 0);
  CHECK(strcmp(normal.paths[1], "/plugins/sub/libx.so") == 0);
  CHECK(strcmp(normal.paths[2], "/x/plugins/libx.so") == 0);
  CHECK(strcmp(normal.paths[3], "/fixed/libx.so") == 0);

  // An object's $ORIGIN counts only at the start of an element (glibc).
  g_force_secure_for_tests = true;
  CHECK(safe_getenv("STATICDL_LIBRARY_PATH") == nullptr);
  Tried secure;
  search_library("libx.so", from, record, &secure);
  // The program's: only in a trusted (configured) directory; none is here.
  from.program = true;
  Tried program;
  search_library("libx.so", from, record, &program);
  g_force_secure_for_tests = false;
  REQUIRE(secure.n == 2);
  CHECK(strcmp(secure.paths[0], "/plugins/sub/libx.so") == 0);
  CHECK(strcmp(secure.paths[1], "/fixed/libx.so") == 0);
  REQUIRE(program.n == 1);
  CHECK(strcmp(program.paths[0], "/fixed/libx.so") == 0);
  unsetenv("STATICDL_LIBRARY_PATH");
}

TEST_CASE("secure mode ignores STATICDL_RELOC_CACHE") {
  ElfImage img;
  Elf64_Phdr data{};
  data.p_type = PT_LOAD, data.p_flags = PF_R | PF_W;
  data.p_offset = 0x1000, data.p_vaddr = 0x2000, data.p_filesz = data.p_memsz = 0x100;
  REQUIRE(img.phdrs.push(data));
  Input in;
  in.fd = 0;  // a file (Input::has_id)
  setenv("STATICDL_RELOC_CACHE", "/cache", 1);
  CHECK(reloc_cache_wanted(img, in));
  g_force_secure_for_tests = true;
  CHECK_FALSE(reloc_cache_wanted(img, in));
  g_force_secure_for_tests = false;
  unsetenv("STATICDL_RELOC_CACHE");
  CHECK_FALSE(reloc_cache_wanted(img, in));
}
