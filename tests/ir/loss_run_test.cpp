// `lossy consecutive R` in the interpreter: a copy may be lost only while fewer than R
// copies in a row were lost; a delivered or duplicated copy ends the run; the total
// loss budget still applies.
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

// src sends one message per step into a queue of capacity 4 that sink never reads.
struct Lossy {
  ModelBuilder b;
  std::unique_ptr<TransitionSystem> ts;
  Lossy(int run, std::optional<int> budget, bool dup = false) {
    const TypeId tv = b.Int(0, 1);
    const int msg = b.AddMessage("M", {{"v", tv}});
    const int src = b.AddRole("Src", {"S"});
    const int out = b.AddPort(src, "out", msg);
    const int sink = b.AddRole("Sink", {"S"});
    const int in = b.AddPort(sink, "in", msg);
    b.AddTransition(src, "push", {0}, EventKind::kInternal, -1, -1, {Send(out, {Const(tv, 1)})});
    const int s = b.AddSystem("sys");
    b.AddInstance(s, "src", src);
    b.AddInstance(s, "sink", sink);
    Queue& q = b.AddQueue(s, "src.out->sink.in", {0}, out, 1, in, msg, 4);
    q.lossy = true;
    q.loss_run = run;
    q.loss_budget = budget;
    q.dup = dup;
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
  int64_t Run(const Slots& s) const { return s[static_cast<size_t>(ts->layout().queues[0].loss_run)]; }
  int64_t Len(const Slots& s) const { return s[static_cast<size_t>(ts->layout().queues[0].len)]; }
};

TEST(LossRun, AtMostRLossesInARow) {
  Lossy m(2, std::nullopt);
  Slots s = m.ts->initial_state();
  for (int lost = 0; lost < 2; ++lost) {
    const auto succ = Succs(*m.ts, s);
    ASSERT_EQ(succ.size(), 2u) << "delivered or lost";
    EXPECT_TRUE(succ[1].label.sends.at(0).lost);
    EXPECT_EQ(m.Run(succ[1].state), lost + 1);
    EXPECT_EQ(m.Run(succ[0].state), 0) << "a delivered copy ends the run";
    s = succ[1].state;
  }
  const auto third = Succs(*m.ts, s);
  ASSERT_EQ(third.size(), 1u) << "a third loss in a row is not a choice";
  EXPECT_FALSE(third[0].label.sends.at(0).lost);
  EXPECT_EQ(m.Len(third[0].state), 1);
  EXPECT_EQ(m.Run(third[0].state), 0);
  EXPECT_NE(m.ts->describe_state(s).find("lost in a row 2"), std::string::npos) << m.ts->describe_state(s);
}

TEST(LossRun, TotalBudgetStillApplies) {
  Lossy m(2, 1);
  const auto first = Succs(*m.ts, m.ts->initial_state());
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(Succs(*m.ts, first[1].state).size(), 1u) << "budget 1 spent: no second loss";
}

TEST(LossRun, DuplicationEndsTheRun) {
  Lossy m(1, std::nullopt, /*dup=*/true);
  const auto first = Succs(*m.ts, m.ts->initial_state());
  ASSERT_EQ(first.size(), 3u);  // delivered, lost, duplicated
  const auto after_loss = Succs(*m.ts, first[1].state);
  ASSERT_EQ(after_loss.size(), 2u) << "delivered or duplicated, not lost";
  EXPECT_EQ(m.Run(after_loss[1].state), 0);
  EXPECT_EQ(m.Len(after_loss[1].state), 2);
}

}  // namespace
}  // namespace sp::ir
