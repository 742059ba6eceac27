// Internal to gen/: what the coverage criteria share while building one suite.
#pragma once

#include <set>
#include <string>

#include "gen/bytes.hpp"
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

// Transition coverage of a reachable transition t (sc.ex.first(t) >= 0): its tests, and
// its coverage entry appended to sc.out.coverage.
void add_transition_tests(SuiteContext& sc, int t);
// How many tests add_transition_tests(sc, t) tries (a work estimate).
int transition_test_count(const SuiteContext& sc, int t);
// The coverage entry of a transition that no explored path reaches, with why.
CoverageEntry unreachable_entry(SuiteContext& sc, int t);

// Boundary tests of one comparison met on the shortest path to a transition.
struct BoundaryPlan {
  int transition = -1;
  int target = -1;          // explorer node: the shortest path to `transition`
  std::string base;         // test names: base.EDGE
  Atom atom;
  z3::expr relaxed;         // the guard with the comparison's value left free
  struct EdgePlan {
    std::string name, text;
    z3::expr cond;          // the edge
    z3::expr stimulus;      // relaxed && cond, simplified
    std::string same_as;    // not empty: the same stimulus as this earlier edge's test
    std::string not_generated;  // not empty: why this edge gets no test
  };
  std::vector<EdgePlan> edges;
};
// Every boundary to test, in suite order (no solver queries).
std::vector<BoundaryPlan> plan_boundary_tests(const SuiteContext& sc);
void add_boundary_tests(SuiteContext& sc, const BoundaryPlan& plan);

// The ISN test (gen/isn.cpp): connections in a row from different tester ports, their
// ISNs judged by `expect isn unpredictable`; listed as skipped when the spec has no loop.
void add_isn_test(SuiteContext& sc);

// The Wp-method's tests, made in forked workers, at most `jobs` at a time.
void add_wmethod_tests(SuiteContext& sc, int jobs);

// Transition coverage of every transition (and boundary coverage when asked), made in
// forked workers, at most `jobs` at a time, and added in suite order (gen/workers.cpp).
// Throws std::runtime_error when a worker fails.
void add_tests_in_workers(SuiteContext& sc, int jobs);

// The fixed number of shards forked workers split a criterion's tests into: fixed, so
// that the suite does not depend on --jobs (gen/workers.cpp).
inline constexpr int kWorkerShards = 8;
// A worker's solver work since `before`, written after its results; read back and added
// to the parent's explorer.
void put_worker_stats(ByteWriter& bw, const QueryStats& before, const QueryStats& after);
void add_worker_stats(ByteReader& br, Explorer& ex);

// The spec's response, in `parent`'s state, to a stimulus of `transition`'s event
// constrained by `stimulus`: the first feasible Outcome of the transitions on that event
// (`transition` first), or an `ignored` node when none may take it. nullopt: the
// stimulus itself is infeasible.
std::optional<Node> respond(SuiteContext& sc, int parent, int transition,
                            const z3::expr& stimulus_constraint, const Node& templ);

}  // namespace sp::gen
