// Actions and step errors: assignment range checks, seq wrap on assignment, asserts,
// if/else, timers, guard errors, and maps (sorted encoding, full map, absent key).
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

// One instance of a role with a few variables; transitions added per test.
struct Solo {
  ModelBuilder b;
  TypeId tbool, t02, tseq;
  int r;
  int x, q, flag;
  int timer;
  std::unique_ptr<TransitionSystem> ts;

  Solo() {
    tbool = b.Bool();
    t02 = b.Int(0, 2);
    tseq = b.Seq(3);
    r = b.AddRole("R", {"IDLE", "ARMED", "FIRED"});
    x = b.AddVar(r, "x", t02);
    q = b.AddVar(r, "q", tseq, 6);
    flag = b.AddVar(r, "flag", tbool);
    timer = b.AddTimer(r, "t");
  }
  void Build() {
    const int s = b.AddSystem("sys");
    b.AddInstance(s, "p", r);
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
  int64_t Get(const Slots& s, int var) const {
    return s[static_cast<size_t>(ts->layout().instances[0].vars[static_cast<size_t>(var)])];
  }
  int64_t Armed(const Slots& s) const { return s[static_cast<size_t>(ts->layout().instances[0].timers[0])]; }
  // Runs transition t from s; expects exactly one successor.
  Collected Step(const Slots& s, int t) const {
    std::vector<Collected> out;
    ts->successors_of(s, 0, t, [&](const Successor& x) {
      out.push_back(Collected{x.label, x.state, x.error ? x.error->message : std::string()});
    });
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? Collected{} : out[0];
  }
};

TEST(Actions, IntOverflowIsAStepError) {
  Solo m;
  m.b.AddTransition(m.r, "inc", {}, EventKind::kInternal, -1, -1,
                    {Assign(m.x, Bin(Op::kAdd, m.t02, VarE(m.t02, m.x), Const(m.t02, 1)), 42)});
  m.Build();
  Slots s = m.ts->initial_state();
  s = m.Step(s, 0).state;
  s = m.Step(s, 0).state;
  EXPECT_EQ(m.Get(s, m.x), 2);
  const Collected err = m.Step(s, 0);
  EXPECT_EQ(err.error, "x: int[0..2] overflows: 3");
  int line = 0;
  m.ts->successors(s, [&](const Successor& x) { line = x.error ? x.error->line : -1; });
  EXPECT_EQ(line, 42);
  const Reach r = Bfs(*m.ts);
  EXPECT_EQ(r.states, 3u);
  EXPECT_EQ(r.errors, 1u);
}

TEST(Actions, SeqAssignmentWraps) {
  Solo m;
  m.b.AddTransition(m.r, "adv", {}, EventKind::kInternal, -1, -1,
                    {Assign(m.q, Bin(Op::kAdd, m.tseq, VarE(m.tseq, m.q), Const(m.t02, 3)))});
  m.Build();
  const Slots s = m.Step(m.ts->initial_state(), 0).state;
  EXPECT_EQ(m.Get(s, m.q), 1);  // 6 + 3 mod 8
  EXPECT_EQ(Bfs(*m.ts).states, 8u);
}

TEST(Actions, AssertFailure) {
  Solo m;
  m.b.AddTransition(m.r, "check", {}, EventKind::kInternal, -1, -1,
                    {Assign(m.flag, Const(m.tbool, 1)),
                     Assert(Bin(Op::kEq, m.tbool, VarE(m.tbool, m.flag), Const(m.tbool, 0)), "flag == false", 9)});
  m.Build();
  const Collected c = m.Step(m.ts->initial_state(), 0);
  EXPECT_EQ(c.error, "assert flag == false failed");
  EXPECT_EQ(c.label.transition, 0);
}

TEST(Actions, IfElseAndSequentialReads) {
  Solo m;
  // x = 1; if x == 1 { flag = true; x = x + 1 } else { x = 0 }
  m.b.AddTransition(m.r, "branch", {0}, EventKind::kInternal, -1, 1,
                    {Assign(m.x, Const(m.t02, 1)),
                     If(Bin(Op::kEq, m.tbool, VarE(m.t02, m.x), Const(m.t02, 1)),
                        {Assign(m.flag, Const(m.tbool, 1)),
                         Assign(m.x, Bin(Op::kAdd, m.t02, VarE(m.t02, m.x), Const(m.t02, 1)))},
                        {Assign(m.x, Const(m.t02, 0))})});
  m.Build();
  const Collected c = m.Step(m.ts->initial_state(), 0);
  EXPECT_TRUE(c.error.empty());
  EXPECT_EQ(m.Get(c.state, m.x), 2);
  EXPECT_EQ(m.Get(c.state, m.flag), 1);
  EXPECT_EQ(m.ts->control_state(c.state, 0), 1);
}

TEST(Actions, TimersArmFireClear) {
  Solo m;
  m.b.AddTransition(m.r, "arm", {0}, EventKind::kInternal, -1, 1, {Start(m.timer)});
  // Firing clears the armed bit before the actions run: `flag = t armed` reads false.
  m.b.AddTransition(m.r, "fire", {1}, EventKind::kTimeout, m.timer, 2,
                    {Assign(m.flag, Leaf(Op::kTimerArmed, m.tbool, m.timer))});
  m.b.AddTransition(m.r, "rearm", {2}, EventKind::kInternal, -1, 1, {Start(m.timer), Stop(m.timer), Start(m.timer)});
  m.b.AddTransition(m.r, "cancel", {1}, EventKind::kInternal, -1, 0, {Stop(m.timer)});
  m.Build();
  const Slots init = m.ts->initial_state();
  EXPECT_EQ(m.Armed(init), 0);
  auto s0 = Succs(*m.ts, init);
  ASSERT_EQ(s0.size(), 1u);
  EXPECT_EQ(m.Armed(s0[0].state), 1);
  auto s1 = Succs(*m.ts, s0[0].state);
  ASSERT_EQ(s1.size(), 2u);  // fire, cancel
  EXPECT_EQ(m.ts->describe_label(s1[0].label), "p: fire [ARMED -> FIRED] timeout t");
  EXPECT_EQ(m.Armed(s1[0].state), 0);
  EXPECT_EQ(m.Get(s1[0].state, m.flag), 0);
  EXPECT_EQ(m.Armed(s1[1].state), 0);
  EXPECT_EQ(m.ts->control_state(s1[1].state, 0), 0);
  // In FIRED with the timer disarmed, only rearm.
  auto s2 = Succs(*m.ts, s1[0].state);
  ASSERT_EQ(s2.size(), 1u);
  EXPECT_EQ(m.Armed(s2[0].state), 1);
  // A timeout is not enabled while disarmed, even in its from-state.
  Slots unarmed = s0[0].state;
  unarmed[static_cast<size_t>(m.ts->layout().instances[0].timers[0])] = 0;
  EXPECT_EQ(Succs(*m.ts, unarmed).size(), 1u);  // cancel only
  EXPECT_EQ(Bfs(*m.ts).states, 3u);
}

TEST(Actions, GuardErrorIsAStepError) {
  Solo m;
  Transition& t = m.b.AddTransition(m.r, "div", {}, EventKind::kInternal, -1, -1);
  t.guard = Bin(Op::kEq, m.tbool, Bin(Op::kDiv, m.t02, Const(m.t02, 1), VarE(m.t02, m.x)), Const(m.t02, 1));
  t.line = 77;
  m.Build();
  std::vector<std::pair<std::string, int>> errors;
  m.ts->successors(m.ts->initial_state(), [&](const Successor& x) {
    ASSERT_TRUE(x.error.has_value());
    errors.emplace_back(x.error->message, x.error->line);
  });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].first, "division by zero");
  EXPECT_EQ(errors[0].second, 77);
}

// A host with an ARP-like cache: map<ip4, mac> capacity 2.
struct Cache {
  ModelBuilder b;
  TypeId tbool, tip, tmac, tmap;
  int r, cache, got, has;
  std::unique_ptr<TransitionSystem> ts;
  Cache() {
    tbool = b.Bool();
    tip = b.Ip4();
    tmac = b.Mac();
    b.m.ip4s.values = {0, 0xc0000201, 0xc0000202, 0xc0000203, 0x0a000001};
    b.m.ip4s.other = 4;
    b.m.macs.values = {0, 0x020000000001, 0x020000000002, 0xffffffffffff};
    b.m.macs.other = 3;
    tmap = b.Map(tip, tmac, 2);
    r = b.AddRole("Host", {"S"});
    cache = b.AddVar(r, "cache", tmap);
    got = b.AddVar(r, "got", tmac);
    has = b.AddVar(r, "has", tbool);
    auto put = [&](const char* name, int k, int v) {
      b.AddTransition(r, name, {}, EventKind::kInternal, -1, -1, {Put(cache, Const(tip, k), Const(tmac, v))});
    };
    put("put1", 1, 1);                                                   // 0
    put("put2", 2, 2);                                                   // 1
    put("put3", 3, 1);                                                   // 2
    put("put2b", 2, 3);                                                  // 3: update
    b.AddTransition(r, "rm1", {}, EventKind::kInternal, -1, -1, {Remove(cache, Const(tip, 1))});  // 4
    b.AddTransition(r, "get2", {}, EventKind::kInternal, -1, -1,                                  // 5
                    {Assign(has, MapHas(tbool, cache, Const(tip, 2))), Assign(got, MapGet(tmac, cache, Const(tip, 2)))});
    b.AddTransition(r, "get3", {}, EventKind::kInternal, -1, -1,                                  // 6
                    {Assign(got, MapGet(tmac, cache, Const(tip, 3)))});
    const int s = b.AddSystem("lan");
    b.AddInstance(s, "a", r);
    ts = std::make_unique<TransitionSystem>(b.m, s);
  }
  Collected Step(const Slots& s, int t) const {
    std::vector<Collected> out;
    ts->successors_of(s, 0, t, [&](const Successor& x) {
      out.push_back(Collected{x.label, x.state, x.error ? x.error->message : std::string()});
    });
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? Collected{} : out[0];
  }
  Packed Pack(const Slots& s) const {
    Packed p;
    ts->layout().pack(s, p);
    return p;
  }
  std::vector<int64_t> Raw(const Slots& s) const {
    const int base = ts->layout().instances[0].vars[static_cast<size_t>(cache)];
    return std::vector<int64_t>(s.begin() + base, s.begin() + base + 5);
  }
};

TEST(Maps, SortedEncodingIndependentOfInsertionOrder) {
  Cache m;
  const Slots init = m.ts->initial_state();
  const Slots a = m.Step(m.Step(init, 0).state, 1).state;  // put 1, put 2
  const Slots b = m.Step(m.Step(init, 1).state, 0).state;  // put 2, put 1
  EXPECT_EQ(a, b);
  EXPECT_EQ(m.Pack(a), m.Pack(b));
  EXPECT_EQ(m.Raw(a), (std::vector<int64_t>{2, 1, 1, 2, 2}));
  EXPECT_EQ(m.ts->describe_state(a), "a: S cache={192.0.2.1: 02:00:00:00:00:01, 192.0.2.2: 02:00:00:00:00:02} "
                                     "got=00:00:00:00:00:00 has=false\n");
  Slots back;
  m.ts->layout().unpack(m.Pack(a).data(), back);
  EXPECT_EQ(back, a);
}

TEST(Maps, UpdateRemoveAndGet) {
  Cache m;
  const Slots init = m.ts->initial_state();
  const Slots two = m.Step(m.Step(init, 0).state, 1).state;
  const Slots updated = m.Step(two, 3).state;
  EXPECT_EQ(m.Raw(updated), (std::vector<int64_t>{2, 1, 1, 2, 3}));
  const Slots removed = m.Step(updated, 4).state;
  EXPECT_EQ(m.Raw(removed), (std::vector<int64_t>{1, 2, 3, 0, 0}));  // shifted, tail zeroed
  EXPECT_EQ(m.Pack(removed), m.Pack(m.Step(m.Step(init, 1).state, 3).state));
  EXPECT_EQ(m.Step(init, 4).state, init);  // removing an absent key: no change
  const Collected g = m.Step(removed, 5);
  EXPECT_TRUE(g.error.empty());
  EXPECT_EQ(g.state[static_cast<size_t>(m.ts->layout().instances[0].vars[static_cast<size_t>(m.got)])], 3);
  EXPECT_EQ(g.state[static_cast<size_t>(m.ts->layout().instances[0].vars[static_cast<size_t>(m.has)])], 1);
}

TEST(Maps, FullMapAndAbsentKeyAreStepErrors) {
  Cache m;
  const Slots init = m.ts->initial_state();
  const Slots two = m.Step(m.Step(init, 0).state, 1).state;
  EXPECT_EQ(m.Step(two, 2).error, "map cache is full (capacity 2)");
  EXPECT_TRUE(m.Step(two, 3).error.empty());  // updating an existing key still fits
  EXPECT_EQ(m.Step(two, 6).error, "cache[192.0.2.3] is absent");
  // Property reads: has / get on instance 0.
  std::string err;
  EXPECT_EQ(m.ts->eval(two, MapHas(m.tbool, m.cache, Const(m.tip, 2), 0)), 1);
  EXPECT_EQ(m.ts->eval(two, MapHas(m.tbool, m.cache, Const(m.tip, 3), 0)), 0);
  EXPECT_EQ(m.ts->eval(two, MapGet(m.tmac, m.cache, Const(m.tip, 1), 0)), 1);
  EXPECT_FALSE(m.ts->eval(two, MapGet(m.tmac, m.cache, Const(m.tip, 4), 0), &err).has_value());
  EXPECT_EQ(err, "a.cache[10.0.0.1] is absent");
}

}  // namespace
}  // namespace sp::ir
