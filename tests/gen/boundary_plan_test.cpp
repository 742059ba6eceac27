// The boundary planner's "same stimulus" merges: two edges are merged only when their
// stimuli are the same formula. (Before commit b4959c6 the key was a Z3 AST id of a term
// already freed; Z3 recycles those ids, and 22 distinct tcp.sp boundary tests were
// dropped as copies of others, e.g. `ack=2^31+2` merged with `ack=1`.)
#include <gtest/gtest.h>

#include <map>

#include "gen/suite.hpp"
#include "tests/gen/spec_file.hpp"

namespace sp::gen {
namespace {

TEST(GenBoundaryPlan, MergedEdgesHaveEquivalentStimuli) {
  ir::Model m = testing::compile_repo_spec("tcp.sp", 32);

  z3::context ctx;
  Encoder enc(m, m.find_role("Endpoint"), ctx);
  z3::solver solver(ctx);
  Explorer ex(enc, solver, ExploreOptions{});
  ex.run();
  Concretizer conc(ex);
  GenOptions go;
  go.role = "Endpoint";
  go.coverage = Coverage::kBoundary;
  GenResult out;
  SuiteContext sc{m, go, enc, ex, conc, out, {}};
  const std::vector<BoundaryPlan> plans = plan_boundary_tests(sc);

  std::map<std::string, std::pair<int, z3::expr>> by_name;  // edge -> (parent, stimulus)
  int merged = 0, edges = 0;
  for (const BoundaryPlan& p : plans) {
    const int parent = ex.node(p.target).parent;
    for (const BoundaryPlan::EdgePlan& e : p.edges) {
      ++edges;
      const std::string name = p.base + "." + e.name;
      by_name.emplace(name, std::make_pair(parent, e.stimulus));
      if (e.same_as.empty()) continue;
      ++merged;
      auto it = by_name.find(e.same_as);
      ASSERT_NE(it, by_name.end()) << name << " merged with a later or unknown " << e.same_as;
      EXPECT_EQ(it->second.first, parent) << name << " and " << e.same_as << " start elsewhere";
      EXPECT_FALSE(e.stimulus.is_false()) << name;
      z3::solver s(ctx);
      s.add(e.stimulus != it->second.second);
      EXPECT_EQ(s.check(), z3::unsat) << name << " is not the same stimulus as " << e.same_as;
    }
  }
  EXPECT_GT(edges, 300);
  EXPECT_GT(merged, 0);  // the check above ran
}

}  // namespace
}  // namespace sp::gen
