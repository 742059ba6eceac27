// Strongly connected components of a small explicit graph (Tarjan, iterative: no
// recursion on the C stack). Used on automata, on lasso products and on the SCCs that
// the strong-fairness refinement re-examines.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace sp::checker::ltl {

// Decomposes the subgraph induced by the nodes v < n with `keep(v)` into SCCs.
// `for_each_succ(v, f)` calls f(w) for every edge v -> w (edges to dropped nodes are
// ignored). Sets comp[v] to the component of v (-1 for dropped nodes) and returns the
// number of components. Components are numbered in the order Tarjan completes them:
// a component's successors have smaller numbers (reverse topological order).
template <class Keep, class ForEachSucc>
int scc_decompose(int n, Keep keep, ForEachSucc for_each_succ, std::vector<int>& comp) {
  comp.assign(static_cast<size_t>(n), -1);
  std::vector<int> index(static_cast<size_t>(n), -1), low(static_cast<size_t>(n), 0);
  std::vector<int> live;                       // Tarjan's stack
  std::vector<char> on_live(static_cast<size_t>(n), 0);
  std::vector<std::pair<int, std::vector<int>>> frames;  // node, its unvisited successors
  int counter = 0, comps = 0;
  for (int root = 0; root < n; ++root) {
    if (!keep(root) || index[static_cast<size_t>(root)] >= 0) continue;
    auto open = [&](int v) {
      index[static_cast<size_t>(v)] = low[static_cast<size_t>(v)] = counter++;
      live.push_back(v);
      on_live[static_cast<size_t>(v)] = 1;
      std::vector<int> succ;
      for_each_succ(v, [&](int w) {
        if (w >= 0 && w < n && keep(w)) succ.push_back(w);
      });
      frames.emplace_back(v, std::move(succ));
    };
    open(root);
    while (!frames.empty()) {
      auto& [v, succ] = frames.back();
      if (!succ.empty()) {
        const int w = succ.back();
        succ.pop_back();
        if (index[static_cast<size_t>(w)] < 0) {
          open(w);  // invalidates v / succ
        } else if (on_live[static_cast<size_t>(w)]) {
          low[static_cast<size_t>(v)] = std::min(low[static_cast<size_t>(v)], index[static_cast<size_t>(w)]);
        }
        continue;
      }
      const int done = v;
      frames.pop_back();
      if (!frames.empty()) {
        const int parent = frames.back().first;
        low[static_cast<size_t>(parent)] =
            std::min(low[static_cast<size_t>(parent)], low[static_cast<size_t>(done)]);
      }
      if (low[static_cast<size_t>(done)] == index[static_cast<size_t>(done)]) {
        int w;
        do {
          w = live.back();
          live.pop_back();
          on_live[static_cast<size_t>(w)] = 0;
          comp[static_cast<size_t>(w)] = comps;
        } while (w != done);
        ++comps;
      }
    }
  }
  return comps;
}

}  // namespace sp::checker::ltl
