// The dependency graph: an object's search list (itself and its
// dependencies, in the order dlsym(handle) and the relocations of the
// objects it loaded search them), and the order objects are relocated in.
//
// This is glibc's _dl_map_object_deps (l_searchlist): breadth first over
// DT_NEEDED, except for filters. A filter's filtees (DT_FILTER and
// DT_AUXILIARY objects) are placed just before it, in their DT order, so
// that their definitions win over the filter's own; a symbol only the
// filter defines is still found in it. A filtee already earlier in the
// list stays where it is; one further down is moved up. The filtee's own
// dependencies are placed (breadth first) after the filter's.
#pragma once

#include "module.h"

namespace staticdl {

// A filtee placed before its filter: ld.so also moves it just before the
// filter in the link map (registry.cpp's link_map_move_before).
struct FilteeMove {
  Module* filtee;
  Module* filter;
};

// Sets m->bfs. With `moves`, records the filtees placed (not the ones
// found earlier in the list). Uses Module::mark. False on no memory.
bool compute_bfs(Module* m, Vec<FilteeMove>* moves = nullptr);

// Appends m and its dependency closure (Module::deps, filtees included) to
// *out in post-order (dependencies first), skipping modules already
// marked. False on no memory.
bool post_order(Module* m, Vec<Module*>* out);

}  // namespace staticdl
