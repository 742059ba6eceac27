// Trace JSON: writing, replaying, and catching a tampered trace.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "checker/msc.hpp"
#include "checker/safety.hpp"
#include "checker/trace_build.hpp"
#include "checker/trace_json.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

using testing::Compile;
using testing::Find;
using testing::PropertiesOf;

// A client sends numbered requests over a lossy, duplicating channel; the server echoes
// them; `bound` fails once the server has seen 3 requests.
const char* kEcho = R"(
protocol echo
type Kind = enum { REQ, RSP }
message Msg { kind: Kind, n: int[0..3] }
role Client {
  port net: Msg
  calls go(k: int[0..1])
  states IDLE, WAIT
  initial IDLE
  var sent: int[0..3] = 0
  timer rtx = 1s
  send_req: from IDLE on call go(k) if sent < 3 -> WAIT cite "RFC 0000 §1" {
    send net { kind = REQ, n = sent + k }
    sent = sent + 1
    start rtx
  }
  retry: from WAIT on timeout rtx -> IDLE cite "RFC 0000 §2"
  got: from WAIT on recv net(m) -> IDLE { stop rtx }
}
role Server {
  port net: Msg
  states UP
  initial UP
  var seen: int[0..3] = 0
  echo: from UP on recv net(m) -> UP cite "RFC 0000 §3" {
    if seen < 3 { seen = seen + 1 }
    send net { kind = RSP, n = m.n }
  }
}
system s {
  instance c: Client
  instance srv: Server
  channel c.net -> srv.net capacity 3 lossy 1 dup 1
  channel srv.net -> c.net capacity 3
}
property bound in s: always srv.seen < 2
)";

class TraceJson : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = Compile(kEcho);
    ts_ = std::make_unique<ir::TransitionSystem>(model_, 0);
    Result r = check_safety(*ts_, PropertiesOf(model_, 0), testing::Bfs());
    const Outcome* o = Find(r, "bound");
    ASSERT_NE(o, nullptr);
    ASSERT_EQ(o->verdict, Verdict::kViolated);
    trace_ = *o->trace;
    json_ = trace_to_json(*ts_, trace_, TraceInfo{"echo.sp", "explicit-bfs", std::nullopt});
  }
  ir::Model model_;
  std::unique_ptr<ir::TransitionSystem> ts_;
  Trace trace_;
  std::string json_;
};

TEST_F(TraceJson, HasTheDocumentedFields) {
  nlohmann::json j = nlohmann::json::parse(json_);
  EXPECT_EQ(j["format"], "stateproof-trace");
  EXPECT_EQ(j["system"], "s");
  EXPECT_EQ(j["property"], "bound");
  EXPECT_EQ(j["end"], "invariant");
  EXPECT_TRUE(j["loop_start"].is_null());
  EXPECT_EQ(j["initial"]["c.state"], "IDLE");
  EXPECT_EQ(j["initial"]["srv.seen"], 0);
  ASSERT_EQ(j["steps"].size(), trace_.steps.size());
  const auto& first = j["steps"][0];
  EXPECT_EQ(first["instance"], "c");
  EXPECT_EQ(first["transition"], "send_req");
  EXPECT_EQ(first["cite"], "RFC 0000 §1");
  EXPECT_EQ(first["event"], "call");
  EXPECT_EQ(first["from"], "IDLE");
  EXPECT_EQ(first["to"], "WAIT");
  EXPECT_TRUE(first["args"].contains("k"));
  ASSERT_EQ(first["sends"].size(), 1u);
  EXPECT_EQ(first["sends"][0]["message"], "Msg");
  EXPECT_EQ(first["sends"][0]["fields"]["kind"], "REQ");
  EXPECT_TRUE(first["sends"][0].contains("lost"));
  EXPECT_TRUE(first["sends"][0].contains("dup"));
  EXPECT_EQ(first["state"]["c.state"], "WAIT");
  EXPECT_EQ(j["steps"].back()["state"]["srv.seen"], 2);
}

TEST_F(TraceJson, RoundTripReplays) {
  ReplayResult r = replay_trace(*ts_, json_);
  EXPECT_TRUE(r.ok()) << r.mismatch << " / " << r.verdict;
  EXPECT_EQ(r.steps_matched, trace_.steps.size());
  ASSERT_EQ(r.trace.steps.size(), trace_.steps.size());
  for (size_t k = 0; k < trace_.steps.size(); ++k) EXPECT_EQ(r.trace.steps[k].state, trace_.steps[k].state);
  EXPECT_NE(r.verdict.find("bound"), std::string::npos);
  EXPECT_EQ(trace_file_system(json_, nullptr), std::optional<std::string>("s"));
}

TEST_F(TraceJson, TamperedTransitionIsAMismatch) {
  nlohmann::json j = nlohmann::json::parse(json_);
  j["steps"][0]["transition"] = "retry";
  ReplayResult r = replay_trace(*ts_, j.dump());
  EXPECT_TRUE(r.parsed);
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(r.steps_matched, 0u);
  EXPECT_NE(r.mismatch.find("step 1"), std::string::npos) << r.mismatch;
  EXPECT_NE(r.mismatch.find("not enabled"), std::string::npos) << r.mismatch;
}

TEST_F(TraceJson, TamperedMessageIsAMismatch) {
  nlohmann::json j = nlohmann::json::parse(json_);
  j["steps"][0]["sends"][0]["fields"]["kind"] = "RSP";
  ReplayResult r = replay_trace(*ts_, j.dump());
  EXPECT_FALSE(r.replayed);
  EXPECT_NE(r.mismatch.find("enabled but not with the recorded"), std::string::npos) << r.mismatch;
}

TEST_F(TraceJson, TamperedStateIsAMismatch) {
  nlohmann::json j = nlohmann::json::parse(json_);
  j["steps"][0]["state"]["c.sent"] = 3;
  ReplayResult r = replay_trace(*ts_, j.dump());
  EXPECT_FALSE(r.replayed);
  EXPECT_NE(r.mismatch.find("c.sent"), std::string::npos) << r.mismatch;
}

TEST_F(TraceJson, TruncatedTraceReplaysButLosesItsVerdict) {
  nlohmann::json j = nlohmann::json::parse(json_);
  j["steps"].erase(j["steps"].size() - 1);
  ReplayResult r = replay_trace(*ts_, j.dump());
  EXPECT_TRUE(r.replayed);
  EXPECT_FALSE(r.verdict_matches) << r.verdict;
  EXPECT_FALSE(r.ok());
}

TEST_F(TraceJson, NotATrace) {
  ReplayResult r = replay_trace(*ts_, "{\"hello\": 1}");
  EXPECT_FALSE(r.parsed);
  r = replay_trace(*ts_, "not json");
  EXPECT_FALSE(r.parsed);
  std::string err;
  EXPECT_FALSE(trace_file_system("[]", &err).has_value());
  EXPECT_FALSE(err.empty());
}

TEST_F(TraceJson, ChartNamesTransitionsCitesAndMessages) {
  std::string chart = format_msc(*ts_, trace_);
  EXPECT_NE(chart.find("c.send_req"), std::string::npos) << chart;
  EXPECT_NE(chart.find("[RFC 0000 §1]"), std::string::npos) << chart;
  EXPECT_NE(chart.find("Msg{kind=REQ"), std::string::npos) << chart;
  EXPECT_NE(chart.find("IDLE -> WAIT"), std::string::npos) << chart;
  EXPECT_NE(chart.find("|<--"), std::string::npos) << chart;     // a send from srv to c
  EXPECT_NE(chart.find(">>|"), std::string::npos) << chart;      // the duplicated request
  EXPECT_NE(chart.find("DUPLICATED"), std::string::npos) << chart;
  EXPECT_NE(chart.find("=> "), std::string::npos) << chart;
}

TEST(TraceJsonErrors, ErrorAndDeadlockTracesReplay) {
  // Overflow of the reply channel (capacity 1) is a checking error.
  const char* spec = R"(
protocol e
message M { x: int[0..1] }
role A {
  port net: M
  states S
  initial S
  var n: int[0..2] = 0
  t: from S on internal if n < 2 -> S { send net { x = 1 }  n = n + 1 }
}
role B {
  port net: M
  states S
  initial S
}
system s {
  instance a: A
  instance b: B
  channel a.net -> b.net capacity 1 lossy 1
}
property dead in s: deadlock free
)";
  ir::Model m = Compile(spec);
  ir::TransitionSystem ts(m, 0);
  Result r = check_safety(ts, PropertiesOf(m, 0), testing::Bfs());
  for (const Outcome& o : r.outcomes) {
    ASSERT_EQ(o.verdict, Verdict::kViolated) << o.name;
    std::string json = trace_to_json(ts, *o.trace);
    ReplayResult rr = replay_trace(ts, json);
    EXPECT_TRUE(rr.ok()) << o.name << ": " << rr.mismatch << " / " << rr.verdict;
    std::string chart = format_msc(ts, *o.trace);
    if (o.property < 0) {
      EXPECT_NE(chart.find("ERROR: channel"), std::string::npos) << chart;
    } else {
      // The deadlock: both messages lost or sent, n == 2, nothing enabled.
      EXPECT_NE(chart.find("deadlock"), std::string::npos) << chart;
    }
  }
}

TEST(TraceBuild, OutOfRangeSuccessorIsAnError) {
  ir::Model m = Compile(kEcho);
  ir::TransitionSystem ts(m, 0);
  std::string err;
  EXPECT_FALSE(rebuild_trace(ts, {1000}, &err).has_value());
  EXPECT_NE(err.find("step 1"), std::string::npos);
  auto t = rebuild_trace(ts, {0, 0}, &err);
  ASSERT_TRUE(t.has_value()) << err;
  EXPECT_EQ(t->steps.size(), 2u);
}

}  // namespace
}  // namespace sp::checker
