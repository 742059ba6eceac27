// The environment: unrestricted calls, bounded entries (`once`, `at most N`),
// alternatives sharing a budget, scripts, and call argument enumeration.
#include <gtest/gtest.h>

#include "tests/ir/builder.hpp"

namespace sp::ir {
namespace {

using namespace test;  // NOLINT

// calls: open, close, set(v: int[0..2]), resolve(ip: ip4), pair(a: bool, b: int[1..2])
struct Api {
  ModelBuilder b;
  TypeId tbool, t02, t12, tip;
  int r, last;
  std::unique_ptr<TransitionSystem> ts;
  Api() {
    tbool = b.Bool();
    t02 = b.Int(0, 2);
    t12 = b.Int(1, 2);
    tip = b.Ip4();
    b.m.ip4s.values = {0, 0xc0000201, 0xc0000202, 0x0a0a0a0a};  // zero, 2 literals, other
    b.m.ip4s.other = 3;
    r = b.AddRole("Api", {"CLOSED", "OPEN"});
    last = b.AddVar(r, "last", t02);
    const int open = b.AddCall(r, "open");
    const int close = b.AddCall(r, "close");
    const int set = b.AddCall(r, "set", {{"v", t02}});
    const int resolve = b.AddCall(r, "resolve", {{"ip", tip}});
    const int pair = b.AddCall(r, "pair", {{"a", tbool}, {"b", t12}});
    b.AddTransition(r, "open", {}, EventKind::kCall, open, 1);
    b.AddTransition(r, "close", {}, EventKind::kCall, close, 0);
    b.AddTransition(r, "set", {}, EventKind::kCall, set, -1, {Assign(last, ArgE(t02, 0))});
    b.AddTransition(r, "resolve", {}, EventKind::kCall, resolve, -1);
    b.AddTransition(r, "pair", {}, EventKind::kCall, pair, -1);
    b.AddSystem("sys");
    b.AddInstance(0, "a", r);
  }
  Environment& env() { return b.sys().environment; }
  void Entry(std::vector<CallEntry::Target> targets, std::optional<int> bound) {
    env().unrestricted = false;
    CallEntry e;
    e.targets = std::move(targets);
    e.bound = bound;
    env().entries.push_back(std::move(e));
  }
  void Build() { ts = std::make_unique<TransitionSystem>(b.m, 0); }
  std::vector<std::string> Labels(const Slots& s) const {
    std::vector<std::string> out;
    ts->successors(s, [&](const Successor& x) { out.push_back(ts->describe_label(x.label)); });
    return out;
  }
  Slots Take(const Slots& s, size_t k) const {
    const auto succ = Succs(*ts, s);
    EXPECT_LT(k, succ.size());
    return k < succ.size() ? succ[k].state : s;
  }
};

CallEntry::Target T(int call, std::vector<std::optional<int64_t>> args = {}) {
  return CallEntry::Target{0, call, std::move(args)};
}

TEST(Environment, UnrestrictedEnumeratesEveryArgument) {
  Api api;
  api.Build();
  const auto labels = api.Labels(api.ts->initial_state());
  const std::vector<std::string> expect = {
      "a: open [CLOSED -> OPEN] call open",
      "a: close [CLOSED -> CLOSED] call close",
      "a: set [CLOSED -> CLOSED] call set(0)",
      "a: set [CLOSED -> CLOSED] call set(1)",
      "a: set [CLOSED -> CLOSED] call set(2)",
      "a: resolve [CLOSED -> CLOSED] call resolve(192.0.2.1)",  // zero address excluded
      "a: resolve [CLOSED -> CLOSED] call resolve(192.0.2.2)",
      "a: resolve [CLOSED -> CLOSED] call resolve(10.10.10.10)",  // "other"
      "a: pair [CLOSED -> CLOSED] call pair(false, 1)",
      "a: pair [CLOSED -> CLOSED] call pair(false, 2)",
      "a: pair [CLOSED -> CLOSED] call pair(true, 1)",
      "a: pair [CLOSED -> CLOSED] call pair(true, 2)",
  };
  EXPECT_EQ(labels, expect);
  const auto succ = Succs(*api.ts, api.ts->initial_state());
  EXPECT_EQ(succ[3].label.args, std::vector<int64_t>{1});
  EXPECT_EQ(succ[3].label.env_entry, -1);
  EXPECT_EQ(succ[4].state[static_cast<size_t>(api.ts->layout().instances[0].vars[0])], 2);
  EXPECT_EQ(Bfs(*api.ts).states, 6u);  // 2 control states x last in 0..2
}

TEST(Environment, OnceAndAtMost) {
  Api api;
  api.Entry({T(0)}, 1);              // a.open once
  api.Entry({T(2, {2})}, 2);         // a.set(2) at most 2
  api.Entry({T(3, {std::nullopt})}, std::nullopt);  // a.resolve, unbounded, any address
  api.Build();
  const Slots init = api.ts->initial_state();
  auto labels = api.Labels(init);
  ASSERT_EQ(labels.size(), 5u);  // open, set(2), resolve x 3 addresses
  EXPECT_EQ(labels[0], "a: open [CLOSED -> OPEN] call open");
  EXPECT_EQ(labels[1], "a: set [CLOSED -> CLOSED] call set(2)");
  const auto succ = Succs(*api.ts, init);
  EXPECT_EQ(succ[0].label.env_entry, 0);
  EXPECT_EQ(succ[1].label.env_entry, 1);
  EXPECT_EQ(succ[2].label.env_entry, 2);
  // After open: open is used up.
  const Slots opened = succ[0].state;
  labels = api.Labels(opened);
  ASSERT_EQ(labels.size(), 4u);
  EXPECT_EQ(labels[0], "a: set [OPEN -> OPEN] call set(2)");
  // set(2) twice, then no more.
  const Slots set1 = api.Take(opened, 0);
  const Slots set2 = api.Take(set1, 0);
  EXPECT_EQ(api.Labels(set2).size(), 3u);  // resolve only
  EXPECT_NE(api.ts->describe_state(set2).find("environment: entry 0 used 1/1, entry 1 used 2/2"),
            std::string::npos);
  // States: open used or not (and control state with it) x set count 0..2; last is 0 or 2.
  EXPECT_EQ(Bfs(*api.ts).states, 6u);
}

TEST(Environment, AlternativesShareOneBudget) {
  Api api;
  api.Entry({T(0), T(1)}, 1);  // {a.open, a.close} once
  api.Build();
  const Slots init = api.ts->initial_state();
  const auto labels = api.Labels(init);
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0], "a: open [CLOSED -> OPEN] call open");
  EXPECT_EQ(labels[1], "a: close [CLOSED -> CLOSED] call close");
  EXPECT_TRUE(api.Labels(api.Take(init, 0)).empty());
  EXPECT_TRUE(api.Labels(api.Take(init, 1)).empty());
  EXPECT_EQ(Bfs(*api.ts).states, 3u);
}

TEST(Environment, ScriptOrder) {
  Api api;
  api.env().script = true;
  api.Entry({T(0)}, std::nullopt);       // a.open
  api.Entry({T(2, {1})}, std::nullopt);  // a.set(1)
  api.Entry({T(1)}, std::nullopt);       // a.close
  api.Entry({T(0)}, std::nullopt);       // a.open
  api.Build();
  Slots s = api.ts->initial_state();
  const std::vector<std::string> expect = {
      "a: open [CLOSED -> OPEN] call open",
      "a: set [OPEN -> OPEN] call set(1)",
      "a: close [OPEN -> CLOSED] call close",
      "a: open [CLOSED -> OPEN] call open",
  };
  for (size_t k = 0; k < expect.size(); ++k) {
    const auto succ = Succs(*api.ts, s);
    ASSERT_EQ(succ.size(), 1u) << k;
    EXPECT_EQ(api.ts->describe_label(succ[0].label), expect[k]);
    EXPECT_EQ(succ[0].label.env_entry, static_cast<int>(k));
    s = succ[0].state;
  }
  EXPECT_TRUE(Succs(*api.ts, s).empty());
  EXPECT_NE(api.ts->describe_state(s).find("environment: script step 4 of 4"), std::string::npos);
  EXPECT_EQ(Bfs(*api.ts).states, 5u);
}

TEST(Environment, FixedAndFreeArguments) {
  Api api;
  api.Entry({T(4, {std::nullopt, 2})}, std::nullopt);  // a.pair(any, 2)
  api.Entry({T(4, {1})}, std::nullopt);                // a.pair(true, any): trailing args free
  api.Build();
  const auto labels = api.Labels(api.ts->initial_state());
  const std::vector<std::string> expect = {
      "a: pair [CLOSED -> CLOSED] call pair(false, 2)",
      "a: pair [CLOSED -> CLOSED] call pair(true, 2)",
      "a: pair [CLOSED -> CLOSED] call pair(true, 1)",
      "a: pair [CLOSED -> CLOSED] call pair(true, 2)",
  };
  EXPECT_EQ(labels, expect);
}

TEST(Environment, CallsOfOtherInstancesAreNotAllowed) {
  Api api;
  api.b.AddInstance(0, "b", api.r);
  api.Entry({CallEntry::Target{1, 0, {}}}, 1);  // b.open once
  api.Build();
  const auto succ = Succs(*api.ts, api.ts->initial_state());
  ASSERT_EQ(succ.size(), 1u);
  EXPECT_EQ(succ[0].label.instance, 1);
}

}  // namespace
}  // namespace sp::ir
