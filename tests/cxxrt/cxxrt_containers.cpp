// std::string, std::vector, std::map and std::unique_ptr across the boundary.
#include <map>
#include <memory>

#include "common.h"
#include "shared.h"

int main(int argc, char** argv) {
  init_dir(argc, argv);
  void* h = open_plugin("cxxrt_containers");
  const ContainersApi* api = sym<const ContainersApi* (*)()>(h, "containers_api")();

  printf("1. vector<string> in, string out\n");
  std::vector<std::string> parts{"alpha", "beta", "a string longer than the small buffer", ""};
  std::string joined = api->join(parts, ", ");
  printf("  join: [%s] size %zu\n", joined.c_str(), joined.size());

  printf("2. string in, vector<string> out\n");
  std::vector<std::string> split = api->split("x:yy::a component long enough to be heap allocated:z", ':');
  printf("  split: %zu parts:", split.size());
  for (const std::string& p : split) printf(" [%s]", p.c_str());
  printf("\n");
  split.push_back("added by host");  // host grows a plugin-allocated vector
  printf("  after push_back: %zu parts, last [%s]\n", split.size(), split.back().c_str());

  printf("3. host containers grown (reallocated) by the plugin\n");
  std::vector<int> v{7};
  std::string s = "s";
  api->grow(v, s, 100);
  long sum = 0;
  for (int x : v) sum += x;
  printf("  vector size %zu sum %ld, string size %zu\n", v.size(), sum, s.size());
  v.clear();
  v.shrink_to_fit();  // the host frees what the plugin allocated
  s = std::string();

  printf("4. ownership moves both ways\n");
  std::unique_ptr<std::vector<std::string>> mine(new std::vector<std::string>{"a", "b", "c"});
  printf("  consumed %zu strings\n", api->consume(std::move(mine)));
  std::unique_ptr<std::map<std::string, int>> m = api->make_map();
  for (const auto& kv : *m) printf("  map %s -> %d\n", kv.first.c_str(), kv.second);
  m.reset();

  dlclose(h);
  printf("done\n");
  return 0;
}
