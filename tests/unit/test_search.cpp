// Unit tests for loader/search.h: dynamic string tokens, dirname, and the
// names the host's own libc provides.
#include <doctest/doctest.h>
#include <string.h>
#include <unistd.h>

#include <string>

#include "search.h"

using namespace staticdl;

namespace {

// expand_dst as a string; "<false>" when it refuses.
std::string expand(const char* in, const char* origin = "/opt/app/lib", OriginRule rule = OriginRule::Anywhere) {
  OwnedStr out;
  if (!expand_dst(in, origin, rule, &out)) return "<false>";
  return out.c_str();
}

std::string dirname(const char* path) {
  OwnedStr out;
  REQUIRE(dirname_of(path, &out));
  return out.c_str();
}

}  // namespace

TEST_CASE("search.expand_dst.origin") {
  CHECK(expand("$ORIGIN") == "/opt/app/lib");
  CHECK(expand("$ORIGIN/../plugins") == "/opt/app/lib/../plugins");
  CHECK(expand("${ORIGIN}/x") == "/opt/app/lib/x");
  CHECK(expand("${ORIGIN}") == "/opt/app/lib");
  CHECK(expand("a:$ORIGIN") == "a:/opt/app/lib");  // expansion is per string, not per element
  CHECK(expand("$ORIGIN$ORIGIN") == "/opt/app/lib/opt/app/lib");
  CHECK(expand("/x/$ORIGIN/y") == "/x//opt/app/lib/y");
}

#if defined(__aarch64__)
#define SDL_TEST_PLATFORM "aarch64"
#else
#define SDL_TEST_PLATFORM "x86_64"
#endif

TEST_CASE("search.expand_dst.lib_platform") {
  CHECK(expand("/usr/$LIB") == "/usr/lib");
  CHECK(expand("/usr/${LIB}/x") == "/usr/lib/x");
  CHECK(expand("/p/$PLATFORM") == "/p/" SDL_TEST_PLATFORM);
  CHECK(expand("/p/${PLATFORM}/q") == "/p/" SDL_TEST_PLATFORM "/q");
  // $LIB and $PLATFORM need no origin.
  CHECK(expand("$LIB", nullptr) == "lib");
  CHECK(expand("$LIB", "") == "lib");
}

TEST_CASE("search.expand_dst.lib_set") {
  // Hybrid mode sets glibc's value: ld.so's first default directory without
  // the leading '/' (trailing slashes dropped; too long a value ignored).
  staticdl::set_dst_lib("lib/x86_64-linux-gnu/");
  CHECK(expand("/usr/$LIB/x") == "/usr/lib/x86_64-linux-gnu/x");
  staticdl::set_dst_lib(std::string(300, 'a').c_str());
  CHECK(expand("$LIB") == "lib/x86_64-linux-gnu");
  staticdl::set_dst_lib("lib");
  CHECK(expand("$LIB") == "lib");
}

TEST_CASE("search.expand_dst.plain") {
  CHECK(expand("") == "");
  CHECK(expand("/usr/lib") == "/usr/lib");
  CHECK(expand("relative/dir", nullptr) == "relative/dir");
}

TEST_CASE("search.expand_dst.unknown_kept") {
  // As glibc: what is not one of the three variables stays as it is.
  CHECK(expand("$FOO") == "$FOO");
  CHECK(expand("/a/$FOO/b") == "/a/$FOO/b");
  CHECK(expand("${FOO}") == "${FOO}");
  CHECK(expand("$") == "$");
  CHECK(expand("${ORIGIN") == "${ORIGIN");  // unterminated brace
  // $ORIGINX is a different (unknown) variable, not $ORIGIN followed by X;
  // so are $ORIGINx and $ORIGIN2 (glibc's is_dst).
  CHECK(expand("$ORIGINX") == "$ORIGINX");
  CHECK(expand("$ORIGIN_X") == "$ORIGIN_X");
  CHECK(expand("$ORIGINx") == "$ORIGINx");
  CHECK(expand("$ORIGIN2") == "$ORIGIN2");
  CHECK(expand("$LIBS") == "$LIBS");
}

TEST_CASE("search.expand_dst.refusals") {
  // $ORIGIN needs an origin; an environment path may not use it in secure mode.
  CHECK(expand("$ORIGIN", nullptr) == "<false>");
  CHECK(expand("$ORIGIN", "") == "<false>");
  CHECK(expand("$ORIGIN/x", "/opt", OriginRule::Never) == "<false>");
  CHECK(expand("${ORIGIN}/x", "/opt", OriginRule::Never) == "<false>");
  // Secure mode does not affect the other tokens.
  for (OriginRule r : {OriginRule::Leading, OriginRule::LeadingTrusted, OriginRule::Never}) {
    CHECK(expand("/usr/$LIB", "/opt", r) == "/usr/lib");
    CHECK(expand("/plain", "/opt", r) == "/plain");
  }
}

TEST_CASE("search.expand_dst.secure") {
  // glibc's _dl_dst_substitute under AT_SECURE: $ORIGIN only where it
  // starts the string and a '/' or the end follows.
  const OriginRule lead = OriginRule::Leading;
  CHECK(expand("$ORIGIN", "/opt", lead) == "/opt");
  CHECK(expand("$ORIGIN/x", "/opt", lead) == "/opt/x");
  CHECK(expand("${ORIGIN}/x", "/opt", lead) == "/opt/x");
  CHECK(expand("${ORIGIN}", "/opt", lead) == "/opt");
  CHECK(expand("/a/$ORIGIN", "/opt", lead) == "<false>");
  CHECK(expand("$ORIGIN/a/$ORIGIN", "/opt", lead) == "<false>");
  CHECK(expand("${ORIGIN}x", "/opt", lead) == "<false>");
  CHECK(expand("$ORIGINx", "/opt", lead) == "$ORIGINx");  // no variable
  // The program's strings: the result must also lie in a configured
  // directory (glibc's trusted ones) or below one, after "..", "." and
  // "//" are resolved.
  const OriginRule prog = OriginRule::LeadingTrusted;
  clear_search_dirs_for_tests();
  CHECK(expand("$ORIGIN/x", "/usr/lib", prog) == "<false>");  // nothing is trusted
  REQUIRE(add_search_dir("/usr/lib"));
  CHECK(expand("$ORIGIN", "/usr/lib", prog) == "/usr/lib");
  CHECK(expand("$ORIGIN/x", "/usr/lib", prog) == "/usr/lib/x");
  CHECK(expand("$ORIGIN/x", "/usr/lib/sub", prog) == "/usr/lib/sub/x");
  CHECK(expand("$ORIGIN/x", "/usr/lib/./a//b", prog) == "/usr/lib/./a//b/x");
  CHECK(expand("$ORIGIN/../x", "/usr/lib", prog) == "<false>");  // /usr/x
  CHECK(expand("$ORIGIN/../lib/x", "/usr/lib", prog) == "/usr/lib/../lib/x");
  CHECK(expand("$ORIGIN/x", "/usr/libexec", prog) == "<false>");
  CHECK(expand("$ORIGIN/x", "/opt", prog) == "<false>");
  CHECK(expand("/a/$ORIGIN", "/usr/lib", prog) == "<false>");
  CHECK(expand("/opt/$LIB", "/usr/lib", prog) == "/opt/lib");  // no $ORIGIN: no check
  clear_search_dirs_for_tests();
}

TEST_CASE("search.expand_dst.non_token_characters") {
  // $ORIGIN followed by a character that cannot continue a name.
  CHECK(expand("$ORIGIN.d") == "/opt/app/lib.d");
  CHECK(expand("$ORIGIN-x") == "/opt/app/lib-x");
}

TEST_CASE("search.origin_of") {
  OwnedStr out;
  REQUIRE(origin_of("/a/b/libx.so", &out));
  CHECK(std::string(out.c_str()) == "/a/b");
  REQUIRE(origin_of("mem:libx.so", &out));  // a display name, not a path
  CHECK(std::string(out.c_str()) == ".");
  char cwd[4096];
  REQUIRE(getcwd(cwd, sizeof cwd));
  std::string base = std::string(cwd) + (std::string(cwd) == "/" ? "" : "/");
  REQUIRE(origin_of("./libx.so", &out));
  CHECK(std::string(out.c_str()) == base + ".");  // glibc's, not normalized
  REQUIRE(origin_of("sub/dir/libx.so", &out));
  CHECK(std::string(out.c_str()) == base + "sub/dir");
}

TEST_CASE("search.dirname_of") {
  CHECK(dirname("/a/b/libc.so") == "/a/b");
  CHECK(dirname("/libx.so") == "/");
  CHECK(dirname("libx.so") == ".");
  CHECK(dirname("rel/libx.so") == "rel");
  CHECK(dirname("./libx.so") == ".");
  CHECK(dirname("/a/b/") == "/a/b");
}

TEST_CASE("search.is_host_library") {
  for (const char* n : {"libc.so", "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
                        "ld-linux-x86-64.so.2", "ld-musl-x86_64.so.1", "ld-linux-aarch64.so.1",
                        "libc.musl-x86_64.so.1", "/lib/x86_64-linux-gnu/libc.so.6", "/lib/ld-musl-x86_64.so.1"}) {
    INFO(n);
    CHECK(is_host_library(n));
  }
  for (const char* n : {"libcrypto.so.3", "libcurl.so.4", "libc_chain.so", "libcx.so", "libc.so.7",
                        "libmm.so.6", "mylibc.so.6", "libbasic.so", "/opt/libc/libfoo.so", ""}) {
    INFO(n);
    CHECK_FALSE(is_host_library(n));
  }
}
