// `expect isn unpredictable`: the fit that calls a counter or a clock predictable and
// RFC 6528's keyed hash not, and the executor's verdicts around it.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "harness/engine/isn_check.hpp"
#include "harness/engine/executor.hpp"
#include "harness/suite/parse.hpp"
#include "tests/harness_run/fake_target.hpp"

namespace sp::harness {
namespace {

std::vector<IsnSample> samples(int n, const std::function<uint32_t(int, double)>& isn) {
  std::vector<IsnSample> v;
  double t = 10;
  for (int i = 0; i < n; ++i) {
    t += 0.001 + 0.0007 * (i % 3);  // uneven gaps, as on the wire
    v.push_back({isn(i, t), t, static_cast<uint16_t>(40001 + i)});
  }
  return v;
}

TEST(IsnCheck, CountersAndClocksArePredictable) {
  // lwIP 2.1 before its first slow-timer tick: the same ISN every time.
  EXPECT_TRUE(judge_isns(samples(8, [](int, double) { return 6510u; })).predictable);
  // A global counter with a constant step, wrapping past 2^32.
  EXPECT_TRUE(judge_isns(samples(8, [](int i, double) { return 0xFFFFF000u + 64000u * static_cast<uint32_t>(i); }))
                  .predictable);
  // RFC 9293's clock alone (4 µs ticks), M without F.
  EXPECT_TRUE(judge_isns(samples(8, [](int, double t) { return static_cast<uint32_t>(t / 4e-6); })).predictable);
}

TEST(IsnCheck, KeyedHashPerFourTupleIsNot) {
  std::mt19937 rng(7);
  int predictable = 0;
  for (int run = 0; run < 200; ++run) {
    std::vector<uint32_t> f(8);
    for (uint32_t& x : f) x = static_cast<uint32_t>(rng());
    // RFC 6528: M (the clock) plus F(4-tuple, secret), the ports differing.
    predictable += judge_isns(samples(8, [&](int i, double t) { return static_cast<uint32_t>(t / 4e-6) + f[i]; }))
                       .predictable;
  }
  EXPECT_EQ(predictable, 0);
}

TEST(IsnCheck, TooFewConnectionsCannotBeJudged) {
  IsnVerdict v = judge_isns(samples(4, [](int, double) { return 1u; }));
  EXPECT_FALSE(v.enough);
  EXPECT_FALSE(v.predictable);
  EXPECT_NE(v.detail.find("5 are needed"), std::string::npos) << v.detail;
}

// The executor collects the ISN of each connection's first SYN-ACK (one per tester port).
TEST(IsnCheck, ExecutorJudgesTheConnectionsOfTheTest) {
  std::string text = "test i\n+0 call listen\n";
  for (int i = 0; i < 6; ++i) {
    const std::string p = std::to_string(40001 + i);
    text += "+0 inject flags=S seq=0 sport=" + p + "\n+0 expect flags=SA ack=1 dport=" + p + "\n";
  }
  text += "+0 expect isn unpredictable\n";
  ParseOutcome parsed = parse_test(text, "i.spt");
  ASSERT_TRUE(parsed.test) << (parsed.errors.empty() ? "" : parsed.errors[0].format());
  auto run_with = [&](const std::function<uint32_t(int)>& isn) {
    testing::FakeTarget t;
    int n = 0;
    t.responder = [&](const std::vector<uint8_t>& in) {
      packet::TcpSegment s = testing::tcp_of(in);
      // A SYN-ACK to the port the SYN came from, at this connection's ISN.
      return std::vector<std::pair<double, std::vector<uint8_t>>>{
          {0.001, testing::iut_segment_to(packet::kTcpSyn | packet::kTcpAck, isn(n++), s.header.seq + 1,
                                          s.header.src_port)}};
    };
    ExecuteOptions o;
    return execute_test(*parsed.test, t, o);
  };
  EXPECT_EQ(run_with([](int i) { return 6510u + 128u * static_cast<uint32_t>(i); }).verdict, Verdict::kFail);
  std::mt19937 rng(3);
  EXPECT_EQ(run_with([&](int) { return static_cast<uint32_t>(rng()); }).verdict, Verdict::kPass);
}

}  // namespace
}  // namespace sp::harness
