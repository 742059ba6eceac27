// Internal to gen/: what the coverage criteria share while building one suite.
#pragma once

#include <set>
#include <string>

#include "gen/concretize.hpp"
#include "gen/explore.hpp"
#include "gen/generate.hpp"

namespace sp::gen {

struct SuiteContext {
  const ir::Model& model;
  const GenOptions& options;
  const Encoder& enc;
  Explorer& ex;
  Concretizer& conc;
  GenResult& out;
  std::set<std::string> names;

  // Fills the header (covers, cite) for a test aimed at `target` and adds it under a
  // unique name.
  void add(TestCase tc, int target);
  std::string unique(const std::string& name) const;
};

// Criteria (coverage.cpp = transition, boundary.cpp, wmethod.cpp).
void add_transition_tests(SuiteContext& sc);
void add_boundary_tests(SuiteContext& sc);
void add_wmethod_tests(SuiteContext& sc);

// The spec's response, in `parent`'s state, to a stimulus of `transition`'s event
// constrained by `stimulus`: the first feasible Outcome of the transitions on that event
// (`transition` first), or an `ignored` node when none may take it. nullopt: the
// stimulus itself is infeasible.
std::optional<Node> respond(SuiteContext& sc, int parent, int transition,
                            const z3::expr& stimulus_constraint, const Node& templ);

}  // namespace sp::gen
