// Random formulas, words and graphs for randomized testing of the LTL engine (the
// translation cross-check, the product tests against brute force, the SPIN
// differential test). Deterministic for a given seed on every platform.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/ltl/formula.hpp"
#include "checker/ltl/state_space.hpp"

namespace sp::checker::ltl {

// splitmix64: a small generator whose sequence does not depend on the standard library.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t s_;
};

struct RandomFormulaOptions {
  int atoms = 2;
  bool constants = false;  // true / false leaves
  bool next = true;        // X (SPIN as packaged by Debian has none)
};

// A formula of depth at most `depth` using every operator (each leaf an atom below
// options.atoms, or a constant).
inline Formula random_formula(SplitMix64& rng, int depth, const RandomFormulaOptions& o = {}) {
  if (depth == 0 || rng.below(5) == 0) {
    if (o.constants && rng.below(o.atoms + 1) == o.atoms) return rng.below(2) ? Formula::True() : Formula::False();
    return Formula::Atom(rng.below(o.atoms));
  }
  auto sub = [&]() { return random_formula(rng, depth - 1, o); };
  switch (rng.below(11)) {
    case 0: return Formula::Not(sub());
    case 1: return Formula::And(sub(), sub());
    case 2: return Formula::Or(sub(), sub());
    case 3: return Formula::Implies(sub(), sub());
    case 4: return o.next ? Formula::Next(sub()) : Formula::Not(Formula::Eventually(sub()));
    case 5: return Formula::Eventually(sub());
    case 6: return Formula::Always(sub());
    case 7: return Formula::Until(sub(), sub());
    case 8: return Formula::Release(sub(), sub());
    case 9: return Formula::Always(Formula::Eventually(sub()));
    default: return Formula::Atom(rng.below(o.atoms));
  }
}

// The letters of a random lasso u v^omega over `atoms` atoms, |u| < 4, 1 <= |v| <= 4;
// *loop_start is |u|.
inline std::vector<uint64_t> random_lasso(SplitMix64& rng, int atoms, size_t* loop_start) {
  const int u = rng.below(4), v = 1 + rng.below(4);
  std::vector<uint64_t> letters;
  for (int i = 0; i < u + v; ++i) letters.push_back(rng.next() & ((uint64_t{1} << atoms) - 1));
  *loop_start = static_cast<size_t>(u);
  return letters;
}

// A graph of 2..5 states with random valuations of 2 atoms and 0..3 edges per state
// (a state without edges about one time in `dead_end_odds`), groups below `groups`.
inline ExplicitStateSpace random_graph(SplitMix64& rng, int groups, int dead_end_odds = 8) {
  const int n = 2 + rng.below(4);
  ExplicitStateSpace g(n, groups);
  for (int s = 0; s < n; ++s) {
    g.set_atoms(s, rng.next() & 3);
    const int out = rng.below(dead_end_odds) == 0 ? 0 : 1 + rng.below(3);
    for (int k = 0; k < out; ++k) g.add_edge(s, rng.below(n), rng.below(groups));
  }
  return g;
}

}  // namespace sp::checker::ltl
