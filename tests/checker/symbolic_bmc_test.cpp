// Bounded model checking on small specs with known counterexample depths; every trace
// found replays on the explicit engine.
#include <gtest/gtest.h>
#include <time.h>

#include <atomic>

#include "checker/msc.hpp"
#include "tests/checker/symbolic_util.hpp"

namespace sp::checker {
namespace {

using testing::Bmc;
using testing::Compile;
using testing::ExpectReplays;
using testing::Find;
using testing::PropertiesOf;

// n counts up to 7; `small` fails at depth 5; n = 7 has no successor (excused).
const char* kCounter = R"(
protocol counter
role Counter {
  states RUN
  initial RUN
  var n: int[0..7] = 0
  inc: from RUN on internal if n < 7 -> RUN { n = n + 1 }
}
system one {
  instance c: Counter
}
property small in one: always c.n < 5
property ends in one: deadlock free except c.n == 7
property stops in one: deadlock free
)";

TEST(SymbolicBmc, InvariantFailsAtDepthFive) {
  ir::Model m = Compile(kCounter);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Bmc(ts, PropertiesOf(m, 0), 10);
  const Outcome* small = Find(r.result, "small");
  ASSERT_EQ(small->verdict, Verdict::kViolated) << small->message;
  ASSERT_TRUE(small->trace.has_value());
  EXPECT_EQ(small->trace->steps.size(), 5u);
  EXPECT_EQ(small->trace->end, TraceEnd::kInvariant);
  EXPECT_EQ(small->message, "invariant small is violated");
  EXPECT_EQ(small->trace->steps.back().state[static_cast<size_t>(ts.layout().instances[0].vars[0])], 5);
  ExpectReplays(ts, *small->trace);
  // Deadlock at n = 7, 7 steps deep; excused by `ends`.
  const Outcome* stops = Find(r.result, "stops");
  ASSERT_EQ(stops->verdict, Verdict::kViolated) << stops->message;
  EXPECT_EQ(stops->trace->steps.size(), 7u);
  EXPECT_EQ(stops->trace->end, TraceEnd::kDeadlock);
  ExpectReplays(ts, *stops->trace);
  // Bounded: no violation is not a proof.
  EXPECT_EQ(Find(r.result, "ends")->verdict, Verdict::kUnknown);
  EXPECT_EQ(Find(r.result, "ends")->message, "no violation up to depth 10");
  EXPECT_EQ(Find(r.result, "no checking errors")->verdict, Verdict::kUnknown);
}

TEST(SymbolicBmc, TooShallowFindsNothing) {
  ir::Model m = Compile(kCounter);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Bmc(ts, {m.find_property("small")}, 4);
  EXPECT_EQ(Find(r.result, "small")->verdict, Verdict::kUnknown);
  EXPECT_EQ(r.depth, 4);
}

const char* kOverflow = R"(
protocol ov
role P {
  states A
  initial A
  var n: int[0..3] = 0
  t: from A on internal -> A { n = n + 1  assert n != 5 }
}
system s {
  instance p: P
}
property no_dead in s: deadlock free
)";

TEST(SymbolicBmc, OverflowIsACheckingErrorNotADeadlock) {
  ir::Model m = Compile(kOverflow);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Bmc(ts, PropertiesOf(m, 0), 6);
  const Outcome* err = Find(r.result, "no checking errors");
  ASSERT_EQ(err->verdict, Verdict::kViolated) << err->message;
  ASSERT_EQ(err->trace->steps.size(), 4u);
  EXPECT_TRUE(err->trace->steps.back().error.has_value());
  EXPECT_NE(err->message.find("overflows: 4"), std::string::npos) << err->message;
  ExpectReplays(ts, *err->trace);
  EXPECT_NE(Find(r.result, "no_dead")->verdict, Verdict::kViolated);
}

const char* kAssert = R"(
protocol as
role P {
  states A
  initial A
  var n: int[0..3] = 0
  t: from A on internal if n < 3 -> A { n = n + 1  if n == 2 { assert n != 2 } }
}
system s {
  instance p: P
}
)";

TEST(SymbolicBmc, AssertInsideIf) {
  ir::Model m = Compile(kAssert);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Bmc(ts, {}, 5);
  const Outcome& o = r.result.outcomes.at(0);
  ASSERT_EQ(o.verdict, Verdict::kViolated);
  EXPECT_EQ(o.trace->steps.size(), 2u);
  EXPECT_NE(o.message.find("assert"), std::string::npos);
  ExpectReplays(ts, *o.trace);
}

// A lossy link: the sender retransmits; the receiver counts what arrives. With one loss
// allowed, `got` can lag; the channel overflows when the sender sends 3 without answer.
const char* kLink = R"(
protocol link
message Pkt { n: int[0..3] }
role Sender {
  port net: Pkt
  states IDLE, WAIT
  initial IDLE
  var s: int[0..3] = 0
  timer rtx = 1s
  go: from IDLE on internal -> WAIT { send net { n = s }  start rtx }
  retx: from WAIT on timeout rtx -> WAIT { send net { n = s }  start rtx }
  ack: from WAIT on recv net(p) if p.n == s -> IDLE { s = (s + 1) % 4  stop rtx }
  stale: from WAIT on recv net(p) if p.n != s -> WAIT
  late: from IDLE on recv net(p) -> IDLE
}
role Receiver {
  port net: Pkt
  states R
  initial R
  var got: int[0..3] = 0
  rcv: from R on recv net(p) -> R { got = p.n  send net { n = p.n } }
}
system s {
  instance a: Sender
  instance b: Receiver
  channel a.net -> b.net capacity 2 lossy 1
  channel b.net -> a.net capacity 2 lossy 1
}
property got_small in s: always b.got < 2
property no_dead in s: deadlock free
)";

TEST(SymbolicBmc, LossyLinkShortestCounterexamplesMatchExplicit) {
  ir::Model m = Compile(kLink);
  ir::TransitionSystem ts(m, 0);
  testing::ExpectBmcAgrees(ts, PropertiesOf(m, 0), 12);
  EXPECT_EQ(Find(Bmc(ts, {m.find_property("got_small")}, 12).result, "got_small")->verdict, Verdict::kViolated);
}

// Sequence numbers at full width: `una` starts at 2^32 - 2 and counts up; the serial
// comparison una < nxt keeps holding across the wrap, the plain difference does not.
const char* kWrap = R"(
protocol wrap
role P {
  states A
  initial A
  var una: seq<32> = 4294967294
  var nxt: seq<32> = 4294967295
  var k: int[0..7] = 0
  t: from A on internal if k < 7 -> A { una = una + 1  nxt = nxt + 1  k = k + 1 }
}
system s {
  instance p: P
}
property serial in s: always p.una < p.nxt
property naive in s: always (p.nxt - p.una == 1 && p.nxt != 0)
)";

TEST(SymbolicBmc, FullWidthSequenceNumbersWrap) {
  CompileOptions co;
  co.seq_bits = 32;
  ir::Model m = Compile(kWrap, co);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicResult r = Bmc(ts, PropertiesOf(m, 0), 8);
  EXPECT_NE(Find(r.result, "serial")->verdict, Verdict::kViolated);
  const Outcome* naive = Find(r.result, "naive");
  ASSERT_NE(naive, nullptr);
  ASSERT_EQ(naive->verdict, Verdict::kViolated);
  ASSERT_EQ(naive->trace->steps.size(), 1u);  // nxt wraps to 0 after one step
  const size_t una = static_cast<size_t>(ts.layout().instances[0].vars[0]);
  EXPECT_EQ(naive->trace->steps.back().state[una], 4294967295);
  ExpectReplays(ts, *naive->trace);
}

// Maps, a bag channel and calls with arguments: the less common parts of the encoding,
// cross-checked against the explicit engine.
const char* kTable = R"(
protocol table
message Req { k: int[0..3], v: int[0..3] }
role Client {
  port net: Req
  calls put(k: int[0..3], v: int[0..3]), del(k: int[0..3])
  states C
  initial C
  p: from C on call put(a, b) -> C { send net { k = a, v = b } }
  d: from C on call del(a) -> C { send net { k = a, v = 0 } }
}
role Server {
  port net: Req
  states S
  initial S
  var m: map<int[0..3], int[0..3]> capacity 2
  var last: int[0..3] = 0
  upd: from S on recv net(r) if r.v != 0 -> S { m[r.k] = r.v  last = m[r.k] }
  rem: from S on recv net(r) if r.v == 0 -> S { remove m[r.k] }
}
system s {
  instance c: Client
  instance sv: Server
  channel c.net -> sv.net capacity 2 bag
  environment calls c.put at most 3, c.del at most 1
}
property few in s: always !(1 in sv.m && 2 in sv.m && sv.m[1] == 3)
property last_small in s: always sv.last < 3
)";

TEST(SymbolicBmc, MapsBagsAndCallsAgreeWithExplicit) {
  ir::Model m = Compile(kTable);
  ir::TransitionSystem ts(m, 0);
  testing::ExpectBmcAgrees(ts, PropertiesOf(m, 0), 8);
  EXPECT_EQ(Find(check_safety(ts, PropertiesOf(m, 0), testing::Bfs()), "few")->verdict, Verdict::kViolated);
}

TEST(SymbolicBmc, TimeoutIsUnknown) {
  ir::Model m = Compile(kLink);
  ir::TransitionSystem ts(m, 0);
  symbolic::SymbolicOptions o;
  o.engine = symbolic::Engine::kBmc;
  o.depth = 1000;
  o.timeout_seconds = 0.2;
  o.check_errors = false;
  symbolic::SymbolicResult r = symbolic::check_symbolic(ts, {m.find_property("no_dead")}, o);
  EXPECT_EQ(r.result.outcomes.at(0).verdict, Verdict::kUnknown);
  EXPECT_FALSE(r.result.limit.empty());
}

// The deadline holds inside Z3 too: on tcp.sp at 32 bits one depth's formula takes
// seconds to simplify and bit-blast, and the watchdog interrupts it when --timeout passes
// (symbolic.cpp, Watchdog). Every open property is then unknown, answered by the deadline.
TEST(SymbolicBmc, TimeoutHoldsWhileZ3Works) {
  const auto text = testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + "/spec/tcp.sp");
  ASSERT_TRUE(text);
  CompileOptions co;
  co.seq_bits = 32;
  ir::Model m = Compile(*text, co);
  const int sys = m.find_system("pair");
  ASSERT_GE(sys, 0);
  ir::TransitionSystem ts(m, sys);
  symbolic::SymbolicOptions o;
  o.engine = symbolic::Engine::kBmc;
  o.depth = 40;
  o.timeout_seconds = 0.5;
  symbolic::SymbolicResult r = symbolic::check_symbolic(ts, PropertiesOf(m, sys), o);
  EXPECT_EQ(r.result.limit, "timeout");
  for (const Outcome& out : r.result.outcomes) {
    if (out.message.find("LTL") != std::string::npos) continue;
    EXPECT_EQ(out.verdict, Verdict::kUnknown) << out.name;
    EXPECT_NE(out.message.find("timeout"), std::string::npos) << out.name << ": " << out.message;
    EXPECT_LT(out.stats.seconds, 0.5 + 0.4) << out.name;  // answered when the deadline passed
  }
}

// A cancelled search returns at once: the watchdog interrupts Z3, and with
// free_on_cancel = false the context of a deep unrolling is not freed (that alone took
// seconds of CPU on tcp.sp). Measured in CPU time of the calling thread from the
// cancellation to the return, so a loaded machine does not change the figure.
TEST(SymbolicBmc, CancelReturnsWithoutFreeingTheContext) {
  const auto text = testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + "/spec/tcp.sp");
  ASSERT_TRUE(text);
  ir::Model m = Compile(*text);
  const int sys = m.find_system("pair");
  ASSERT_GE(sys, 0);
  ir::TransitionSystem ts(m, sys);
  auto thread_cpu = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
  };
  std::atomic<bool> cancel{false};
  double cancelled_at = 0;
  int depths = 0;
  symbolic::SymbolicOptions o;
  o.engine = symbolic::Engine::kBmc;
  o.depth = 40;
  o.cancel = &cancel;
  o.free_on_cancel = false;
  o.progress = [&](const std::string&) {
    if (++depths == 4 && !cancel.load()) {  // depth 3 done: a context of some hundred MB
      cancelled_at = thread_cpu();
      cancel.store(true);
    }
  };
  symbolic::SymbolicResult r = symbolic::check_symbolic(ts, PropertiesOf(m, sys), o);
  const double cpu = thread_cpu() - cancelled_at;
  ASSERT_TRUE(cancel.load());
  EXPECT_EQ(r.result.limit, "interrupted");
  EXPECT_LT(cpu, 0.5) << "CPU seconds from the cancellation to the return";
  for (const Outcome& out : r.result.outcomes) {
    if (out.message.find("LTL") != std::string::npos) continue;
    EXPECT_EQ(out.verdict, Verdict::kUnknown) << out.name;
  }
}

}  // namespace
}  // namespace sp::checker
