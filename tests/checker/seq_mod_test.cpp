// `seq mod M` (docs/language.md, "Sequence numbers modulo M") on go-back-N with sequence
// numbers mod 3 (tests/checker/specs/gbn_seq_mod.sp): every property holds, with exactly
// the states of spec/examples/gbn.sp, which writes the same arithmetic by hand with `%`;
// with M = 2 (the window equals the sequence space) in_order fails, and BMC agrees. The
// SPIN agreement suite runs the spec too.
#include <gtest/gtest.h>

#include "tests/checker/symbolic_util.hpp"

namespace sp::checker {
namespace {

ir::Model Load(const std::string& path, CompileOptions o = {}) {
  const auto text = testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + "/" + path);
  EXPECT_TRUE(text) << path;
  return testing::Compile(text.value_or(""), o);
}

TEST(SeqMod, GoBackNModThreeHoldsWithTheStatesOfTheHandWrittenExample) {
  const ir::Model m = Load("tests/checker/specs/gbn_seq_mod.sp");
  ir::TransitionSystem ts(m, 0);
  const Result r = check_safety(ts, testing::PropertiesOf(m, 0), testing::Bfs());
  ASSERT_TRUE(r.complete);
  for (const Outcome& o : r.outcomes) EXPECT_EQ(o.verdict, Verdict::kHolds) << o.name << ": " << o.message;
  const ir::Model hand = Load("spec/examples/gbn.sp");
  ir::TransitionSystem hand_ts(hand, 0);
  const Result h = check_safety(hand_ts, testing::PropertiesOf(hand, 0), testing::Bfs());
  EXPECT_EQ(r.stats.states, h.stats.states);
  EXPECT_EQ(r.stats.states, 6987u);
}

TEST(SeqMod, ModTwoBreaksInOrderInBothEngines) {
  CompileOptions o;
  o.const_overrides = {{"M", 2}};
  const ir::Model m = Load("tests/checker/specs/gbn_seq_mod.sp", o);
  ir::TransitionSystem ts(m, 0);
  const std::vector<int> props = testing::PropertiesOf(m, 0);
  const Result r = check_safety(ts, props, testing::Bfs());
  EXPECT_EQ(testing::Find(r, "in_order")->verdict, Verdict::kViolated);
  EXPECT_EQ(testing::Find(r, "in_order")->trace->steps.size(), 6u);
  EXPECT_EQ(testing::Find(r, "window")->verdict, Verdict::kHolds);
  testing::ExpectBmcAgrees(ts, props, 6);
}

}  // namespace
}  // namespace sp::checker
