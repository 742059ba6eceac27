// gen's worker processes: fork_map's results, failures and large outputs; the byte
// encoding of test cases; and the suite not depending on --jobs.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "gen/bytes.hpp"
#include "gen/fork_map.hpp"
#include "gen/generate.hpp"
#include "gen/spt_writer.hpp"
#include "tests/gen/spec_file.hpp"

namespace sp::gen {
namespace {

TEST(ForkMap, ResultsInTaskOrderWhateverTheJobs) {
  for (int jobs : {1, 2, 5}) {
    std::vector<std::string> out;
    std::string error;
    ASSERT_TRUE(fork_map(7, jobs, [](int k) { return std::string(static_cast<size_t>(k), 'x') + std::to_string(k); },
                         &out, &error))
        << error;
    ASSERT_EQ(out.size(), 7u);
    for (int k = 0; k < 7; ++k) EXPECT_EQ(out[k], std::string(static_cast<size_t>(k), 'x') + std::to_string(k));
  }
}

TEST(ForkMap, LargeResultsFromConcurrentWorkers) {
  // Larger than a pipe's buffer, from several children at once: read while they write.
  std::vector<std::string> out;
  std::string error;
  ASSERT_TRUE(fork_map(4, 4, [](int k) { return std::string(3u << 20, static_cast<char>('a' + k)); },
                       &out, &error))
      << error;
  for (int k = 0; k < 4; ++k) EXPECT_EQ(out[k], std::string(3u << 20, static_cast<char>('a' + k)));
}

TEST(ForkMap, WorkersChangeNothingInTheParent) {
  int counter = 0;
  std::vector<std::string> out;
  std::string error;
  ASSERT_TRUE(fork_map(3, 2, [&](int) { return std::to_string(++counter); }, &out, &error));
  EXPECT_EQ(counter, 0);
  EXPECT_EQ(out, (std::vector<std::string>{"1", "1", "1"}));
}

TEST(ForkMap, AnExceptionIsAnError) {
  std::vector<std::string> out;
  std::string error;
  EXPECT_FALSE(fork_map(3, 2, [](int k) -> std::string {
    if (k == 1) throw std::runtime_error("no model for d3_in_seq");
    return "ok";
  }, &out, &error));
  EXPECT_NE(error.find("task 1"), std::string::npos) << error;
  EXPECT_NE(error.find("no model for d3_in_seq"), std::string::npos) << error;
}

TEST(ForkMap, ACrashIsAnError) {
  std::vector<std::string> out;
  std::string error;
  EXPECT_FALSE(fork_map(2, 1, [](int k) -> std::string {
    if (k == 0) std::raise(SIGSEGV);
    return "ok";
  }, &out, &error));
  EXPECT_NE(error.find("signal " + std::to_string(SIGSEGV)), std::string::npos) << error;
}

TestCase Sample() {
  TestCase tc;
  tc.name = "rcv_rst_synchronized.b1.at";
  tc.covers = {"Endpoint.rcv_rst_synchronized"};
  tc.cites = {"RFC 9293 §3.10.7.4", "RFC 5961 §3.2"};
  tc.kind = "negative";
  tc.notes = {"boundary", ""};
  tc.tester_isn = 0xFFFFFFFFu;
  Event e;
  e.kind = Event::Kind::kExpectNone;
  e.fields = {{"flags", "R"}, {"seq", "1"}};
  e.within = 0.25;
  e.comment = "ignored: no answer";
  tc.events = {e, Event{}};
  Packet p;
  p.from_iut = true;
  p.seq = 4294967295u;
  p.sha = 0x020000000001ull;
  p.time = 1.5;
  tc.packets = {p};
  ReplayStep r;
  r.transition = 7;
  r.msg = {-1, 4294967295ll};
  r.sends = {{0, {1, 2, 3}}};
  r.state_after = 4;
  tc.replay = {r};
  tc.iut_params = {6, -2};
  tc.target_transition = 7;
  return tc;
}

TEST(Bytes, TestCaseRoundTrips) {
  ByteWriter bw;
  bw.test(Sample());
  bw.str("tail");
  ByteReader br(bw.bytes());
  TestCase back = br.test();
  EXPECT_EQ(to_spt(back), to_spt(Sample()));
  EXPECT_EQ(back.packets[0].seq, 4294967295u);
  EXPECT_EQ(back.packets[0].sha, 0x020000000001ull);
  EXPECT_EQ(back.replay[0].msg, (std::vector<int64_t>{-1, 4294967295ll}));
  EXPECT_EQ(back.replay[0].sends[0].second, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(back.iut_params, (std::vector<int64_t>{6, -2}));
  EXPECT_EQ(back.tester_isn, std::optional<uint32_t>(0xFFFFFFFFu));
  EXPECT_EQ(br.str(), "tail");
  EXPECT_TRUE(br.done());
}

TEST(Bytes, TruncatedInputIsAnErrorAtEveryLength) {
  ByteWriter bw;
  bw.test(Sample());
  const std::string& all = bw.bytes();
  for (size_t n = 0; n < all.size(); ++n) {
    const std::string cut = all.substr(0, n);
    ByteReader br(cut);
    EXPECT_THROW(br.test(), ByteError) << n;
  }
}

TEST(Bytes, AbsurdLengthIsAnError) {
  ByteWriter bw;
  bw.u64(uint64_t{1} << 60);
  ByteReader br(bw.bytes());
  EXPECT_THROW(br.strs(), ByteError);
}

TEST(GenDeterminism, JobsDoNotChangeTheSuite) {
  ir::Model m = testing::compile_repo_spec("tcp.sp", 32);
  std::vector<std::string> suites;
  for (int jobs : {1, 3}) {
    GenOptions o;
    o.role = "Endpoint";
    o.jobs = jobs;
    o.seed = 5;
    o.coverage = Coverage::kWMethod;  // transition tests, then the W-method's
    GenResult r;
    std::string error;
    ASSERT_TRUE(generate(m, o, &r, &error)) << error;
    std::string all = r.report();
    for (const TestCase& t : r.tests) all += to_spt(t);
    suites.push_back(all);
  }
  EXPECT_EQ(suites[0], suites[1]);
}

}  // namespace
}  // namespace sp::gen
