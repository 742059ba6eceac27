// The shipped specs' exact state and transition counts, per system (safety search), so
// that a rewrite of a spec that should not change its meaning (named predicates instead
// of spelled-out guards, docs/language.md "def") is seen to keep the model the same.
// tcp.sp at one retransmission (R1) keeps the test fast; `stateproof check spec/tcp.sp`
// at the default MAX_RETX=2 gives 5,213,567 states and 17,808,710 transitions.
#include <gtest/gtest.h>

#include "checker/safety.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

struct Expected {
  const char* system;
  uint64_t states, transitions;
};

void ExpectCounts(const std::string& rel, CompileOptions options, const std::vector<Expected>& want) {
  const std::optional<std::string> text = testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + "/spec/" + rel);
  if (!text) GTEST_SKIP() << rel << " not available";
  options.warnings = false;
  const ir::Model m = testing::Compile(*text, options);
  ASSERT_EQ(m.systems.size(), want.size()) << rel;
  for (const Expected& e : want) {
    const int sys = m.find_system(e.system);
    ASSERT_GE(sys, 0) << e.system;
    ir::TransitionSystem ts(m, sys);
    Options o;
    o.jobs = 2;
    o.por = false;  // the whole state space
    const Result r = check_safety(ts, testing::PropertiesOf(m, sys), o);
    ASSERT_TRUE(r.complete) << e.system;
    EXPECT_EQ(r.stats.states, e.states) << rel << " " << e.system;
    EXPECT_EQ(r.stats.transitions, e.transitions) << rel << " " << e.system;
    for (const Outcome& out : r.outcomes) {
      EXPECT_EQ(out.verdict, Verdict::kHolds) << e.system << ": " << out.name << ": " << out.message;
    }
  }
}

TEST(SpecStateCounts, Tcp) {
  CompileOptions o;
  o.const_overrides = {{"MAX_RETX", 1}};
  ExpectCounts("tcp.sp", o, {{"pair", 102540, 330984}});
}

TEST(SpecStateCounts, Arp) {
  ExpectCounts("arp.sp", {}, {{"lan", 379392, 1600336}, {"lan_mutual", 230559, 746592}});
}

}  // namespace
}  // namespace sp::checker
