// The product search on explicit graphs: hand-made cases for each semantic point, and
// random graphs x random formulas x random fairness, where every reported lasso is
// re-checked and every "no accepting run" answer is checked against all short lassos.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <functional>

#include "checker/ltl/product.hpp"
#include "checker/ltl/random.hpp"

namespace sp::checker::ltl {
namespace {

Formula P(const std::string& text) {
  std::vector<std::string> names = {"p", "q", "r"};
  std::string error;
  std::optional<Formula> f = parse_spin(text, names, &error);
  EXPECT_TRUE(f.has_value()) << text << ": " << error;
  return f.value_or(Formula::True());
}

// Searches for a run violating `property`.
SearchResult Check(ExplicitStateSpace& g, const Formula& property, const std::vector<FairSet>& fair = {},
                   Algorithm algo = Algorithm::kAuto, bool cache = true) {
  std::optional<Automaton> a = translate(negate(property));
  EXPECT_TRUE(a);
  SearchOptions o;
  o.algorithm = algo;
  if (!cache) o.successor_cache_bytes = 0;
  return find_accepting_run(g, *a, fair, o);
}

std::vector<int> Groups(const ExplicitStateSpace& g, int s) {
  std::vector<int> out;
  for (const auto& e : g.edges(s)) out.push_back(e.group);
  return out;
}

// Whether a cycle (its states and the groups of its steps) is fair. A stuttering end
// state has nothing enabled.
bool Fair(const ExplicitStateSpace& g, const std::vector<int>& states, const std::vector<int>& groups,
          const std::vector<FairSet>& fair) {
  for (const FairSet& f : fair) {
    auto in = [&](int grp) { return std::find(f.groups.begin(), f.groups.end(), grp) != f.groups.end(); };
    bool taken = false;
    for (int grp : groups) taken = taken || in(grp);
    if (taken) continue;
    bool enabled_somewhere = false, disabled_somewhere = false;
    for (int s : states) {
      bool en = false;
      for (int grp : Groups(g, s)) en = en || in(grp);
      enabled_somewhere = enabled_somewhere || en;
      disabled_somewhere = disabled_somewhere || !en;
    }
    if (f.strong ? enabled_somewhere : !disabled_somewhere) return false;
  }
  return true;
}

// Checks that `l` is a run of `g` that violates `property` and is fair. "" when it is.
std::string Validate(const ExplicitStateSpace& g, const Lasso& l, const Formula& property,
                     const std::vector<FairSet>& fair) {
  std::vector<int> s;
  for (size_t i = 0; i <= l.steps(); ++i) s.push_back(ExplicitStateSpace::decode(l.state(i)));
  if (s[0] != 0) return "does not start in the initial state";
  for (size_t i = 0; i < l.steps(); ++i) {
    const auto& edges = g.edges(s[i]);
    if (std::none_of(edges.begin(), edges.end(), [&](const auto& e) { return e.to == s[i + 1] && e.group == l.groups[i]; })) {
      return "step " + std::to_string(i) + " is not an edge";
    }
  }
  std::vector<uint64_t> letters;
  std::vector<int> cycle_states, cycle_groups;
  size_t loop = l.loop_start;
  if (l.loop_start == l.steps()) {
    if (!g.edges(s.back()).empty()) return "stutters in a state with successors";
    for (int x : s) letters.push_back(g.valuation(x));
    cycle_states = {s.back()};
  } else {
    if (l.loop_start > l.steps() || s.back() != s[l.loop_start]) return "the cycle does not close";
    for (size_t i = 0; i < l.steps(); ++i) letters.push_back(g.valuation(s[i]));
    for (size_t i = l.loop_start; i < l.steps(); ++i) {
      cycle_states.push_back(s[i]);
      cycle_groups.push_back(l.groups[i]);
    }
  }
  if (holds_on_lasso(property, letters, loop)) return "the run satisfies the property";
  if (!Fair(g, cycle_states, cycle_groups, fair)) return "the cycle is unfair";
  return "";
}

// Every lasso with at most `max_len` edges from state 0 (plus runs ending in a dead
// end): whether one of them is fair and violates `property`.
bool BruteForceViolation(const ExplicitStateSpace& g, const Formula& property, const std::vector<FairSet>& fair,
                         int max_len) {
  std::vector<int> states = {0};
  std::vector<int> groups;
  bool found = false;
  std::function<void()> go = [&]() {
    if (found) return;
    const int s = states.back();
    if (g.edges(s).empty()) {
      std::vector<uint64_t> letters;
      for (int x : states) letters.push_back(g.valuation(x));
      if (!holds_on_lasso(property, letters, letters.size() - 1)) found = true;
      return;
    }
    for (const auto& e : g.edges(s)) {
      // Close a cycle to every earlier occurrence of e.to.
      for (size_t j = 0; j < states.size(); ++j) {
        if (states[j] != e.to) continue;
        std::vector<uint64_t> letters;
        for (int x : states) letters.push_back(g.valuation(x));
        std::vector<int> cs(states.begin() + static_cast<long>(j), states.end());
        std::vector<int> cg(groups.begin() + static_cast<long>(j), groups.end());
        cg.push_back(e.group);
        if (!holds_on_lasso(property, letters, j) && Fair(g, cs, cg, fair)) {
          found = true;
          return;
        }
      }
      if (static_cast<int>(groups.size()) < max_len) {
        states.push_back(e.to);
        groups.push_back(e.group);
        go();
        states.pop_back();
        groups.pop_back();
      }
    }
  };
  go();
  return found;
}

// ---------------------------------------------------------------------------------
// Hand-made cases. Atom bits: p = 1, q = 2.

TEST(LtlProduct, ToggleSatisfiesInfinitelyOften) {
  ExplicitStateSpace g(2, 1);
  g.add_edge(0, 1, 0);
  g.add_edge(1, 0, 0);
  g.set_atoms(1, 1);
  for (Algorithm a : {Algorithm::kNestedDfs, Algorithm::kScc}) {
    SearchResult r = Check(g, P("[]<>p"), {}, a);
    EXPECT_EQ(r.status, SearchStatus::kNoCycle) << algorithm_name(a);
    EXPECT_EQ(r.algorithm, a);
    EXPECT_GE(r.stats.states, 2u);
    r = Check(g, P("<>[]p"), {}, a);
    ASSERT_EQ(r.status, SearchStatus::kCycle);
    EXPECT_EQ(Validate(g, r.lasso, P("<>[]p"), {}), "");
  }
}

TEST(LtlProduct, DeadlockStutters) {
  ExplicitStateSpace g(2, 1);
  g.add_edge(0, 1, 0);  // state 1 has no successor
  for (Algorithm a : {Algorithm::kNestedDfs, Algorithm::kScc}) {
    SearchResult r = Check(g, P("<>p"), {}, a);
    ASSERT_EQ(r.status, SearchStatus::kCycle) << algorithm_name(a);
    EXPECT_EQ(r.lasso.steps(), 1u);
    EXPECT_EQ(r.lasso.loop_start, 1u);  // the cycle is the end state, stuttering
    EXPECT_EQ(ExplicitStateSpace::decode(r.lasso.state(1)), 1);
    EXPECT_EQ(Validate(g, r.lasso, P("<>p"), {}), "");
    // A deadlock where p holds satisfies <>[]p.
    g.set_atoms(1, 1);
    EXPECT_EQ(Check(g, P("<>[]p"), {}, a).status, SearchStatus::kNoCycle);
    g.set_atoms(1, 0);
  }
}

TEST(LtlProduct, WeakFairnessExcludesStarvation) {
  // State 0 (not p) can loop forever on group 0 although group 1 (to p) stays enabled.
  ExplicitStateSpace g(2, 2);
  g.add_edge(0, 0, 0);
  g.add_edge(0, 1, 1);
  g.add_edge(1, 0, 1);
  g.set_atoms(1, 1);
  SearchResult r = Check(g, P("[]<>p"));
  ASSERT_EQ(r.status, SearchStatus::kCycle);
  EXPECT_EQ(Validate(g, r.lasso, P("[]<>p"), {}), "");
  const std::vector<FairSet> weak = {{false, {1}}};
  r = Check(g, P("[]<>p"), weak);
  EXPECT_EQ(r.status, SearchStatus::kNoCycle);
  EXPECT_EQ(r.algorithm, Algorithm::kScc);
  // Fairness of the other group changes nothing.
  r = Check(g, P("[]<>p"), {{false, {0}}});
  ASSERT_EQ(r.status, SearchStatus::kCycle);
  EXPECT_EQ(Validate(g, r.lasso, P("[]<>p"), {{false, {0}}}), "");
}

TEST(LtlProduct, StrongFairnessNeededWhenEnabledIntermittently) {
  // 0 -> 1 -> 0 forever never reaches p; group 1 (1 -> 2) is enabled in 1 only.
  ExplicitStateSpace g(3, 2);
  g.add_edge(0, 1, 0);
  g.add_edge(1, 0, 0);
  g.add_edge(1, 2, 1);
  g.add_edge(2, 0, 0);
  g.set_atoms(2, 1);
  const std::vector<FairSet> weak = {{false, {1}}}, strong = {{true, {1}}};
  SearchResult r = Check(g, P("[]<>p"), weak);
  ASSERT_EQ(r.status, SearchStatus::kCycle);
  EXPECT_EQ(Validate(g, r.lasso, P("[]<>p"), weak), "");
  r = Check(g, P("[]<>p"), strong);
  EXPECT_EQ(r.status, SearchStatus::kNoCycle);
  // Runs through 2 infinitely often are fair and violate <>[]!p.
  r = Check(g, P("<>[]!p"), strong);
  ASSERT_EQ(r.status, SearchStatus::kCycle);
  EXPECT_EQ(Validate(g, r.lasso, P("<>[]!p"), strong), "");
}

TEST(LtlProduct, StrongFairnessRefinementFindsInnerCycle) {
  // The !p states 0, 1, 3 form one SCC; group 1 is enabled in 3 only and leaves the SCC
  // (to 4, where p holds forever). The search meets 3 before closing 0 -> 1 -> 0, so the
  // whole SCC fails strong fairness; removing 3 leaves the fair cycle 0 -> 1 -> 0.
  ExplicitStateSpace g(5, 2);
  g.add_edge(0, 1, 0);
  g.add_edge(1, 3, 0);
  g.add_edge(1, 0, 0);
  g.add_edge(3, 0, 0);
  g.add_edge(3, 4, 1);
  g.add_edge(4, 4, 0);
  g.set_atoms(4, 1);
  const std::vector<FairSet> strong = {{true, {1}}};
  SearchResult r = Check(g, P("[]<>p"), strong);
  ASSERT_EQ(r.status, SearchStatus::kCycle);
  EXPECT_EQ(Validate(g, r.lasso, P("[]<>p"), strong), "");
  for (size_t i = r.lasso.loop_start; i < r.lasso.steps(); ++i) {
    EXPECT_NE(ExplicitStateSpace::decode(r.lasso.state(i)), 3);
  }
  // Without the 1 -> 0 edge every cycle passes 3: strong fairness forces p.
  ExplicitStateSpace h(5, 2);
  h.add_edge(0, 1, 0);
  h.add_edge(1, 3, 0);
  h.add_edge(3, 0, 0);
  h.add_edge(3, 4, 1);
  h.add_edge(4, 4, 0);
  h.set_atoms(4, 1);
  EXPECT_EQ(Check(h, P("[]<>p"), strong).status, SearchStatus::kNoCycle);
  EXPECT_EQ(Check(h, P("[]<>p"), {{false, {1}}}).status, SearchStatus::kCycle);
}

TEST(LtlProduct, UntilAndNext) {
  // 0 (p) -> 1 (p) -> 2 (q) -> 2
  ExplicitStateSpace g(3, 1);
  g.add_edge(0, 1, 0);
  g.add_edge(1, 2, 0);
  g.add_edge(2, 2, 0);
  g.set_atoms(0, 1);
  g.set_atoms(1, 1);
  g.set_atoms(2, 2);
  EXPECT_EQ(Check(g, P("p U q")).status, SearchStatus::kNoCycle);
  EXPECT_EQ(Check(g, P("X p")).status, SearchStatus::kNoCycle);
  EXPECT_EQ(Check(g, P("X X q")).status, SearchStatus::kNoCycle);
  SearchResult r = Check(g, P("X q"));
  ASSERT_EQ(r.status, SearchStatus::kCycle);
  EXPECT_EQ(Validate(g, r.lasso, P("X q"), {}), "");
  // A branch where p stops before q: 1 -> 0' (neither).
  ExplicitStateSpace h(4, 1);
  h.add_edge(0, 1, 0);
  h.add_edge(1, 2, 0);
  h.add_edge(1, 3, 0);
  h.add_edge(2, 2, 0);
  h.add_edge(3, 3, 0);
  h.set_atoms(0, 1);
  h.set_atoms(1, 1);
  h.set_atoms(2, 2);
  r = Check(h, P("p U q"));
  ASSERT_EQ(r.status, SearchStatus::kCycle);
  EXPECT_EQ(ExplicitStateSpace::decode(r.lasso.state(r.lasso.steps())), 3);
  EXPECT_EQ(Validate(h, r.lasso, P("p U q"), {}), "");
}

TEST(LtlProduct, StateLimit) {
  ExplicitStateSpace g(1000, 1);
  for (int i = 0; i < 999; ++i) g.add_edge(i, i + 1, 0);
  g.add_edge(999, 0, 0);
  std::optional<Automaton> a = translate(negate(P("[]!p")));
  SearchOptions o;
  o.max_states = 100;
  for (Algorithm algo : {Algorithm::kNestedDfs, Algorithm::kScc}) {
    o.algorithm = algo;
    SearchResult r = find_accepting_run(g, *a, {}, o);
    EXPECT_EQ(r.status, SearchStatus::kLimit);
    EXPECT_EQ(r.message, "max-states");
    EXPECT_LE(r.stats.states, 101u);
  }
}

TEST(LtlProduct, LongChainNoRecursion) {
  // A 100,000-state cycle: the DFS is that deep.
  const int n = 100000;
  ExplicitStateSpace g(n, 1);
  for (int i = 0; i < n; ++i) g.add_edge(i, (i + 1) % n, 0);
  g.set_atoms(n / 2, 1);
  for (Algorithm algo : {Algorithm::kNestedDfs, Algorithm::kScc}) {
    SearchResult r = Check(g, P("[]<>p"), {}, algo);
    EXPECT_EQ(r.status, SearchStatus::kNoCycle);
    EXPECT_GE(r.stats.max_depth, static_cast<uint64_t>(n) - 1);
    r = Check(g, P("[]!p"), {}, algo);
    ASSERT_EQ(r.status, SearchStatus::kCycle);
    EXPECT_EQ(Validate(g, r.lasso, P("[]!p"), {}), "");
  }
}

// ---------------------------------------------------------------------------------
TEST(LtlProduct, BigAutomatonUsesHashedProductStates) {
  // X^17 []<>p is equivalent to []<>p (a suffix property) but its automaton has more
  // than 16 states, so product states are hashed instead of tabled per system state.
  SplitMix64 rng(5);
  Formula deep = P("[]<>p");
  for (int i = 0; i < 17; ++i) deep = Formula::Next(deep);
  ASSERT_GT(translate(negate(deep))->states(), 16);
  int violated = 0;
  for (int i = 0; i < 200; ++i) {
    ExplicitStateSpace g = random_graph(rng, 2);
    const std::vector<FairSet> fair = i % 2 ? std::vector<FairSet>{{i % 4 == 1, {1}}} : std::vector<FairSet>{};
    for (Algorithm a : {Algorithm::kNestedDfs, Algorithm::kScc}) {
      if (a == Algorithm::kNestedDfs && !fair.empty()) continue;
      SearchResult shallow = Check(g, P("[]<>p"), fair, a);
      SearchResult r = Check(g, deep, fair, a);
      ASSERT_EQ(shallow.status, r.status) << "case " << i << " " << algorithm_name(a);
      if (r.status == SearchStatus::kCycle) {
        ASSERT_EQ(Validate(g, r.lasso, deep, fair), "") << "case " << i;
        ++violated;
      }
    }
  }
  EXPECT_GT(violated, 20);
}

TEST(LtlProduct, RandomAgainstBruteForce) {
  SplitMix64 rng(77);
  int cycles = 0, none = 0;
  for (int i = 0; i < 700; ++i) {
    const int groups = 3;
    ExplicitStateSpace g = random_graph(rng, groups);
    const Formula f = random_formula(rng, 3);
    std::vector<FairSet> fair;
    if (i % 3 != 0) {
      const int sets = 1 + rng.below(2);
      for (int k = 0; k < sets; ++k) {
        FairSet s;
        s.strong = i % 3 == 2 && rng.below(2) == 0;
        s.groups.push_back(rng.below(groups));
        if (rng.below(3) == 0) s.groups.push_back(rng.below(groups));
        fair.push_back(s);
      }
    }
    std::vector<Algorithm> algos = {Algorithm::kScc};
    if (fair.empty()) algos.push_back(Algorithm::kNestedDfs);
    std::optional<SearchStatus> first;
    for (Algorithm a : algos) {
      SearchResult r = Check(g, f, fair, a, i % 2 == 0);  // odd cases: no successor cache
      ASSERT_TRUE(r.status == SearchStatus::kCycle || r.status == SearchStatus::kNoCycle);
      if (first) {
        ASSERT_EQ(*first, r.status) << "algorithms disagree on " << to_spin(f);
      }
      first = r.status;
      if (r.status == SearchStatus::kCycle) {
        ASSERT_EQ(Validate(g, r.lasso, f, fair), "") << "case " << i << ": " << to_spin(f) << " with "
                                                      << algorithm_name(a);
        ++cycles;
      } else {
        ASSERT_FALSE(BruteForceViolation(g, f, fair, 7))
            << "case " << i << ": missed a violation of " << to_spin(f) << " with " << algorithm_name(a);
        ++none;
      }
    }
  }
  std::printf("  %d lassos validated, %d 'no run' answers confirmed by brute force\n", cycles, none);
  EXPECT_GT(cycles, 100);
  EXPECT_GT(none, 100);
}

}  // namespace
}  // namespace sp::checker::ltl
