// Safety checking on small specs with known state counts and verdicts.
#include <gtest/gtest.h>

#include "checker/msc.hpp"
#include "checker/safety.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

using testing::Bfs;
using testing::Compile;
using testing::Find;
using testing::PropertiesOf;

// n counts up to 7; the invariant n < 5 fails at depth 5; n = 7 has no successor.
const char* kCounter = R"(
protocol counter
const K = 5
role Counter {
  states RUN
  initial RUN
  var n: int[0..7] = 0
  inc: from RUN on internal if n < 7 -> RUN { n = n + 1 }
}
system one {
  instance c: Counter
}
property small in one: always c.n < K
property ends in one: deadlock free except c.n == 7
)";

TEST(Safety, InvariantFailsAtDepthKWithShortestTrace) {
  ir::Model m = Compile(kCounter);
  ir::TransitionSystem ts(m, 0);
  Result r = check_safety(ts, PropertiesOf(m, 0), Bfs());
  const Outcome* small = Find(r, "small");
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->verdict, Verdict::kViolated);
  ASSERT_TRUE(small->trace.has_value());
  EXPECT_EQ(small->trace->steps.size(), 5u);
  EXPECT_EQ(small->trace->end, TraceEnd::kInvariant);
  EXPECT_EQ(small->trace->property, "small");
  EXPECT_EQ(small->trace->steps.back().state[ts.layout().instances[0].vars[0]], 5);
  // The search went on for the other properties: all 8 states.
  EXPECT_EQ(Find(r, "ends")->verdict, Verdict::kHolds);
  EXPECT_EQ(Find(r, "no checking errors")->verdict, Verdict::kHolds);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.stats.states, 8u);
  EXPECT_EQ(r.stats.transitions, 7u);
  EXPECT_EQ(r.stats.max_depth, 7u);
}

TEST(Safety, DfsFindsTheSameViolationAndStates) {
  ir::Model m = Compile(kCounter);
  ir::TransitionSystem ts(m, 0);
  Options o;
  o.search = Search::kDfs;
  Result r = check_safety(ts, PropertiesOf(m, 0), o);
  EXPECT_EQ(Find(r, "small")->verdict, Verdict::kViolated);
  EXPECT_EQ(Find(r, "small")->trace->steps.size(), 5u);
  EXPECT_EQ(r.stats.states, 8u);
  EXPECT_TRUE(r.complete);
}

TEST(Safety, StopsWhenEveryPropertyIsAnswered) {
  ir::Model m = Compile(kCounter);
  ir::TransitionSystem ts(m, 0);
  Options o = Bfs();
  o.check_errors = false;
  Result r = check_safety(ts, {m.find_property("small")}, o);
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].verdict, Verdict::kViolated);
  EXPECT_FALSE(r.complete);
  EXPECT_LE(r.stats.states, 7u);
}

const char* kDeadlock = R"(
protocol dl
role P {
  states A, B, C
  initial A
  a: from A on internal -> B
  b: from B on internal -> C
}
system s {
  instance p: P
}
property stuck in s: deadlock free
property fine in s: deadlock free except p in C
)";

TEST(Safety, Deadlock) {
  ir::Model m = Compile(kDeadlock);
  ir::TransitionSystem ts(m, 0);
  Result r = check_safety(ts, PropertiesOf(m, 0), Bfs());
  const Outcome* stuck = Find(r, "stuck");
  ASSERT_EQ(stuck->verdict, Verdict::kViolated);
  EXPECT_EQ(stuck->trace->steps.size(), 2u);
  EXPECT_EQ(stuck->trace->end, TraceEnd::kDeadlock);
  EXPECT_EQ(Find(r, "fine")->verdict, Verdict::kHolds);
  EXPECT_EQ(r.stats.states, 3u);
  std::string chart = format_msc(ts, *stuck->trace);
  EXPECT_NE(chart.find("p.a"), std::string::npos) << chart;
  EXPECT_NE(chart.find("deadlock"), std::string::npos) << chart;
}

const char* kAssert = R"(
protocol as
role P {
  states A
  initial A
  var n: int[0..3] = 0
  t: from A on internal if n < 3 -> A { n = n + 1  assert n != 2 }
}
system s {
  instance p: P
}
)";

TEST(Safety, AssertFailureIsACheckingError) {
  ir::Model m = Compile(kAssert);
  ir::TransitionSystem ts(m, 0);
  Result r = check_safety(ts, {}, Bfs());
  ASSERT_EQ(r.outcomes.size(), 1u);
  const Outcome& o = r.outcomes[0];
  EXPECT_EQ(o.property, -1);
  EXPECT_EQ(o.verdict, Verdict::kViolated);
  ASSERT_TRUE(o.trace.has_value());
  ASSERT_EQ(o.trace->steps.size(), 2u);
  EXPECT_TRUE(o.trace->steps.back().error.has_value());
  EXPECT_EQ(o.trace->end, TraceEnd::kError);
  EXPECT_NE(o.message.find("assert"), std::string::npos) << o.message;
}

const char* kOverflow = R"(
protocol ov
role P {
  states A
  initial A
  var n: int[0..3] = 0
  t: from A on internal -> A { n = n + 1 }
}
system s {
  instance p: P
}
property no_dead in s: deadlock free
)";

TEST(Safety, IntOverflowIsAnErrorNotADeadlock) {
  ir::Model m = Compile(kOverflow);
  ir::TransitionSystem ts(m, 0);
  Result r = check_safety(ts, PropertiesOf(m, 0), Bfs());
  const Outcome* err = Find(r, "no checking errors");
  ASSERT_EQ(err->verdict, Verdict::kViolated);
  EXPECT_EQ(err->trace->steps.size(), 4u);
  EXPECT_TRUE(err->trace->steps.back().error.has_value());
  // n = 3 has an error successor only: that is not a deadlock.
  EXPECT_EQ(Find(r, "no_dead")->verdict, Verdict::kHolds);
  EXPECT_EQ(r.stats.states, 4u);
}

const char* kChannel = R"(
protocol ch
message M { x: int[0..1] }
role S {
  port net: M
  states A
  initial A
  snd: from A on internal -> A { send net { x = 1 } }
}
role R {
  port net: M
  states A
  initial A
}
system s {
  instance a: S
  instance b: R
  channel a.net -> b.net capacity 2
}
)";

TEST(Safety, ChannelOverflow) {
  ir::Model m = Compile(kChannel);
  ir::TransitionSystem ts(m, 0);
  Result r = check_safety(ts, {}, Bfs());
  const Outcome& o = r.outcomes[0];
  ASSERT_EQ(o.verdict, Verdict::kViolated);
  EXPECT_EQ(o.trace->steps.size(), 3u);
  EXPECT_TRUE(o.trace->steps.back().error.has_value());
  std::string chart = format_msc(ts, *o.trace);
  EXPECT_NE(chart.find("|------"), std::string::npos) << chart;
  EXPECT_NE(chart.find("ERROR"), std::string::npos) << chart;
}

// Two independent processes: the state space is the product.
const char* kProduct = R"(
protocol prod
role A {
  states X
  initial X
  var n: int[0..3] = 0
  t: from X on internal -> X { n = (n + 1) % 4 }
}
role B {
  states P, Q, R
  initial P
  pq: from P on internal -> Q
  qr: from Q on internal -> R
  rp: from R on internal -> P
}
system s {
  instance a: A
  instance b: B
}
property no_dead in s: deadlock free
)";

TEST(Safety, IndependentProcessesGiveTheProduct) {
  ir::Model m = Compile(kProduct);
  ir::TransitionSystem ts(m, 0);
  Result r = check_safety(ts, PropertiesOf(m, 0), Bfs());
  EXPECT_EQ(r.stats.states, 12u);
  EXPECT_EQ(r.stats.transitions, 24u);
  EXPECT_EQ(Find(r, "no_dead")->verdict, Verdict::kHolds);
  EXPECT_TRUE(r.complete);
}

// A sender and a receiver over lossy channels: a few thousand states.
const char* kLink = R"(
protocol link
message Pkt { seq: int[0..3] }
role Sender {
  port net: Pkt
  states IDLE, WAIT
  initial IDLE
  var s: int[0..3] = 0
  var tries: int[0..2] = 0
  timer rtx = 1s
  go: from IDLE on internal -> WAIT { send net { seq = s }  start rtx  tries = 0 }
  retx: from WAIT on timeout rtx if tries < 2 -> WAIT { send net { seq = s }  start rtx  tries = tries + 1 }
  ack: from WAIT on recv net(p) if p.seq == s -> IDLE { s = (s + 1) % 4  stop rtx }
  stale: from WAIT on recv net(p) if p.seq != s -> WAIT
  late: from IDLE on recv net(p) -> IDLE
}
role Receiver {
  port net: Pkt
  states R
  initial R
  var e: int[0..3] = 0
  got: from R on recv net(p) -> R {
    if p.seq == e { e = (e + 1) % 4 }
    send net { seq = p.seq }
  }
}
system pair {
  instance snd: Sender
  instance rcv: Receiver
  channel snd.net -> rcv.net capacity 4 lossy 2
  channel rcv.net -> snd.net capacity 4 lossy 2
}
property in_step in pair: always (rcv.e == snd.s || rcv.e == (snd.s + 1) % 4)
property live in pair: deadlock free
)";

TEST(Safety, ThreadedAndSingleThreadedCountsAgree) {
  ir::Model m = Compile(kLink);
  ir::TransitionSystem ts(m, 0);
  Result one = check_safety(ts, PropertiesOf(m, 0), Bfs(1));
  ASSERT_TRUE(one.complete);
  EXPECT_GT(one.stats.states, 1000u);
  for (int jobs : {2, 3, 4}) {
    Result many = check_safety(ts, PropertiesOf(m, 0), Bfs(jobs));
    EXPECT_TRUE(many.complete);
    EXPECT_EQ(many.stats.states, one.stats.states) << jobs << " jobs";
    EXPECT_EQ(many.stats.transitions, one.stats.transitions) << jobs << " jobs";
    EXPECT_EQ(many.stats.max_depth, one.stats.max_depth) << jobs << " jobs";
    for (size_t k = 0; k < one.outcomes.size(); ++k) {
      EXPECT_EQ(many.outcomes[k].verdict, one.outcomes[k].verdict) << one.outcomes[k].name;
      if (one.outcomes[k].trace) {
        // Shortest counterexamples have the same length whatever the thread count.
        EXPECT_EQ(many.outcomes[k].trace->steps.size(), one.outcomes[k].trace->steps.size());
      }
    }
  }
  Options dfs;
  dfs.search = Search::kDfs;
  Result d = check_safety(ts, PropertiesOf(m, 0), dfs);
  EXPECT_EQ(d.stats.states, one.stats.states);
  EXPECT_EQ(d.stats.transitions, one.stats.transitions);
}

TEST(Safety, ThreadedGrowthFromASmallTable) {
  // Enough states to grow the 2^16-bucket table several times under 2 workers.
  const char* spec = R"(
protocol grid
role A {
  states X
  initial X
  var a: int[0..255] = 0
  var b: int[0..255] = 0
  var c: int[0..3] = 0
  ia: from X on internal -> X { a = (a + 1) % 256 }
  ib: from X on internal -> X { b = (b + 7) % 256 }
  ic: from X on internal -> X { c = (c + 1) % 4 }
}
system s {
  instance x: A
}
)";
  ir::Model m = Compile(spec);
  ir::TransitionSystem ts(m, 0);
  Result r2 = check_safety(ts, {}, Bfs(2));
  EXPECT_EQ(r2.stats.states, 256u * 256u * 4u);
  EXPECT_EQ(r2.stats.transitions, 3u * 256u * 256u * 4u);
  EXPECT_EQ(r2.outcomes[0].verdict, Verdict::kHolds);
}

TEST(Safety, MaxStatesGivesUnknown) {
  ir::Model m = Compile(kLink);
  ir::TransitionSystem ts(m, 0);
  Options o = Bfs(2);
  o.max_states = 100;
  Result r = check_safety(ts, PropertiesOf(m, 0), o);
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.limit, "max-states");
  EXPECT_GE(r.stats.states, 100u);
  EXPECT_LT(r.stats.states, 120u);
  for (const Outcome& out : r.outcomes) {
    if (out.verdict != Verdict::kViolated) {
      EXPECT_EQ(out.verdict, Verdict::kUnknown) << out.name;
    }
  }
  Options d;
  d.search = Search::kDfs;
  d.max_states = 100;
  Result rd = check_safety(ts, PropertiesOf(m, 0), d);
  EXPECT_EQ(rd.limit, "max-states");
}

TEST(Safety, TimeoutGivesUnknown) {
  ir::Model m = Compile(kLink);
  ir::TransitionSystem ts(m, 0);
  Options o = Bfs(1);
  o.timeout_seconds = 1e-9;
  Result r = check_safety(ts, PropertiesOf(m, 0), o);
  EXPECT_EQ(r.limit, "timeout");
  EXPECT_FALSE(r.complete);
}

TEST(Safety, HashCompactAndBitstateOnASmallModel) {
  ir::Model m = Compile(kLink);
  ir::TransitionSystem ts(m, 0);
  Result full = check_safety(ts, PropertiesOf(m, 0), Bfs(1));
  Options hc = Bfs(2);
  hc.store = StoreMode::kHashCompact;
  Result h = check_safety(ts, PropertiesOf(m, 0), hc);
  EXPECT_EQ(h.stats.states, full.stats.states);  // no collision at this size
  EXPECT_GT(h.omission_probability, 0.0);
  EXPECT_LT(h.omission_probability, 1e-9);
  Options bs;
  bs.store = StoreMode::kBitstate;
  bs.bitstate_log2 = 24;
  Result b = check_safety(ts, PropertiesOf(m, 0), bs);
  EXPECT_EQ(b.stats.states, full.stats.states);
  EXPECT_GT(b.hash_factor, 100.0);
  for (size_t k = 0; k < full.outcomes.size(); ++k) {
    EXPECT_EQ(b.outcomes[k].verdict, full.outcomes[k].verdict);
    EXPECT_EQ(h.outcomes[k].verdict, full.outcomes[k].verdict);
  }
}

TEST(Safety, ViolationInTheInitialState) {
  const char* spec = R"(
protocol init
role P {
  states A, B
  initial A
  t: from A on internal -> B
}
system s {
  instance p: P
}
property never_a in s: always p in B
)";
  ir::Model m = Compile(spec);
  ir::TransitionSystem ts(m, 0);
  Result r = check_safety(ts, PropertiesOf(m, 0), Bfs());
  ASSERT_EQ(Find(r, "never_a")->verdict, Verdict::kViolated);
  EXPECT_EQ(Find(r, "never_a")->trace->steps.size(), 0u);
}

}  // namespace
}  // namespace sp::checker
