// Unit tests for loader/deps.h: search lists with filters placed as
// glibc's _dl_map_object_deps places them, and the relocation order.
#include <doctest/doctest.h>

#include <string>

#include "deps.h"

using namespace staticdl;

namespace {

// Modules a..h. edges: "x>y" (x needs y) and "x~y" (y is x's filtee),
// separated by spaces and applied in order (each module's DT order).
struct Graph {
  Module mods[8];
  explicit Graph(const char* edges) {
    for (const char* p = edges; p[0] && p[1] && p[2]; p += p[3] ? 4 : 3) {
      Module& from = mods[p[0] - 'a'];
      Module* to = &mods[p[2] - 'a'];
      REQUIRE(from.deps.push(to));
      if (p[1] == '~') REQUIRE(from.filtees.push(to));
    }
  }
  char name(const Module* m) const { return static_cast<char>('a' + (m - mods)); }
  std::string names(const Vec<Module*>& l) const {
    std::string s;
    for (Module* m : l) s += name(m);
    return s;
  }
};

struct Case {
  const char* what;
  const char* edges;
  const char* list;   // a's search list
  const char* moved;  // "filtee>filter " for each filtee placed
};

const Case kCases[] = {
    {"plain breadth first", "a>b a>c b>d b>c c>d", "abcd", ""},
    {"the root is a filter: its filtee first, the filtee's needs after the filter's", "a~b a>c b>d", "bacd", "b>a "},
    {"filtees in their DT order", "a>b b~c b~d", "acdb", "c>b d>b "},
    {"a filtee further down moves up", "a>b a>c b~c", "acb", "c>b "},
    {"a filtee already earlier stays", "a>c a>b b~c", "acb", ""},
    {"a filtee's filtee goes before it", "a>b b~c c~d", "adcb", "c>b d>c "},
    {"a filter naming itself", "a>b b~b", "ab", ""},
};

}  // namespace

TEST_CASE("deps.bfs") {
  for (const Case& c : kCases) {
    CAPTURE(c.what);
    Graph g(c.edges);
    Vec<FilteeMove> moves;
    REQUIRE(compute_bfs(&g.mods[0], &moves));
    CHECK(g.names(g.mods[0].bfs) == c.list);
    std::string moved;
    for (const FilteeMove& mv : moves) moved += std::string(1, g.name(mv.filtee)) + ">" + g.name(mv.filter) + " ";
    CHECK(moved == c.moved);
  }
}

TEST_CASE("deps.post_order") {
  Graph g("a>b a>c b>d c~d");
  Vec<Module*> out;
  REQUIRE(post_order(&g.mods[0], &out));
  CHECK(g.names(out) == "dbca");
}
