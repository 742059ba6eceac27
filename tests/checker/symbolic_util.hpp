// Helpers for the symbolic engine tests.
#pragma once

#include "checker/symbolic/symbolic.hpp"
#include "checker/trace_json.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker::testing {

inline symbolic::SymbolicResult Bmc(const ir::TransitionSystem& ts, const std::vector<int>& props, int depth) {
  symbolic::SymbolicOptions o;
  o.engine = symbolic::Engine::kBmc;
  o.depth = depth;
  o.timeout_seconds = 60;
  return symbolic::check_symbolic(ts, props, o);
}

inline symbolic::SymbolicResult Kind(const ir::TransitionSystem& ts, const std::vector<int>& props, int k) {
  symbolic::SymbolicOptions o;
  o.engine = symbolic::Engine::kKind;
  o.depth = k;
  o.timeout_seconds = 60;
  return symbolic::check_symbolic(ts, props, o);
}

// The trace written as JSON replays on the explicit engine, verdict included.
inline void ExpectReplays(const ir::TransitionSystem& ts, const Trace& t) {
  const ReplayResult r = replay_trace(ts, trace_to_json(ts, t));
  EXPECT_TRUE(r.ok()) << r.mismatch << " / " << r.verdict;
}

// BMC to `depth` agrees with the explicit engine: the same violations, with
// counterexamples of the same (shortest) length that replay; nothing else violated.
inline void ExpectBmcAgrees(const ir::TransitionSystem& ts, const std::vector<int>& props, int depth) {
  const Result ex = check_safety(ts, props, Bfs());
  const symbolic::SymbolicResult r = Bmc(ts, props, depth);
  for (const Outcome& e : ex.outcomes) {
    const Outcome* s = Find(r.result, e.name);
    ASSERT_NE(s, nullptr) << e.name;
    if (e.verdict == Verdict::kViolated) {
      ASSERT_EQ(s->verdict, Verdict::kViolated) << e.name << ": " << s->message;
      EXPECT_EQ(s->trace->steps.size(), e.trace->steps.size()) << e.name;
      // A checking error may be raised by another transition at the same depth.
      if (e.property >= 0) {
        EXPECT_EQ(s->message, e.message);
      }
      ExpectReplays(ts, *s->trace);
    } else {
      EXPECT_NE(s->verdict, Verdict::kViolated) << e.name << ": " << s->message;
    }
  }
}

}  // namespace sp::checker::testing
