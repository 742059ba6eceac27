// The expression constructs (`def`, min/max, `%`, `let`; docs/language.md) mean the same in
// the three engines: the explicit search, the symbolic engine (BMC) and SPIN on the Promela
// export agree on every verdict and, with SPIN, on the state count.
//
// The spec is built so that each construct decides a verdict: `%` of a negative number
// (the mathematical modulus keeps `mod_in_range` true; C's would break it), min/max clamp
// `lo`, a role `def` calls a top-level one, and `let`s name a value and a message field.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compiler/ir/promela.hpp"
#include "tests/checker/spin_run.hpp"
#include "tests/checker/symbolic_util.hpp"

namespace sp::checker {
namespace {

const char* const kSpec = R"(protocol exprs "expression constructs"
const M = 3
// RFC-style window test on a modulus-M counter.
def in_window(s: int, lo: int, n: int): bool = (s - lo) % M < n
def clamp(x: int, lo: int, hi: int): int = min(max(x, lo), hi)
role Counter {
  calls step(d: int[-2..2])
  states RUN
  initial RUN
  var r: int[0..2] = 0
  var base: int[0..2] = 1
  var lo: int[-2..2] = 0
  def near(x: int): bool = in_window(x, base, 2)
  move: from RUN on call step(d) -> same {
    let nxt = (r + d) % M
    let old = r
    lo = clamp(lo + d, -2, 2)
    if near(old) { base = (base + 1) % M }
    r = nxt
  }
}
system one {
  instance c: Counter
}
property mod_in_range in one: always (c.r - c.base) % M >= 0
property min_max_clamp in one: always c.lo == max(-2, min(c.lo, 2))
property reaches_corner in one: never (c.r == 2 && c.base == 0 && c.lo == -2)
)";

ir::Model CompileSpec() { return testing::Compile(kSpec); }

Result Explicit(const ir::Model& m) {
  ir::TransitionSystem ts(m, 0);
  return check_safety(ts, testing::PropertiesOf(m, 0), testing::Bfs());
}

TEST(ExprConstructs, ExplicitVerdicts) {
  const ir::Model m = CompileSpec();
  const Result r = Explicit(m);
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(testing::Find(r, "mod_in_range")->verdict, Verdict::kHolds);
  EXPECT_EQ(testing::Find(r, "min_max_clamp")->verdict, Verdict::kHolds);
  EXPECT_EQ(testing::Find(r, "reaches_corner")->verdict, Verdict::kViolated);
  EXPECT_EQ(testing::Find(r, "no checking errors")->verdict, Verdict::kHolds);
}

TEST(ExprConstructs, SymbolicAgreesWithExplicit) {
  const ir::Model m = CompileSpec();
  ir::TransitionSystem ts(m, 0);
  testing::ExpectBmcAgrees(ts, testing::PropertiesOf(m, 0), 6);
}

TEST(ExprConstructs, SpinAgreesOnVerdictsAndStates) {
  if (!testing::HaveTool("spin") || !testing::HaveTool("gcc")) {
    GTEST_SKIP() << "needs spin and gcc (scripts/install-deps.sh installs Debian's spin)";
  }
  const ir::Model m = CompileSpec();
  std::string error;
  const std::optional<ir::PromelaModel> pml = ir::to_promela(m, 0, &error);
  ASSERT_TRUE(pml) << error;
  const testing::PanDir pan_dir("expr_agree", pml->text);
  ASSERT_FALSE(pan_dir.path().empty());
  const std::string& dir = pan_dir.path();
  std::string log;
  ASSERT_TRUE(testing::BuildPan(dir, "", "-O0 -DSAFETY -DNOREDUCE", &log)) << log << pml->text;
  const testing::PanRun spin = testing::RunPan(dir, "-c0 -m100000 -w20");
  ASSERT_TRUE(spin.ok) << spin.output;
  const Result ours = Explicit(m);
  // A violated invariant stops no search (pan -c0 goes on): the full state counts agree.
  EXPECT_EQ(spin.states, ours.stats.states) << spin.output;
  for (const Outcome& o : ours.outcomes) {
    if (o.property < 0) continue;
    const auto it = std::find_if(pml->properties.begin(), pml->properties.end(),
                                 [&](const ir::PromelaProperty& p) { return p.property == o.property; });
    ASSERT_NE(it, pml->properties.end()) << o.name;
    EXPECT_EQ(spin.messages.count("assertion violated " + it->flag) > 0, o.verdict == Verdict::kViolated)
        << o.name << "\n" << spin.output;
  }
}

// `choose`: one transition per value; the engines explore every value.
const char* const kChooseSpec = R"(protocol choice "nondeterministic choice"
role Walker {
  calls go
  states RUN
  initial RUN
  var pos: int[0..7] = 0
  var steps: int[0..3] = 0
  move: from RUN on internal if steps < 3 -> same {
    steps = steps + 1
    choose d in 1..2 {
      choose back in 0..1 {
        if back == 1 && pos >= d { pos = pos - d } else { pos = min(pos + d, 7) }
      }
    }
  }
}
system one {
  instance w: Walker
}
property never_six in one: never w.pos == 6
property bounded in one: always w.pos <= 2 * w.steps
)";

TEST(ExprConstructs, ChooseExploresEveryValueInEveryEngine) {
  const ir::Model m = testing::Compile(kChooseSpec);
  ASSERT_EQ(m.roles[0].transitions.size(), 4u);
  EXPECT_EQ(m.roles[0].transitions[3].name, "move[d=2,back=1]");
  const Result r = Explicit(m);
  EXPECT_EQ(testing::Find(r, "never_six")->verdict, Verdict::kViolated);  // 2 + 2 + 2
  EXPECT_EQ(testing::Find(r, "never_six")->trace->steps.size(), 3u);
  EXPECT_EQ(testing::Find(r, "bounded")->verdict, Verdict::kHolds);
  ir::TransitionSystem ts(m, 0);
  testing::ExpectBmcAgrees(ts, testing::PropertiesOf(m, 0), 4);
  if (!testing::HaveTool("spin") || !testing::HaveTool("gcc")) return;
  std::string error;
  const std::optional<ir::PromelaModel> pml = ir::to_promela(m, 0, &error);
  ASSERT_TRUE(pml) << error;
  const testing::PanDir pan_dir("expr_choose", pml->text);
  ASSERT_FALSE(pan_dir.path().empty());
  const std::string& dir = pan_dir.path();
  std::string log;
  ASSERT_TRUE(testing::BuildPan(dir, "", "-O0 -DSAFETY -DNOREDUCE", &log)) << log;
  const testing::PanRun spin = testing::RunPan(dir, "-c0 -m100000 -w20");
  ASSERT_TRUE(spin.ok) << spin.output;
  EXPECT_EQ(spin.states, r.stats.states) << spin.output;
}

}  // namespace
}  // namespace sp::checker
