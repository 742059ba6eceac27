// Channels: fifo vs bag receive, broadcast fan-out with per-copy loss, duplication
// budgets, unbounded loss, overflow.
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

// src --q (capacity 3)--> sink; sink takes any message; the queue is preloaded by hand.
struct SrcSink {
  ModelBuilder b;
  TypeId tv;
  std::unique_ptr<TransitionSystem> ts;
  explicit SrcSink(bool bag, int guard_value = -1) {
    tv = b.Int(0, 3);
    const TypeId tbool = b.Bool();
    const int msg = b.AddMessage("M", {{"v", tv}});
    const int src = b.AddRole("Src", {"S"});
    const int out = b.AddPort(src, "out", msg);
    const int sink = b.AddRole("Sink", {"S"});
    const int in = b.AddPort(sink, "in", msg);
    const int got = b.AddVar(sink, "got", tv);
    Transition& t = b.AddTransition(sink, "take", {0}, EventKind::kRecv, in, -1, {Assign(got, FieldE(tv, 0))});
    if (guard_value >= 0) t.guard = Bin(Op::kEq, tbool, FieldE(tv, 0), Const(tv, guard_value));
    const int s = b.AddSystem("sys");
    b.AddInstance(s, "src", src);
    b.AddInstance(s, "sink", sink);
    b.AddQueue(s, "src.out->sink.in", {0}, out, 1, in, msg, 3).bag = bag;
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
  Slots With(std::vector<int64_t> msgs) const {
    Slots s = ts->initial_state();
    const QueueLayout& q = ts->layout().queues[0];
    s[static_cast<size_t>(q.len)] = static_cast<int64_t>(msgs.size());
    for (size_t k = 0; k < msgs.size(); ++k) s[static_cast<size_t>(q.first) + k] = msgs[k];
    return s;
  }
  std::vector<int64_t> Contents(const Slots& s) const {
    const QueueLayout& q = ts->layout().queues[0];
    std::vector<int64_t> out;
    for (int k = 0; k < s[static_cast<size_t>(q.len)]; ++k) out.push_back(s[static_cast<size_t>(q.first + k)]);
    for (int k = static_cast<int>(s[static_cast<size_t>(q.len)]); k < 3; ++k) {
      EXPECT_EQ(s[static_cast<size_t>(q.first + k)], 0) << "unused message slots are zero";
    }
    return out;
  }
};

TEST(Channels, FifoReceivesHeadOnly) {
  SrcSink m(/*bag=*/false);
  const auto succ = Succs(*m.ts, m.With({1, 2, 1}));
  ASSERT_EQ(succ.size(), 1u);
  EXPECT_EQ(succ[0].label.received, std::vector<int64_t>{1});
  EXPECT_EQ(succ[0].label.recv_position, 0);
  EXPECT_EQ(m.Contents(succ[0].state), (std::vector<int64_t>{2, 1}));
}

TEST(Channels, BagReceivesEachDistinctMessage) {
  SrcSink m(/*bag=*/true);
  const auto succ = Succs(*m.ts, m.With({1, 2, 1}));
  ASSERT_EQ(succ.size(), 2u);  // position 2 repeats position 0
  EXPECT_EQ(succ[0].label.recv_position, 0);
  EXPECT_EQ(succ[0].label.received, std::vector<int64_t>{1});
  EXPECT_EQ(m.Contents(succ[0].state), (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(succ[1].label.recv_position, 1);
  EXPECT_EQ(succ[1].label.received, std::vector<int64_t>{2});
  EXPECT_EQ(m.Contents(succ[1].state), (std::vector<int64_t>{1, 1}));
  EXPECT_EQ(m.ts->describe_label(succ[1].label),
            "sink: take [S -> S] recv M{v=2} from src.out->sink.in (position 1)");
}

TEST(Channels, GuardSeesTheMessage) {
  SrcSink fifo(false, /*guard_value=*/2);
  EXPECT_TRUE(Succs(*fifo.ts, fifo.With({1, 2})).empty());  // head is 1
  SrcSink bag(true, /*guard_value=*/2);
  const auto succ = Succs(*bag.ts, bag.With({1, 2}));
  ASSERT_EQ(succ.size(), 1u);
  EXPECT_EQ(succ[0].label.received, std::vector<int64_t>{2});
  EXPECT_EQ(bag.Contents(succ[0].state), std::vector<int64_t>{1});
}

TEST(Channels, EmptyQueueDisablesReceive) {
  SrcSink m(false);
  EXPECT_TRUE(Succs(*m.ts, m.ts->initial_state()).empty());
}

// Three hosts on a broadcast channel, each queue lossy 1; host `me == 0` shouts once.
struct Lan {
  ModelBuilder b;
  std::unique_ptr<TransitionSystem> ts;
  explicit Lan(bool lossy) {
    const TypeId tv = b.Int(0, 3);
    const TypeId tme = b.Int(0, 2);
    const TypeId tbool = b.Bool();
    const int msg = b.AddMessage("M", {{"v", tv}});
    const int host = b.AddRole("Host", {"QUIET", "DONE"});
    const int eth = b.AddPort(host, "eth", msg);
    const int me = b.AddVar(host, "me", tme, 0, /*assigned=*/false);
    b.AddTransition(host, "shout", {0}, EventKind::kInternal, -1, 1, {Send(eth, {Const(tv, 3)})}).guard =
        Bin(Op::kEq, tbool, VarE(tme, me), Const(tme, 0));
    const int s = b.AddSystem("lan");
    for (int k = 0; k < 3; ++k) {
      b.AddInstance(s, std::string(1, static_cast<char>('a' + k)), host);
      b.sys(s).instances.back().init[0] = k;
    }
    for (int k = 0; k < 3; ++k) {
      std::vector<int> senders;
      for (int j = 0; j < 3; ++j) {
        if (j != k) senders.push_back(j);
      }
      Queue& q = b.AddQueue(s, std::string("eth->") + static_cast<char>('a' + k), senders, eth, k, eth, msg, 2);
      q.lossy = lossy;
      if (lossy) q.loss_budget = 1;
    }
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
};

TEST(Channels, BroadcastFanOutWithPerCopyLoss) {
  Lan lan(/*lossy=*/true);
  const auto succ = Succs(*lan.ts, lan.ts->initial_state());
  ASSERT_EQ(succ.size(), 4u);
  const Layout& l = lan.ts->layout();
  const bool expect_lost[4][2] = {{false, false}, {false, true}, {true, false}, {true, true}};
  for (size_t k = 0; k < 4; ++k) {
    const Label& label = succ[k].label;
    EXPECT_EQ(label.instance, 0);
    ASSERT_EQ(label.sends.size(), 2u);
    EXPECT_EQ(label.sends[0].queue, 1);  // eth->b
    EXPECT_EQ(label.sends[1].queue, 2);  // eth->c
    for (int c = 0; c < 2; ++c) {
      EXPECT_EQ(label.sends[static_cast<size_t>(c)].lost, expect_lost[k][c]);
      const QueueLayout& q = l.queues[static_cast<size_t>(c + 1)];
      EXPECT_EQ(succ[k].state[static_cast<size_t>(q.len)], expect_lost[k][c] ? 0 : 1);
      EXPECT_EQ(succ[k].state[static_cast<size_t>(q.loss_budget)], expect_lost[k][c] ? 0 : 1);
    }
    EXPECT_EQ(succ[k].state[static_cast<size_t>(l.queues[0].len)], 0);  // not to itself
  }
  EXPECT_EQ(lan.ts->describe_label(succ[2].label),
            "a: shout [QUIET -> DONE] send M{v=3} to eth->b LOST; send M{v=3} to eth->c");
  // The per-instance constant `me` keeps its value, in the slot vector, at 0 bits.
  EXPECT_EQ(l.slots[static_cast<size_t>(l.instances[2].vars[0])].bits, 0);
  EXPECT_EQ(succ[0].state[static_cast<size_t>(l.instances[2].vars[0])], 2);
}

TEST(Channels, BroadcastWithoutLoss) {
  Lan lan(/*lossy=*/false);
  EXPECT_EQ(Succs(*lan.ts, lan.ts->initial_state()).size(), 1u);
  EXPECT_EQ(Bfs(*lan.ts).states, 2u);
}

// A sender that may send forever into a capacity-3 queue with the given faults.
struct Spammer {
  ModelBuilder b;
  std::unique_ptr<TransitionSystem> ts;
  explicit Spammer(std::function<void(Queue&)> faults, int capacity = 3) {
    const TypeId tv = b.Int(0, 1);
    const int msg = b.AddMessage("M", {{"v", tv}});
    const int r = b.AddRole("R", {"S"});
    const int out = b.AddPort(r, "out", msg);
    const int in = b.AddPort(r, "in", msg);
    b.AddTransition(r, "spam", {0}, EventKind::kInternal, -1, -1, {Send(out, {Const(tv, 1)}, 7)});
    const int sink = b.AddRole("Sink", {"S"});
    b.AddPort(sink, "out", msg);
    b.AddPort(sink, "in", msg);
    const int s = b.AddSystem("sys");
    b.AddInstance(s, "a", r);
    b.AddInstance(s, "b", sink);
    faults(b.AddQueue(s, "a.out->b.in", {0}, out, 1, in, msg, capacity));
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
};

TEST(Channels, DupBudget) {
  Spammer m([](Queue& q) {
    q.dup = true;
    q.dup_budget = 1;
  });
  const QueueLayout& q = m.ts->layout().queues[0];
  auto succ = Succs(*m.ts, m.ts->initial_state());
  ASSERT_EQ(succ.size(), 2u);
  EXPECT_FALSE(succ[0].label.sends[0].duplicated);
  EXPECT_EQ(succ[0].state[static_cast<size_t>(q.len)], 1);
  EXPECT_TRUE(succ[1].label.sends[0].duplicated);
  EXPECT_EQ(succ[1].state[static_cast<size_t>(q.len)], 2);
  EXPECT_EQ(succ[1].state[static_cast<size_t>(q.dup_budget)], 0);
  EXPECT_EQ(m.ts->describe_label(succ[1].label), "a: spam [S -> S] send M{v=1} to a.out->b.in DUPLICATED");
  // Budget spent: only delivery.
  const auto after = Succs(*m.ts, succ[1].state);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_FALSE(after[0].label.sends[0].duplicated);
  EXPECT_EQ(after[0].state[static_cast<size_t>(q.len)], 3);
  // One free place: duplicating overflows.
  const auto near_full = Succs(*m.ts, succ[0].state);  // len 1, budget 1
  ASSERT_EQ(near_full.size(), 2u);
  EXPECT_TRUE(near_full[1].error.empty());  // 1 + 2 = 3 fits
  const auto full = Succs(*m.ts, near_full[0].state);  // len 2, budget 1
  ASSERT_EQ(full.size(), 2u);
  EXPECT_TRUE(full[0].error.empty());
  EXPECT_EQ(full[1].error, "channel a.out->b.in overflows (capacity 3)");
  EXPECT_TRUE(full[1].label.sends[0].duplicated);
  // States (len, budget): budget 1 with len 0..3, budget 0 with len 2..3 (duplicating
  // adds two).
  EXPECT_EQ(Bfs(*m.ts).states, 6u);
}

TEST(Channels, UnboundedLossAndOverflow) {
  Spammer m([](Queue& q) { q.lossy = true; }, /*capacity=*/1);
  EXPECT_EQ(m.ts->layout().queues[0].loss_budget, -1);  // no budget slot
  const auto first = Succs(*m.ts, m.ts->initial_state());
  ASSERT_EQ(first.size(), 2u);
  EXPECT_TRUE(first[1].label.sends[0].lost);
  EXPECT_EQ(first[1].state, m.ts->initial_state());
  const auto second = Succs(*m.ts, first[0].state);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].error, "channel a.out->b.in overflows (capacity 1)");
  ASSERT_TRUE(second[0].label.sends.size() == 1u);
  EXPECT_FALSE(second[0].label.sends[0].lost);
  EXPECT_TRUE(second[1].error.empty());
  EXPECT_TRUE(second[1].label.sends[0].lost);
  const Reach r = Bfs(*m.ts);
  EXPECT_EQ(r.states, 2u);
  EXPECT_EQ(r.errors, 1u);
}

TEST(Channels, SendToUnconnectedPortVanishes) {
  Spammer m([](Queue& q) { q.senders.clear(); });
  const auto succ = Succs(*m.ts, m.ts->initial_state());
  ASSERT_EQ(succ.size(), 1u);
  EXPECT_TRUE(succ[0].label.sends.empty());
}

}  // namespace
}  // namespace sp::ir
