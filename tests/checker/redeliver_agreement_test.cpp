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

}  // namespace
}  // namespace sp::checker
