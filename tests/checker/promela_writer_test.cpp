// The Promela writer (compiler/ir/promela.hpp) on tiny specs: golden snippets of the
// generated model, fairness classification, what cannot be exported, and (when spin and
// gcc are installed) SPIN's state count against stateproof's on features the shipped
// specs do not use (bag channels, duplication, maps, call arguments from the whole domain).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "compiler/ir/promela.hpp"
#include "tests/checker/spin_run.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

using testing::Compile;

const char* kPing = R"(
protocol ping "test"
type Seq = seq<32>
message Msg { kind: enum { REQ, RSP }, n: Seq }
role Client {
  port net: Msg
  calls go
  states IDLE, WAIT, DONE
  initial IDLE
  var n: Seq = 6
  var tries: int[0..2] = 0
  var k: int[0..3] = 1
  timer rtx = 1s
  send_req: from IDLE on call go -> WAIT cite "RFC 0000 §1" {
    send net { kind = REQ, n = n }
    start rtx
  }
  retry: from WAIT on timeout rtx if tries < 2 -> same {
    tries = tries + 1
    send net { kind = REQ, n = n }
    start rtx
  }
  got: from WAIT on recv net(m) if m.kind == RSP && m.n == n -> DONE {
    n = n + k
    stop rtx
  }
  late: from DONE on timeout rtx -> DONE
}
role Server {
  port net: Msg
  states UP
  initial UP
  var seen: int[0..3] = 0
  echo: from UP on recv net(m) if m.kind == REQ -> same {
    seen = seen + 1
    send net { kind = RSP, n = m.n }
  }
}
system s {
  instance c: Client
  instance srv: Server
  channel c.net -> srv.net capacity 3 lossy 1
  channel srv.net -> c.net capacity 3
  environment calls c.go once
}
property bound in s: always srv.seen <= 3
property serial in s: always c.n < c.n + 1
property ends in s: deadlock free except c in DONE
property done in s: eventually c in DONE under weak fair c, weak fair srv
property done_t in s: eventually c in DONE under weak fair timeout
property done_plain in s: eventually c in DONE
)";

const char* kBag = R"(
protocol bagdup "bag dup map"
message M { k: int[0..2], v: bool }
role A {
  port out: M
  calls put(k: int[0..2])
  states S
  initial S
  var sent: int[0..3] = 0
  send_it: from S on call put(x) if sent < 3 -> same {
    sent = sent + 1
    send out { k = x, v = true }
  }
}
role B {
  port inp: M
  states S
  initial S
  var m: map<int[0..2], bool> capacity 3
  var got: int[0..4] = 0
  take: from S on recv inp(p) -> same {
    got = got + 1
    if p.k in m {
      remove m[p.k]
    } else {
      m[p.k] = p.v
    }
  }
}
system s {
  instance a: A
  instance b: B
  channel a.out -> b.inp capacity 4 bag dup 1
}
property small in s: always b.got <= 4
)";

ir::PromelaModel Export(const ir::Model& m) {
  std::string error;
  std::optional<ir::PromelaModel> p = ir::to_promela(m, 0, &error);
  EXPECT_TRUE(p) << error;
  return p.value_or(ir::PromelaModel{});
}

TEST(PromelaWriter, GoldenSnippets) {
  const ir::Model m = Compile(kPing);
  const std::string t = Export(m).text;
  for (const char* snippet : {
           "#define Client_IDLE 0\n",
           "typedef Msg { bit kind; byte n; }\n",
           "byte c_n = 6;\n",
           "#define c_k 1\t/* never assigned */\n",  // a variable no transition writes
           "bit c_rtx = 0;\t/* timer rtx armed */\n",
           "bit to_srv_net_loss = 1;\n",
           "hidden int sp_m0, sp_m1;",
           // The loss choice of the lossy channel, with its budget.
           "  :: to_srv_net_loss > 0 -> to_srv_net_loss--\t/* lost */\n",
           // The environment budget, the event consumed, the send.
           "  :: atomic { c_state_2 == Client_IDLE && env_0_count < 1 ->\n       env_0_count++;\n",
           // Sequence numbers: equality and arithmetic mod 2^3.
           "(((to_c_net[0].n ^ c_n) & 7) == 0)",
           "c_n = ((c_n + c_k) & 7);\n",
           // An int[0..2] assignment that may overflow is checked.
           "sp_t = (c_tries + 1);\n       assert(sp_t >= 0 && sp_t <= 2)",
           // A step with no scratch variable and no choice is a d_step.
           ":: d_step { c_state_2 == Client_DONE && c_rtx ->\n       c_rtx = 0;\n       c_state_2 = Client_DONE\n     }",
           // RFC 1982 serial order: a < b iff a != b and (b - a) mod 8 < 4.
           "& 7) < 4)",
           // The monitor: deadlock through `timeout`, invariants as named assertions.
           ":: atomic { timeout && !((c_state_2 == Client_DONE)) -> prop_ends = 0; assert(prop_ends) }",
           ":: atomic { !(srv_seen <= 3) -> prop_bound = 0; assert(prop_bound) }",
           "#ifndef LIVENESS\nactive proctype sp_monitor() {",
           "#define done_p0 (c_state_2 == Client_DONE)\n",
           "ltl done { <> (done_p0) }\n",
       }) {
    EXPECT_NE(t.find(snippet), std::string::npos) << "missing: " << snippet << "\n" << t;
  }
  // `c_state` is a Promela keyword (c_state declarations): the writer renames.
  EXPECT_EQ(t.find("byte c_state ="), std::string::npos);
}

TEST(PromelaWriter, PropertiesAndFairness) {
  const ir::Model m = Compile(kPing);
  const ir::PromelaModel p = Export(m);
  ASSERT_EQ(p.properties.size(), 6u);
  EXPECT_EQ(p.properties[0].flag, "prop_bound");
  EXPECT_EQ(p.properties[2].kind, ir::PropertyKind::kDeadlock);
  EXPECT_EQ(p.properties[3].claim, "done");
  EXPECT_EQ(p.properties[3].fairness, ir::SpinFairness::kPerProcess);      // weak fair c, weak fair srv
  EXPECT_EQ(p.properties[4].fairness, ir::SpinFairness::kNotExpressible);  // weak fair timeout
  EXPECT_EQ(p.properties[5].fairness, ir::SpinFairness::kNone);
  EXPECT_NE(p.text.find("`weak fair timeout` is not expressible in SPIN"), std::string::npos);
}

TEST(PromelaWriter, BagDupAndMapsAreSpelledOut) {
  const ir::Model m = Compile(kBag);
  const std::string t = Export(m).text;
  for (const char* snippet : {
           "byte b_m_size = 0;",
           "put_b_m();",
           "assert(b_m_size < 3);\t/* checking error: the map is full */",
           "remove_b_m()",
           // A bag offers each distinct message once: position 1 only when it differs from 0.
           "to_b_inp_len > 1 && !(to_b_inp[0].k == to_b_inp[1].k && to_b_inp[0].v == to_b_inp[1].v)",
           "  :: to_b_inp_dup > 0 -> to_b_inp_dup--; \t/* duplicated */\n",
           // Unrestricted environment: one option per argument value.
           "call put(2)",
       }) {
    EXPECT_NE(t.find(snippet), std::string::npos) << "missing: " << snippet << "\n" << t;
  }
}

TEST(PromelaWriter, WhatCannotBeExported) {
  CompileOptions wide;
  wide.seq_bits = 31;  // 2^31 - 1 does not fit the margin below Promela's 32-bit int
  const ir::Model m = Compile(kPing, wide);
  std::string error;
  EXPECT_FALSE(ir::to_promela(m, 0, &error));
  EXPECT_NE(error.find("beyond 2^30"), std::string::npos) << error;
  EXPECT_FALSE(ir::to_promela(m, 7, &error));
  EXPECT_EQ(error, "no such system");
}

// A send to a blocking channel inside an `if`: the room a step needs is known only after
// its body ran, and a Promela option's guard must decide it first.
TEST(PromelaWriter, ConditionalSendToABlockingChannelIsRefused) {
  const ir::Model m = Compile(R"(
message M { v: int[0..1] }
role P {
  port net: M
  states A
  initial A
  var x: int[0..1] = 0
  push: from A on internal -> same { x = 1 - x if x == 1 { send net { v = 1 } } }
  from A on recv net(m) -> same
}
system two {
  instance a, b: P
  channel a.net -> b.net capacity 1 blocking
}
)");
  std::string error;
  EXPECT_FALSE(ir::to_promela(m, 0, &error));
  EXPECT_EQ(error,
            "cannot export to Promela: transition push sends to the blocking channel a.net->b.net inside an `if`: "
            "not expressible in Promela "
            "(the room a step needs must be known before it starts); send unconditionally, or split the "
            "transition by the condition");
}

// SPIN stores exactly stateproof's states, on the features the shipped specs lack.
TEST(PromelaWriter, SpinCountsTheSameStates) {
  if (!testing::HaveTool("spin") || !testing::HaveTool("gcc")) GTEST_SKIP() << "needs spin and gcc";
  for (const char* spec : {kPing, kBag}) {
    const ir::Model m = Compile(spec);
    ir::TransitionSystem ts(m, 0);
    Options o;
    o.jobs = 1;
    o.por = false;  // SPIN's -DNOREDUCE state count
    const Result ours = check_safety(ts, testing::PropertiesOf(m, 0), o);
    ASSERT_TRUE(ours.complete);
    char tmpl[] = "/tmp/promela_writer_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    const std::string dir = tmpl;
    {
      std::ofstream f(dir + "/model.pml");
      f << Export(m).text;
    }
    std::string log;
    ASSERT_TRUE(testing::BuildPan(dir, "", "-O0 -DSAFETY -DNOREDUCE", &log)) << log;
    const testing::PanRun r = testing::RunPan(dir, "-c0 -m100000 -w20");
    EXPECT_TRUE(r.ok) << r.output;
    EXPECT_EQ(r.errors, 0) << r.output;
    EXPECT_EQ(r.states, ours.stats.states) << r.output;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
}

}  // namespace
}  // namespace sp::checker
