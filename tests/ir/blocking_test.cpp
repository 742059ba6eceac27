// Blocking channels and channel conditions in the interpreter: a send that does not fit
// a blocking channel disables the step (no successor, no error), every copy of a step
// counts, duplication needs room for both copies; len(p) and full(p) read the queues at
// an instance's port, in guards (the acting instance) and in properties (a named one).
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

// src sends `sends` messages per step on `out` (a guard may test the port); sink never
// receives. One queue src.out -> sink.in of `capacity`.
struct Pipe {
  ModelBuilder b;
  TypeId tv, tint, tbool;
  std::unique_ptr<TransitionSystem> ts;
  Pipe(int capacity, bool blocking, int sends, bool dup = false, std::optional<Expr> guard = std::nullopt) {
    tv = b.Int(0, 1);
    tint = b.Int(0, 100);
    tbool = b.Bool();
    const int msg = b.AddMessage("M", {{"v", tv}});
    const int src = b.AddRole("Src", {"S"});
    const int out = b.AddPort(src, "out", msg);
    const int sink = b.AddRole("Sink", {"S"});
    const int in = b.AddPort(sink, "in", msg);
    std::vector<Stmt> body;
    for (int k = 0; k < sends; ++k) body.push_back(Send(out, {Const(tv, 1)}));
    Transition& t = b.AddTransition(src, "push", {0}, EventKind::kInternal, -1, -1, body);
    if (guard) t.guard = *guard;
    const int s = b.AddSystem("sys");
    b.AddInstance(s, "src", src);
    b.AddInstance(s, "sink", sink);
    Queue& q = b.AddQueue(s, "src.out->sink.in", {0}, out, 1, in, msg, capacity);
    q.blocking = blocking;
    q.dup = dup;
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
  Slots With(int len) const {
    Slots s = ts->initial_state();
    const QueueLayout& q = ts->layout().queues[0];
    s[static_cast<size_t>(q.len)] = len;
    for (int k = 0; k < len; ++k) s[static_cast<size_t>(q.first + k)] = 1;
    return s;
  }
  int64_t Len(const Slots& s) const { return s[static_cast<size_t>(ts->layout().queues[0].len)]; }
};

TEST(Blocking, FullChannelDisablesTheSendInsteadOfAnError) {
  Pipe blocking(2, true, 1);
  ASSERT_EQ(Succs(*blocking.ts, blocking.With(1)).size(), 1u);
  EXPECT_TRUE(Succs(*blocking.ts, blocking.With(2)).empty()) << "no successor, no error";
  Pipe plain(2, false, 1);
  const auto succ = Succs(*plain.ts, plain.With(2));
  ASSERT_EQ(succ.size(), 1u);
  EXPECT_EQ(succ[0].error, "channel src.out->sink.in overflows (capacity 2)");
}

TEST(Blocking, EveryCopyOfTheStepNeedsRoom) {
  Pipe p(2, true, 2);
  const auto from0 = Succs(*p.ts, p.With(0));
  ASSERT_EQ(from0.size(), 1u);
  EXPECT_EQ(p.Len(from0[0].state), 2);
  EXPECT_TRUE(Succs(*p.ts, p.With(1)).empty()) << "room for one of two copies: not enabled";
}

TEST(Blocking, DuplicationOnlyWithRoomForBothCopies) {
  Pipe p(2, true, 1, /*dup=*/true);
  const auto from0 = Succs(*p.ts, p.With(0));
  ASSERT_EQ(from0.size(), 2u);  // delivered; duplicated
  EXPECT_EQ(p.Len(from0[1].state), 2);
  const auto from1 = Succs(*p.ts, p.With(1));
  ASSERT_EQ(from1.size(), 1u) << "no duplicate without room, and no error";
  EXPECT_EQ(from1[0].error, "");
  EXPECT_EQ(p.Len(from1[0].state), 2);
}

TEST(Blocking, ReachableStatesStopAtCapacity) {
  Pipe p(3, true, 1);
  const Reach r = Bfs(*p.ts);
  EXPECT_EQ(r.states, 4u);  // lengths 0..3
  EXPECT_EQ(r.errors, 0u);
}

TEST(ChannelConditions, GuardReadsTheActingInstancesPorts) {
  // `push if !full(out)` on a plain capacity-2 channel: the guard reads the acting
  // instance's outbox, so the channel never overflows. Then len and full of named
  // instances, as properties read them.
  Expr full = Leaf(Op::kPortFull, -1, 0);
  full.type = -1;
  Pipe p(2, false, 1, false, Node(Op::kNot, -1, {full}));
  const Reach r = Bfs(*p.ts);
  EXPECT_EQ(r.states, 3u);
  EXPECT_EQ(r.errors, 0u) << "the guard keeps the plain channel from overflowing";
  const Expr len = Leaf(Op::kPortLen, p.tint, 0, /*instance=*/1);
  const Expr full_src = Leaf(Op::kPortFull, p.tbool, 0, /*instance=*/0);
  for (int n = 0; n <= 2; ++n) {
    EXPECT_EQ(p.ts->eval(p.With(n), len), n);
    EXPECT_EQ(p.ts->eval(p.With(n), full_src), n == 2 ? 1 : 0);
  }
  // The sink's own outbox on `in` reaches no queue: never full; nothing waits at src.out.
  EXPECT_EQ(p.ts->eval(p.With(2), Leaf(Op::kPortFull, p.tbool, 0, 1)), 0);
  EXPECT_EQ(p.ts->eval(p.With(2), Leaf(Op::kPortLen, p.tint, 0, 0)), 0);
}

}  // namespace
}  // namespace sp::ir
