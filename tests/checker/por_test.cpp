// Partial-order reduction (checker/por.hpp): small specs where each condition of an
// ample set matters (a reduction without it misses the violation), the reduction on the
// shipped specs (verdicts as without it, fewer or as many states, the same for 1 and 2
// workers), and that it reduces tcp.sp's pair.
#include <gtest/gtest.h>

#include <filesystem>

#include "checker/por.hpp"
#include "checker/safety.hpp"
#include "checker/trace_build.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

using testing::Bfs;
using testing::BfsPor;
using testing::Compile;
using testing::Find;
using testing::PropertiesOf;

const std::string kSource = STATEPROOF_SOURCE_DIR;

// Checks with and without the reduction: the same verdict for every property; the
// reduced search stores no more states. Returns the reduced result.
Result BothWays(const ir::TransitionSystem& ts, const std::vector<int>& props, int jobs = 1) {
  const Result full = check_safety(ts, props, Bfs(jobs));
  const Result reduced = check_safety(ts, props, BfsPor(jobs));
  EXPECT_EQ(full.outcomes.size(), reduced.outcomes.size());
  for (size_t k = 0; k < full.outcomes.size() && k < reduced.outcomes.size(); ++k) {
    EXPECT_EQ(reduced.outcomes[k].verdict, full.outcomes[k].verdict)
        << full.outcomes[k].name << ": " << full.outcomes[k].message << " / " << reduced.outcomes[k].message;
    if (reduced.outcomes[k].verdict == Verdict::kViolated) {
      // The counterexample was rebuilt from successor numbers: it must be a real run.
      EXPECT_TRUE(reduced.outcomes[k].trace.has_value()) << full.outcomes[k].name;
    }
  }
  if (full.complete && reduced.complete) {
    EXPECT_LE(reduced.stats.states, full.stats.states);
  }
  EXPECT_EQ(full.reduced_states, 0u);
  return reduced;
}

// A receive that the other instance can enable later is a disabled transition that is
// not stable: a takes `leave` alone only if b can never send first. b's message, received
// in S, fails an assert; after `leave` it cannot be received in S any more.
const char* kEnabledLater = R"(
protocol later
message M { v: int[0..1] }
role A {
  port net: M
  states S, T
  initial S
  leave: from S on internal -> T
  got: from S on recv net(m) -> S { assert m.v == 0 }
  late: from T on recv net(m) -> T
}
role B {
  port net: M
  states X, Y
  initial X
  go: from X on internal -> Y { send net { v = 1 } }
}
system s {
  instance a: A
  instance b: B
  channel b.net -> a.net capacity 1
}
)";

TEST(Por, AReceiveOthersCanEnableKeepsTheInstanceFromBeingAlone) {
  ir::Model m = Compile(kEnabledLater);
  ir::TransitionSystem ts(m, 0);
  const Result r = BothWays(ts, {});
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].verdict, Verdict::kViolated);
  ASSERT_TRUE(r.outcomes[0].trace.has_value());
  EXPECT_TRUE(r.outcomes[0].trace->steps.back().error.has_value());
  EXPECT_GT(r.reduced_states, 0u);  // b's send is explored alone at the start
}

// A receive is not a key: b sends twice into a queue of capacity 1; receiving first
// hides the overflow, so a's receive must not be explored alone.
const char* kOverflow = R"(
protocol overflow
message M { v: int[0..1] }
role A {
  port net: M
  states S
  initial S
  take: from S on recv net(m) -> S
}
role B {
  port net: M
  states X, Y, Z
  initial X
  one: from X on internal -> Y { send net { v = 0 } }
  two: from Y on internal -> Z { send net { v = 1 } }
}
system s {
  instance a: A
  instance b: B
  channel b.net -> a.net capacity 1
}
)";

TEST(Por, AReceiveFromAQueueOthersFillIsNeverTheKey) {
  ir::Model m = Compile(kOverflow);
  ir::TransitionSystem ts(m, 0);
  detail::AmpleSets sets(ts, {});
  EXPECT_TRUE(sets.safe(0, 0));   // take commutes with b's sends...
  EXPECT_FALSE(sets.key(0, 0));   // ...but may not be postponed past them
  EXPECT_TRUE(sets.key(1, 0));    // one: b is the queue's only sender
  const Result r = BothWays(ts, {});
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].verdict, Verdict::kViolated) << "the overflow of b's second send";
  EXPECT_NE(r.outcomes[0].message.find("overflows"), std::string::npos) << r.outcomes[0].message;
}

// A send to a full `blocking` queue disables the step until the receiver makes room: a
// transition with such a send is not stable. a's second send is blocked until b takes
// the first; exploring a's `quit` alone there would never let a send again and fail.
const char* kBlocked = R"(
protocol blocked
message M { v: int[0..1] }
role A {
  port net: M
  states S, S2, S3, Q
  initial S
  first: from S on internal -> S2 { send net { v = 0 } }
  again: from S2 on internal -> S3 { send net { v = 1 } }
  quit: from S2 on internal -> Q
  boom: from S3 on internal -> S3 { assert false }
}
role B {
  port net: M
  states X
  initial X
  take: from X on recv net(m) -> X
}
system s {
  instance a: A
  instance b: B
  channel a.net -> b.net capacity 1 blocking
}
)";

TEST(Por, ASendToABlockingQueueIsNotStable) {
  ir::Model m = Compile(kBlocked);
  ir::TransitionSystem ts(m, 0);
  detail::AmpleSets sets(ts, {});
  EXPECT_FALSE(sets.stable(0, 1));  // again
  EXPECT_TRUE(sets.key(0, 2));      // quit
  const Result r = BothWays(ts, {});
  ASSERT_EQ(r.outcomes.size(), 1u);
  EXPECT_EQ(r.outcomes[0].verdict, Verdict::kViolated) << "boom, after b made room";
}

// Visibility: a key writes nothing an invariant reads. The invariant is violated only
// where a is still in S when b reaches Y; taking a's `leave` alone first would miss it.
const char* kVisible = R"(
protocol visible
role A {
  states S, T
  initial S
  leave: from S on internal -> T
}
role B {
  states X, Y
  initial X
  go: from X on internal -> Y
}
system s {
  instance a: A
  instance b: B
}
property b_after_a in s: never (b in Y && a in S)
)";

TEST(Por, AKeyChangesNoInvariant) {
  ir::Model m = Compile(kVisible);
  ir::TransitionSystem ts(m, 0);
  const Result r = BothWays(ts, PropertiesOf(m, 0));
  EXPECT_EQ(Find(r, "b_after_a")->verdict, Verdict::kViolated);
  // Without the invariant both instances are independent: one interleaving suffices.
  const Result deadlock_only = BothWays(ts, {});
  EXPECT_EQ(deadlock_only.stats.states, 3u);  // (S,X) -> (T,X) -> (T,Y)
}

// The cycle proviso: a's `tick` loops between two states and is invisible; without the
// proviso the search would take it alone forever (BFS: the two states, nothing else) and
// never let b move.
const char* kIgnoring = R"(
protocol ignoring
role A {
  states S
  initial S
  var x: int[0..1] = 0
  tick: from S on internal -> S { x = 1 - x }
}
role B {
  states X, Y
  initial X
  go: from X on internal -> Y
}
system s {
  instance a: A
  instance b: B
}
property b_stays in s: always b in X
)";

TEST(Por, EveryCycleHasAFullyExpandedState) {
  ir::Model m = Compile(kIgnoring);
  ir::TransitionSystem ts(m, 0);
  const Result r = BothWays(ts, PropertiesOf(m, 0));
  EXPECT_EQ(Find(r, "b_stays")->verdict, Verdict::kViolated);
}

// Two independent processes: one interleaving of their steps instead of the product.
const char* kProduct = R"(
protocol prod
role A {
  states X
  initial X
  var n: int[0..3] = 0
  t: from X on internal if n < 3 -> X { n = n + 1 }
}
role B {
  states P, Q, R
  initial P
  pq: from P on internal -> Q
  qr: from Q on internal -> R
}
system s {
  instance a: A
  instance b: B
}
property ends in s: deadlock free except (a.n == 3 && b in R)
)";

TEST(Por, IndependentProcessesGiveOneInterleaving) {
  ir::Model m = Compile(kProduct);
  ir::TransitionSystem ts(m, 0);
  const Result full = check_safety(ts, PropertiesOf(m, 0), Bfs());
  EXPECT_EQ(full.stats.states, 12u);  // 4 x 3
  const Result r = BothWays(ts, PropertiesOf(m, 0));
  EXPECT_EQ(Find(r, "ends")->verdict, Verdict::kHolds);
  EXPECT_EQ(r.stats.states, 6u);  // a's 3 steps, then b's 2
  EXPECT_EQ(r.reduced_states, 5u);
  // A deadlock the reduction must still reach: the only one is (3, R), excused above.
  std::string unexcused = kProduct;
  unexcused.replace(unexcused.find("except"), std::string("except (a.n == 3 && b in R)").size(), "");
  ir::Model bad = Compile(unexcused);
  ir::TransitionSystem bad_ts(bad, 0);
  const Result d = BothWays(bad_ts, PropertiesOf(bad, 0));
  EXPECT_EQ(Find(d, "ends")->verdict, Verdict::kViolated);
  ASSERT_TRUE(Find(d, "ends")->trace.has_value());
  EXPECT_EQ(Find(d, "ends")->trace->steps.size(), 5u);
}

// Every shipped spec (TCP at MAX_RETX=1): the same verdicts with and without the
// reduction, and the same reduced state space for 1 and 2 workers.
std::vector<std::string> SpecFiles() {
  std::vector<std::string> out = {"spec/tcp.sp", "spec/arp.sp"};
  for (const char* dir : {"spec/variants", "spec/examples", "tests/checker/specs"}) {
    for (const auto& e : std::filesystem::directory_iterator(kSource + "/" + dir)) {
      if (e.path().extension() == ".sp") out.push_back(std::string(dir) + "/" + e.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class PorShipped : public ::testing::TestWithParam<std::string> {};

TEST_P(PorShipped, SameVerdictsAsTheFullSearch) {
  const std::string rel = GetParam();
  const std::optional<std::string> text = testing::ReadFile(kSource + "/" + rel);
  ASSERT_TRUE(text) << rel;
  CompileOptions o;
  if (rel.find("tcp") != std::string::npos) o.const_overrides.emplace_back("MAX_RETX", 1);
  // ARP at its smallest: a buggy variant's full search at the defaults (arp_reply_any:
  // over 14 M states, minutes) is too long for a test that searches each spec four times.
  if (rel.find("arp") != std::string::npos) {
    o.const_overrides.emplace_back("MAX_TRIES", 0);
    o.const_overrides.emplace_back("CACHE_SIZE", 1);
  }
  const ir::Model m = Compile(*text, o);
  for (size_t s = 0; s < m.systems.size(); ++s) {
    if (!m.systems[s].errors.empty()) continue;
    ir::TransitionSystem ts(m, static_cast<int>(s));
    const std::vector<int> props = PropertiesOf(m, static_cast<int>(s));
    const Result one = BothWays(ts, props, 1);
    const Result two = check_safety(ts, props, BfsPor(2));
    EXPECT_EQ(two.stats.states, one.stats.states) << rel << " " << m.systems[s].name;
    EXPECT_EQ(two.reduced_states, one.reduced_states) << rel << " " << m.systems[s].name;
    // Deadlocks alone need no visibility: the reduction is at least as strong.
    std::vector<int> deadlocks;
    for (int p : props) {
      if (m.properties[static_cast<size_t>(p)].kind == ir::PropertyKind::kDeadlock) deadlocks.push_back(p);
    }
    const Result d = BothWays(ts, deadlocks, 1);
    if (d.complete && one.complete) {
      EXPECT_LE(d.stats.states, one.stats.states) << rel;
    }
  }
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = std::filesystem::path(info.param).stem().string();
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Shipped, PorShipped, ::testing::ValuesIn(SpecFiles()), TestName);

// tcp.sp's pair: the deadlock property alone is checked on fewer states, with the same
// verdict (MAX_RETX=1: 102,540 states without the reduction).
TEST(Por, ReducesTcpPair) {
  const std::optional<std::string> text = testing::ReadFile(kSource + "/spec/tcp.sp");
  ASSERT_TRUE(text);
  CompileOptions o;
  o.const_overrides.emplace_back("MAX_RETX", 1);
  const ir::Model m = Compile(*text, o);
  const int sys = m.find_system("pair");
  ASSERT_GE(sys, 0);
  ir::TransitionSystem ts(m, sys);
  const Result r = BothWays(ts, {m.find_property("no_deadlock")}, 2);
  EXPECT_EQ(Find(r, "no_deadlock")->verdict, Verdict::kHolds);
  EXPECT_TRUE(r.complete);
  EXPECT_LT(r.stats.states, 102540u);
  EXPECT_GT(r.reduced_states, 0u);
}

}  // namespace
}  // namespace sp::checker
