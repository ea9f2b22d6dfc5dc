// Unit tests for loader/deps.h: search lists with filters placed as
// glibc's _dl_map_object_deps places them, and the relocation order.
#include <doctest/doctest.h>

#include <string>

#include "deps.h"

using namespace staticdl;

namespace {

// A graph of named modules; deps() adds DT_NEEDED edges, filters() filtees.
struct Graph {
  Module mods[8];
  Module& operator[](char c) { return mods[c - 'a']; }
  void deps(char m, const char* list) {
    for (const char* p = list; *p; p++) REQUIRE((*this)[m].deps.push(&(*this)[*p]));
  }
  void filters(char m, const char* list) {
    for (const char* p = list; *p; p++) {
      REQUIRE((*this)[m].deps.push(&(*this)[*p]));
      REQUIRE((*this)[m].filtees.push(&(*this)[*p]));
    }
  }
  std::string names(const Vec<Module*>& l) {
    std::string s;
    for (Module* m : l) s += static_cast<char>('a' + (m - mods));
    return s;
  }
  std::string search_list(char root, std::string* moved = nullptr) {
    Vec<FilteeMove> moves;
    REQUIRE(compute_bfs(&(*this)[root], &moves));
    if (moved)
      for (const FilteeMove& mv : moves) *moved += names_of(mv);
    return names((*this)[root].bfs);
  }
  std::string names_of(const FilteeMove& mv) {
    return std::string(1, static_cast<char>('a' + (mv.filtee - mods))) + ">" +
           static_cast<char>('a' + (mv.filter - mods)) + " ";
  }
};

}  // namespace

TEST_CASE("deps.bfs.plain") {
  Graph g;
  g.deps('a', "bc");
  g.deps('b', "dc");
  g.deps('c', "d");
  CHECK(g.search_list('a') == "abcd");
}

TEST_CASE("deps.bfs.filtee_before_its_filter") {
  Graph g;
  g.filters('a', "b");  // the root itself is a filter: its filtee comes first
  g.deps('a', "c");
  g.deps('b', "d");     // the filtee's dependencies after the filter's
  std::string moved;
  CHECK(g.search_list('a', &moved) == "bacd");
  CHECK(moved == "b>a ");
}

TEST_CASE("deps.bfs.filtees_in_order") {
  Graph g;
  g.deps('a', "b");
  g.filters('b', "cd");
  CHECK(g.search_list('a') == "acdb");
}

TEST_CASE("deps.bfs.filtee_further_down_moves_up") {
  Graph g;
  g.deps('a', "bc");
  g.filters('b', "c");  // c was appended after b: it moves before b
  std::string moved;
  CHECK(g.search_list('a', &moved) == "acb");
  CHECK(moved == "c>b ");
}

TEST_CASE("deps.bfs.filtee_already_earlier_stays") {
  Graph g;
  g.deps('a', "cb");
  g.filters('b', "c");  // c is before b already
  std::string moved;
  CHECK(g.search_list('a', &moved) == "acb");
  CHECK(moved == "");
}

TEST_CASE("deps.bfs.filter_of_a_filtee") {
  Graph g;
  g.deps('a', "b");
  g.filters('b', "c");
  g.filters('c', "d");  // d goes before c, which is before b
  CHECK(g.search_list('a') == "adcb");
}

TEST_CASE("deps.bfs.filter_naming_itself") {
  Graph g;
  g.deps('a', "b");
  g.filters('b', "b");
  CHECK(g.search_list('a') == "ab");
}

TEST_CASE("deps.post_order") {
  Graph g;
  g.deps('a', "bc");
  g.deps('b', "d");
  g.filters('c', "d");
  Vec<Module*> out;
  REQUIRE(post_order(&g['a'], &out));
  CHECK(g.names(out) == "dbca");
}
