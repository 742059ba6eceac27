// Agreement on the shipped specs: BMC to a small depth finds exactly the violations the
// explicit engine finds within that depth (same length, message, replayable trace), and
// none where the explicit engine finds none. Small sizes (MAX_RETX = 1, 3-bit sequence
// numbers, shallow depths) keep it within the CI budget; bench/symbolic.sh runs more.
#include <gtest/gtest.h>

#include "tests/checker/symbolic_util.hpp"

namespace sp::checker {
namespace {

struct Case {
  const char* file;
  int depth;
};

// Every arp spec to depth 2 (the broadcast/reply bugs are 2 steps deep); tcp.sp and the
// SYN-retransmission variant (a 3-step deadlock) to depth 3.
const Case kCases[] = {
    {"arp.sp", 2},
    {"variants/arp_cache_broadcast.sp", 2},
    {"variants/arp_reply_any.sp", 2},
    {"variants/arp_no_give_up.sp", 2},
    {"tcp.sp", 3},
    {"variants/tcp_no_syn_retx.sp", 3},
    // Blocking channels and channel conditions (docs/language.md): the ABP to depth 6,
    // and a 2-step deadlock of sends that block.
    {"tests/checker/specs/abp_blocking.sp", 6},
    {"tests/checker/specs/blocking_deadlock.sp", 3},
    // set<int[0..3]> with union, difference, intersection: a 9-step violation.
    {"tests/checker/specs/window_sets.sp", 9},
    // At most 2 consecutive losses (`lossy consecutive 2`).
    {"tests/checker/specs/abp_consecutive.sp", 6},
    // list<T, N>: append, index, head, tail, lists in messages; an 8-step violation.
    {"tests/checker/specs/list_relay.sp", 8},
    // seq mod 3 (go-back-N): every property holds to depth 6.
    {"tests/checker/specs/gbn_seq_mod.sp", 6},
};

class Agreement : public ::testing::TestWithParam<Case> {};

TEST_P(Agreement, BmcFindsWhatExplicitFindsWithinTheDepth) {
  const Case& c = GetParam();
  const bool test_spec = std::string(c.file).rfind("tests/", 0) == 0;  // else under spec/
  const auto text = testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + (test_spec ? "/" : "/spec/") + c.file);
  if (!text) GTEST_SKIP() << c.file << " not available";
  CompileOptions co;
  if (std::string(c.file).find("tcp") != std::string::npos) co.const_overrides = {{"MAX_RETX", 1}};
  SourceFile file{c.file, *text};
  Diagnostics diags(file);
  ir::Model m;
  co.warnings = false;
  ASSERT_TRUE(compile_spec(diags, co, m)) << diags.format_all();
  for (size_t s = 0; s < m.systems.size(); ++s) {
    ir::TransitionSystem ts(m, static_cast<int>(s));
    const std::vector<int> props = testing::PropertiesOf(m, static_cast<int>(s));
    // The explicit search, breadth-first, stopped early: it has seen every state within
    // the depth (checked below), so it has every violation that short.
    Options o = testing::Bfs(1);
    o.max_states = 20000;
    const Result ex = check_safety(ts, props, o);
    if (!ex.complete) {
      ASSERT_GT(ex.stats.max_depth, static_cast<uint64_t>(c.depth)) << c.file;
    }
    const symbolic::SymbolicResult r = testing::Bmc(ts, props, c.depth);
    for (const Outcome& e : ex.outcomes) {
      const Outcome* sym = testing::Find(r.result, e.name);
      ASSERT_NE(sym, nullptr) << e.name;
      const bool short_violation = e.verdict == Verdict::kViolated && e.trace &&
                                   e.trace->steps.size() <= static_cast<size_t>(c.depth);
      if (short_violation) {
        ASSERT_EQ(sym->verdict, Verdict::kViolated) << c.file << ": " << e.name << ": " << sym->message;
        EXPECT_EQ(sym->trace->steps.size(), e.trace->steps.size()) << c.file << ": " << e.name;
        testing::ExpectReplays(ts, *sym->trace);
      } else {
        EXPECT_NE(sym->verdict, Verdict::kViolated) << c.file << ": " << e.name << ": " << sym->message;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Specs, Agreement, ::testing::ValuesIn(kCases));

}  // namespace
}  // namespace sp::checker
