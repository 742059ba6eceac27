// Channels that duplicate by redelivery (`dup [K] redeliver`, docs/language.md
// "Channels"): the alternating-bit protocol of tests/checker/specs/abp_redeliver.sp keeps
// every safety property (system abp), and the receiver that ignores the bit delivers a
// redelivered frame twice (abp_bug). The explicit search, BMC and SPIN on the Promela
// export give the same verdicts; SPIN counts the same states; the counterexamples show
// the redelivery and replay.
#include <gtest/gtest.h>

#include <map>

#include "checker/msc.hpp"
#include "compiler/ir/promela.hpp"
#include "tests/checker/spin_run.hpp"
#include "tests/checker/symbolic_util.hpp"

namespace sp::checker {
namespace {

ir::Model LoadSpec() {
  const auto text = testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + "/tests/checker/specs/abp_redeliver.sp");
  EXPECT_TRUE(text);
  return testing::Compile(text.value_or(""));
}

// Property name -> violated, for the safety properties and "no checking errors".
std::map<std::string, bool> Verdicts(const Result& r) {
  std::map<std::string, bool> v;
  for (const Outcome& o : r.outcomes) v[o.name] = o.verdict == Verdict::kViolated;
  return v;
}

TEST(Redeliver, ExplicitFindsTheDoubleDeliveryOnlyWithTheBuggyReceiver) {
  const ir::Model m = LoadSpec();
  for (const std::string sys : {"abp", "abp_bug"}) {
    SCOPED_TRACE(sys);
    const int s = m.find_system(sys);
    ASSERT_GE(s, 0);
    ir::TransitionSystem ts(m, s);
    const Result r = check_safety(ts, testing::PropertiesOf(m, s), testing::Bfs());
    ASSERT_TRUE(r.complete);
    for (const auto& [name, violated] : Verdicts(r)) EXPECT_EQ(violated, name == "in_order_bug") << name;
    if (sys != "abp_bug") continue;
    const Outcome* bad = testing::Find(r, "in_order_bug");
    ASSERT_TRUE(bad->trace.has_value());
    // Sent once, received and kept, received again.
    ASSERT_EQ(bad->trace->steps.size(), 3u);
    EXPECT_TRUE(bad->trace->steps[1].label.redelivered);
    EXPECT_FALSE(bad->trace->steps[2].label.redelivered);
    EXPECT_TRUE(bad->trace->steps[0].label.sends.size() == 1 && !bad->trace->steps[0].label.sends[0].duplicated);
    const std::string chart = format_msc(ts, *bad->trace, MscOptions{});
    EXPECT_NE(chart.find("<- Frame{bit=0, d=0} from sender  KEPT (stays queued: delivered again later)"),
              std::string::npos)
        << chart;
    testing::ExpectReplays(ts, *bad->trace);
  }
}

TEST(Redeliver, BmcAgreesWithTheExplicitSearch) {
  const ir::Model m = LoadSpec();
  for (const std::string sys : {"abp", "abp_bug"}) {
    SCOPED_TRACE(sys);
    const int s = m.find_system(sys);
    ir::TransitionSystem ts(m, s);
    testing::ExpectBmcAgrees(ts, testing::PropertiesOf(m, s), 6);
  }
}

TEST(Redeliver, SpinAgreesOnTheExport) {
  if (!testing::HaveTool("spin") || !testing::HaveTool("gcc")) {
    GTEST_SKIP() << "needs spin and gcc (scripts/install-deps.sh installs Debian's spin)";
  }
  const ir::Model m = LoadSpec();
  for (const std::string sys : {"abp", "abp_bug"}) {
    SCOPED_TRACE(sys);
    const int s = m.find_system(sys);
    ir::TransitionSystem ts(m, s);
    const Result ours = check_safety(ts, testing::PropertiesOf(m, s), testing::Bfs());
    std::string error;
    const std::optional<ir::PromelaModel> pml = ir::to_promela(m, s, &error);
    ASSERT_TRUE(pml) << error;
    EXPECT_NE(pml->text.find("inline keep_"), std::string::npos);
    const testing::PanDir dir("sp_redeliver", pml->text);
    ASSERT_FALSE(dir.path().empty());
    std::string log;
    ASSERT_TRUE(testing::BuildPan(dir.path(), "", "-O0 -DSAFETY -DNOREDUCE", &log)) << log;
    const testing::PanRun run = testing::RunPan(dir.path(), "-c0 -m100000 -w20");
    ASSERT_TRUE(run.ok) << run.output;
    EXPECT_EQ(run.states, ours.stats.states) << run.output;
    std::set<std::string> want;
    for (const auto& [name, violated] : Verdicts(ours)) {
      if (violated) want.insert("assertion violated prop_" + name);
    }
    EXPECT_EQ(run.messages, want) << run.output;
  }
}

// More than two copies: `dup 2 redeliver` delivers one message three times; send-time
// `dup 2` makes at most two copies of a message (each duplication is of one send).
TEST(Redeliver, OneMessageUpToBudgetPlusOneTimes) {
  const std::string text = R"(
protocol three
message M { v: int[0..2] }
role S {
  port out: M
  states A, B
  initial A
  go: from A on internal -> B { send out { v = 1 } send out { v = 2 } }
}
role R {
  port inp: M
  states W
  initial W
  var a: int[0..2] = 0
  var b: int[0..2] = 0
  var c: int[0..2] = 0
  var n: int[0..3] = 0
  take: from W on recv inp(m) if n < 3 -> same {
    if n == 0 { a = m.v } else { if n == 1 { b = m.v } else { c = m.v } }
    n = n + 1
  }
}
system sys {
  instance s: S
  instance r: R
  channel s.out -> r.inp capacity 4 CHANNEL
}
property not_thrice in sys: always !(r.a == 1 && r.b == 1 && r.c == 1)
property not_after_other in sys: always !(r.a == 1 && r.b == 2 && r.c == 1)
)";
  struct Case {
    std::string channel;
    bool thrice, after_other;
  };
  for (const Case& k : {Case{"dup 2 redeliver", true, false}, Case{"dup 2", false, false},
                        Case{"dup 2 redeliver bag", true, true}, Case{"dup 1 redeliver", false, false}}) {
    SCOPED_TRACE(k.channel);
    std::string t = text;
    t.replace(t.find("CHANNEL"), 7, k.channel);
    const ir::Model m = testing::Compile(t);
    ir::TransitionSystem ts(m, 0);
    const Result r = check_safety(ts, testing::PropertiesOf(m, 0), testing::Bfs());
    EXPECT_EQ(testing::Find(r, "not_thrice")->verdict == Verdict::kViolated, k.thrice);
    EXPECT_EQ(testing::Find(r, "not_after_other")->verdict == Verdict::kViolated, k.after_other);
    EXPECT_NE(testing::Find(r, "no checking errors")->verdict, Verdict::kViolated);
    testing::ExpectBmcAgrees(ts, testing::PropertiesOf(m, 0), 5);
  }
}

}  // namespace
}  // namespace sp::checker
