// Differential test against SPIN (disabled by default: it needs `spin` and `gcc` on the
// PATH and takes minutes). Run with
//   checker_tests --gtest_also_run_disabled_tests --gtest_filter='LtlSpin*'
//
// Random graphs become one-process Promela models (one d_step per edge, so one SPIN
// step per graph edge; a state with no edge blocks, which SPIN stutter-extends as we
// do), random formulas become `ltl` blocks over #defined atoms, and `pan -a` (no
// partial-order reduction, so `X` keeps its meaning) must find an acceptance cycle
// exactly when the LTL engine reports a violation. Weak fairness is compared with
// `pan -a -f` on models with one process per transition group. (Debian's SPIN is built
// without the next operator, so the formulas have no `X`.)
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "checker/ltl/product.hpp"
#include "checker/ltl/random.hpp"
#include "tests/checker/spin_run.hpp"

namespace sp::checker::ltl {
namespace {

bool Have(const char* tool) { return testing::HaveTool(tool); }

// Runs SPIN on `model` in `dir`; returns the number of errors pan reports (-1: failed).
int Spin(const std::string& dir, const std::string& model, const std::string& pan_flags) {
  {
    std::ofstream f(dir + "/model.pml");
    f << model;
  }
  if (!testing::BuildPan(dir, "", "-O0 -DNOREDUCE")) return -1;
  const testing::PanRun r = testing::RunPan(dir, "-a " + pan_flags + " -m100000");
  return r.ok ? static_cast<int>(r.errors) : -1;
}

// The graph as Promela: global `s`; one process per group when `per_group` (for
// process-level weak fairness), else one process.
std::string Promela(const ExplicitStateSpace& g, const Formula& f, bool per_group) {
  std::ostringstream o;
  o << "byte s = 0;\n";
  for (int a = 0; a < 2; ++a) {
    o << "#define p" << a << " (false";
    for (int v = 0; v < g.states(); ++v) {
      if ((g.valuation(v) >> a) & 1) o << " || s == " << v;
    }
    o << ")\n";
  }
  const int procs = per_group ? g.group_count() : 1;
  for (int p = 0; p < procs; ++p) {
    o << "active proctype g" << p << "() {\n  do\n";
    bool any = false;
    for (int v = 0; v < g.states(); ++v) {
      for (const auto& e : g.edges(v)) {
        if (per_group && e.group != p) continue;
        o << "  :: d_step { s == " << v << " -> s = " << e.to << " }\n";
        any = true;
      }
    }
    if (!any) o << "  :: false\n";
    o << "  od\n}\n";
  }
  o << "ltl f { " << to_spin(f) << " }\n";
  return o.str();
}

SearchResult Ours(ExplicitStateSpace& g, const Formula& f, const std::vector<FairSet>& fair) {
  return find_accepting_run(g, *translate(negate(f)), fair, SearchOptions{});
}

TEST(LtlSpin, DISABLED_RandomAgainstSpin) {
  if (!Have("spin") || !Have("gcc")) GTEST_SKIP() << "needs spin and gcc";
  char tmpl[] = "/tmp/ltl_spin_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  SplitMix64 rng(4242);
  RandomFormulaOptions no_next;
  no_next.next = false;
  int cases = 0, violated = 0;
  for (int i = 0; i < 200; ++i) {
    ExplicitStateSpace g = random_graph(rng, 1, 6);
    const Formula f = random_formula(rng, 3, no_next);
    const int errors = Spin(dir, Promela(g, f, false), "");
    ASSERT_GE(errors, 0) << "spin failed on case " << i << " (" << dir << ")";
    const SearchStatus ours = Ours(g, f, {}).status;
    EXPECT_EQ(errors > 0, ours == SearchStatus::kCycle) << "case " << i << ": " << to_spin(f) << "\n"
                                                       << Promela(g, f, false);
    ++cases;
    violated += errors > 0;
  }
  // Weak fairness per process = one weak fair set per group. `pan -a -f` misses some
  // acceptance cycles that stutter in a state where every process is blocked (such a
  // run is fair to every process); when our counterexample is one of those, SPIN is run
  // without -f, where it must find a violation too.
  int skipped = 0, stutter = 0;
  for (int i = 0; i < 100; ++i) {
    ExplicitStateSpace g = random_graph(rng, 2, 6);
    const Formula f = random_formula(rng, 3, no_next);
    if (translate(f)->empty()) {
      // An unsatisfiable property: SPIN's claim is `assert(!(1))`, which `pan -a -f`
      // does not report (it does without -f). Every run violates it; we say so.
      ++skipped;
      continue;
    }
    const SearchResult ours = Ours(g, f, {{false, {0}}, {false, {1}}});
    const bool stutters = ours.status == SearchStatus::kCycle && ours.lasso.loop_start == ours.lasso.steps();
    stutter += stutters;
    const int errors = Spin(dir, Promela(g, f, true), stutters ? "" : "-f");
    ASSERT_GE(errors, 0) << "spin failed on fairness case " << i << " (" << dir << ")";
    EXPECT_EQ(errors > 0, ours.status == SearchStatus::kCycle) << "fairness case " << i << ": " << to_spin(f) << "\n"
                                                              << Promela(g, f, true);
    ++cases;
    violated += errors > 0;
  }
  std::printf("  %d cases agree with SPIN (%d violated; %d fair violations by a stuttering end state checked "
              "without -f), %d unsatisfiable fairness cases skipped\n",
              cases, violated, stutter, skipped);
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
}  // namespace sp::checker::ltl
