// k-induction on small specs with known inductive and non-inductive invariants.
#include <gtest/gtest.h>

#include "tests/checker/symbolic_util.hpp"

namespace sp::checker {
namespace {

using testing::Compile;
using testing::Find;
using testing::Kind;
using testing::PropertiesOf;

// A shift register a -> b -> c, fed with false, beside a free-running counter (so the
// reachable states do not end after a step). `!c` holds but is 2-inductive only: the
// unreachable state (a, !b, !c) reaches c in two steps. With the lemma `!a` it is
// 1-inductive.
const char* kShift = R"(
protocol shift
role R {
  states S
  initial S
  var a, b, c: bool = false
  var n: int[0..7] = 0
  t: from S on internal -> S { c = b  b = a  a = false  n = (n + 1) % 8 }
}
system s {
  instance r: R
}
property no_c in s: always !r.c
property in_range in s: always r.n <= 7
property alive in s: deadlock free
)";

const std::string kShiftLemma = std::string(kShift).substr(0, std::string(kShift).find("property in_range")) +
                                "lemma no_a in s: always !r.a\n";

TEST(SymbolicKind, TwoInductiveInvariant) {
  ir::Model m = Compile(kShift);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Kind(ts, PropertiesOf(m, 0), 5);
  const Outcome* no_c = Find(r.result, "no_c");
  EXPECT_EQ(no_c->verdict, Verdict::kHolds) << no_c->message;
  EXPECT_EQ(no_c->message, "proved by 2-induction");
  EXPECT_EQ(Find(r.result, "in_range")->message, "proved by 0-induction");
  EXPECT_EQ(Find(r.result, "alive")->verdict, Verdict::kHolds);
  EXPECT_EQ(Find(r.result, "no checking errors")->verdict, Verdict::kHolds);
}

TEST(SymbolicKind, NotInductiveAtOneGivesACounterexampleToInduction) {
  ir::Model m = Compile(kShift);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Kind(ts, {m.find_property("no_c")}, 1);
  const Outcome& o = r.result.outcomes.at(0);
  EXPECT_EQ(o.verdict, Verdict::kUnknown);
  EXPECT_EQ(o.message, "not inductive at k=1");
  ASSERT_FALSE(r.cti.at(0).empty());
  // Three states: the unreachable start with `a` set, then b, then c.
  EXPECT_NE(r.cti[0].find("state 2 (violates it)"), std::string::npos) << r.cti[0];
  EXPECT_NE(r.cti[0].find("a=true"), std::string::npos) << r.cti[0];
}

TEST(SymbolicKind, LemmaStrengthensTheInductionStep) {
  ir::Model m = Compile(kShiftLemma);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Kind(ts, PropertiesOf(m, 0), 5);
  EXPECT_EQ(Find(r.result, "no_a")->message, "proved by 0-induction");
  EXPECT_EQ(Find(r.result, "no_c")->message, "proved by 1-induction with 1 lemma");
}

// A false lemma cannot be used: it is violated, and the property it would have helped
// is proved without it.
TEST(SymbolicKind, ViolatedLemmaIsReportedAndNotAssumed) {
  ir::Model m = Compile(std::string(kShift) + "lemma wrong in s: always r.n < 3\n");
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Kind(ts, PropertiesOf(m, 0), 5);
  const Outcome* wrong = Find(r.result, "wrong");
  ASSERT_EQ(wrong->verdict, Verdict::kViolated);
  EXPECT_EQ(wrong->trace->steps.size(), 3u);
  testing::ExpectReplays(ts, *wrong->trace);
  EXPECT_EQ(Find(r.result, "no_c")->verdict, Verdict::kHolds);
}

// Every reachable state is within 3 steps, so k-induction answers by exhausting simple
// paths, even for `y_not_15`, which is only 14-inductive (y = 1 .. 14 is unreachable).
const char* kChain = R"(
protocol chain
role P {
  states A, B, C, D
  initial A
  var x: int[0..3] = 0
  var y: int[0..15] = 0
  ab: from A on internal -> B { x = 1 }
  bc: from B on internal -> C { x = 2 }
  cd: from C on internal -> D { x = 1 }
  dd: from D on internal -> D { if y > 0 { y = (y + 1) % 16 } }
}
system s {
  instance p: P
}
property x_small in s: always p.x != 3
property y_not_15 in s: always p.y != 15
)";

TEST(SymbolicKind, FiniteDiameterProvesEverything) {
  ir::Model m = Compile(kChain);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Kind(ts, PropertiesOf(m, 0), 10);
  for (const Outcome& o : r.result.outcomes) EXPECT_EQ(o.verdict, Verdict::kHolds) << o.name << ": " << o.message;
}

TEST(SymbolicKind, BaseCaseFindsViolations) {
  ir::Model m = Compile(std::string(kChain) + "property no_c in s: never p in C\n");
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Kind(ts, {m.find_property("no_c")}, 10);
  const Outcome& o = r.result.outcomes.at(0);
  ASSERT_EQ(o.verdict, Verdict::kViolated);
  EXPECT_EQ(o.trace->steps.size(), 2u);
  testing::ExpectReplays(ts, *o.trace);
}

}  // namespace
}  // namespace sp::checker
