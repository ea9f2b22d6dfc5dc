#include "deps.h"

namespace staticdl {

namespace {

// Places filtee f before its filter, at *at (where the filter stands: after
// the filtees placed before it).
bool place_filtee(Vec<Module*>& l, Module* f, Module* filter, size_t* at, Vec<FilteeMove>* moves) {
  size_t k = l.index_of(f);
  if (k <= *at) return true;  // already found earlier, or the filter itself (its own DT_FILTER): it stays
  if (k < l.size()) l.erase_at(k);
  else f->mark = false;  // new in the list: its dependencies still to place
  if (!l.insert_at(*at, f)) return false;
  ++*at;
  return !moves || moves->push(FilteeMove{f, filter});
}

}  // namespace

bool compute_bfs(Module* m, Vec<FilteeMove>* moves) {
  Vec<Module*>& l = m->bfs;
  l.clear();
  if (!l.push(m)) return false;
  m->mark = false;  // mark: this module's dependencies are placed
  // Everything after position i is unplaced: a filtee goes before its
  // filter (at or after i), so i stays put until l[i] is a placed module.
  for (size_t i = 0; i < l.size();) {
    Module* x = l[i];
    if (x->mark) {
      i++;
      continue;
    }
    x->mark = true;
    size_t at = i;
    for (Module* d : x->deps) {
      if (x->filtees.contains(d)) {
        if (!place_filtee(l, d, x, &at, moves)) return false;
      } else if (!l.contains(d)) {
        if (!l.push(d)) return false;
        d->mark = false;
      }
    }
  }
  return true;
}

bool post_order(Module* m, Vec<Module*>* out) {
  m->mark = true;
  for (Module* d : m->deps)
    if (!d->mark && !post_order(d, out)) return false;
  return out->push(m);
}

}  // namespace staticdl
