// dynamic_cast and typeid across the boundary on shared-header types.
#include <typeinfo>

#include "common.h"
#include "shared.h"

// Known only to the host.
struct Triangle : Shape {
  std::string name() const override { return "triangle"; }
  double area() const override { return 6.0; }
};

int main(int argc, char** argv) {
  init_dir(argc, argv);
  void* h = open_plugin("cxxrt_shapes");
  auto make_circle = sym<Shape* (*)(int)>(h, "shapes_make_circle");
  auto make_square = sym<Shape* (*)(int)>(h, "shapes_make_square");
  auto make_named = sym<Named* (*)(int)>(h, "shapes_make_named_circle");
  auto destroy = sym<void (*)(Shape*)>(h, "shapes_destroy");
  auto inspect = sym<void (*)(const Shape*)>(h, "shapes_inspect");
  auto require_circle = sym<void (*)(const Shape*)>(h, "shapes_require_circle");

  printf("1. plugin-made Circle in the host\n");
  Shape* c = make_circle(2);
  Circle* cc = dynamic_cast<Circle*>(c);
  Named* cn = dynamic_cast<Named*>(c);  // cross cast
  printf("  name=%s area=%.1f dynamic_cast<Circle*>=%s dynamic_cast<Named*>=%s\n", c->name().c_str(), c->area(),
         cc ? ("r=" + std::to_string(cc->radius)).c_str() : "null", cn ? cn->label().c_str() : "null");
  printf("  typeid(*c)==typeid(Circle): %s, name %s\n", typeid(*c) == typeid(Circle) ? "yes" : "no",
         typeid(*c).name());
  printf("  dynamic_cast<Triangle*>=%s\n", dynamic_cast<Triangle*>(c) ? "non-null" : "null");

  printf("2. plugin-local Square in the host\n");
  Shape* s = make_square(3);
  Named* sn = dynamic_cast<Named*>(s);
  printf("  name=%s area=%.1f dynamic_cast<Circle*>=%s dynamic_cast<Named*>=%s\n", s->name().c_str(), s->area(),
         dynamic_cast<Circle*>(s) ? "non-null" : "null", sn ? sn->label().c_str() : "null");
  void* whole = dynamic_cast<void*>(sn);
  printf("  dynamic_cast<void*>(named) == dynamic_cast<void*>(shape): %s\n",
         whole == dynamic_cast<void*>(s) ? "yes" : "no");

  printf("3. plugin-made Named, down and cross cast in the host\n");
  Named* n = make_named(4);
  Circle* nc = dynamic_cast<Circle*>(n);
  Shape* ns = dynamic_cast<Shape*>(n);
  printf("  label=%s dynamic_cast<Circle*>=%s dynamic_cast<Shape*>=%s\n", n->label().c_str(),
         nc ? "ok" : "null", ns ? ns->name().c_str() : "null");

  printf("4. host-made objects inspected in the plugin\n");
  Circle hc(5);
  Triangle ht;
  inspect(&hc);
  inspect(&ht);
  inspect(c);
  inspect(s);

  printf("5. dynamic_cast<Circle&> in the plugin throws std::bad_cast to the host\n");
  require_circle(&hc);
  try {
    require_circle(&ht);
  } catch (const std::bad_cast&) {
    printf("  host caught std::bad_cast\n");
  }

  destroy(c);
  destroy(s);
  destroy(ns);
  dlclose(h);
  printf("done\n");
  return 0;
}
