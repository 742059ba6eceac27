// Comparing results files (stateproof diff): reduction of packet summaries, verdict and
// behaviour differences, new failures for regression mode, malformed input.
#include <gtest/gtest.h>

#include "harness/report/compare.hpp"

namespace sp::harness {
namespace {

std::string results(const std::string& target, const std::string& tests) {
  return "{\"target\": \"" + target + "\", \"tests\": [" + tests + "]}";
}

std::string test(const std::string& name, const std::string& verdict, const std::string& packets,
                 const std::string& failure = "") {
  return "{\"name\": \"" + name + "\", \"verdict\": \"" + verdict + "\"" +
         (failure.empty() ? "" : ", \"failure\": " + failure) + ", \"packets\": [" + packets + "]}";
}

std::string packet(const std::string& from, const std::string& fate, const std::string& summary) {
  return "{\"from\": \"" + from + "\", \"disposition\": \"" + fate + "\", \"summary\": \"" + summary + "\"}";
}

const char* kSynAck =
    "02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 58: 192.0.2.1:8080 > "
    "192.0.2.2:40000 Flags [S.], seq 6510, ack 1000001, win 65535, options [mss 1460], length 0";
const char* kSynAckLinux =
    "192.0.2.1:8080 > 192.0.2.2:40000 Flags [S.], seq 1821851735, ack 1000001, win 64240, options [mss "
    "1460], length 0";

TEST(Compare, ReducesSummariesToWhatDoesNotVaryByRun) {
  EXPECT_EQ(reduce_summary(kSynAck), "S. len 0");
  EXPECT_EQ(reduce_summary(kSynAckLinux), "S. len 0");
  EXPECT_EQ(reduce_summary("02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: ARP, "
                           "Request who-has 192.0.2.2 tell 192.0.2.1"),
            "ARP, Request who-has 192.0.2.2 tell 192.0.2.1");
}

TEST(Compare, FindsVerdictAndBehaviourDifferencesAndNewFailures) {
  std::string a = results(
      "linux",
      test("same", "pass", packet("iut", "expected", kSynAckLinux)) + "," +
          test("regressed", "pass", packet("iut", "expected", kSynAckLinux)) + "," +
          test("chatty", "pass", packet("iut", "expected", kSynAckLinux)) + "," +
          test("moved", "fail", "", "{\"kind\": \"timeout\", \"line\": 10, \"message\": \"m\"}") + "," +
          test("gone", "pass", ""));
  std::string b = results(
      "lwip",
      test("same", "pass",
           packet("iut", "expected", kSynAck) + "," + packet("iut", "harness", "ARP, Request who-has")) +
          "," +
          test("regressed", "fail", packet("iut", "unexpected", kSynAck),
               "{\"kind\": \"unexpected\", \"line\": 12, \"message\": \"a packet\"}") +
          "," + test("chatty", "pass", packet("iut", "expected", kSynAck) + "," + packet("iut", "allowed", kSynAck)) +
          "," + test("moved", "fail", "", "{\"kind\": \"timeout\", \"line\": 11, \"message\": \"m\"}") + "," +
          test("new", "error", ""));
  ResultsFile ra, rb;
  std::string error;
  ASSERT_TRUE(parse_results(a, "a.json", &ra, &error)) << error;
  ASSERT_TRUE(parse_results(b, "b.json", &rb, &error)) << error;
  EXPECT_EQ(rb.tests[0].behaviour, (std::vector<std::string>{"S. len 0 [expected]"}));  // harness frames left out
  Comparison c = compare_results(ra, rb);
  EXPECT_EQ(c.same, 1u);
  ASSERT_EQ(c.differences.size(), 5u);
  EXPECT_EQ(c.differences[0].name, "regressed");
  EXPECT_TRUE(c.differences[0].verdict_differs);
  EXPECT_TRUE(c.differences[0].new_failure);
  EXPECT_EQ(c.differences[1].name, "chatty");
  EXPECT_FALSE(c.differences[1].verdict_differs);
  EXPECT_TRUE(c.differences[1].behaviour_differs);
  EXPECT_FALSE(c.differences[1].new_failure);
  EXPECT_EQ(c.differences[2].name, "moved");  // fails at another line: fails differently
  EXPECT_TRUE(c.differences[2].new_failure);
  EXPECT_EQ(c.differences[3].name, "gone");
  EXPECT_EQ(c.differences[3].b, nullptr);
  EXPECT_EQ(c.differences[4].name, "new");
  EXPECT_TRUE(c.differences[4].new_failure);
  EXPECT_EQ(c.new_failures, 3u);
  std::string text = format_comparison(c, ra, rb);
  EXPECT_NE(text.find("regressed  [new failure in B]\n    A: pass\n    B: fail: unexpected at line 12: a packet"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("A sent: S. len 0 [expected]\n    B sent: S. len 0 [expected]; S. len 0 [allowed]"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("4 tests in both: 1 same, 2 with different verdicts, 1 with the same verdict but different "
                      "packets; 1 only in A, 1 only in B; 3 new failures in B, 0 new departures in B"),
            std::string::npos)
      << text;

  // Against itself: nothing differs.
  Comparison self = compare_results(rb, rb);
  EXPECT_TRUE(self.differences.empty());
  EXPECT_EQ(self.new_failures, 0u);
}

// An expected deviation is still a departure: against a baseline, pass -> expected
// deviation and a change of the entry that matched are regressions; the way back is not.
TEST(Compare, NewDeparturesAreRegressions) {
  auto dev = [](const std::string& name, const std::string& entry, int line) {
    return "{\"name\": \"" + name + "\", \"verdict\": \"expected deviation\", \"deviation\": \"" + entry +
           "\", \"failure\": {\"kind\": \"timeout\", \"line\": " + std::to_string(line) +
           ", \"message\": \"m\"}, \"packets\": []}";
  };
  std::string a = results("linux", test("appears", "pass", "") + "," + dev("other_entry", "x", 9) + "," +
                                       dev("other_line", "x", 9) + "," + dev("same", "x", 9) + "," +
                                       dev("fixed", "x", 9));
  std::string b = results("linux", test("appears", "expected deviation", "", "{\"kind\": \"state\", \"line\": 3}") +
                                       "," + dev("other_entry", "y", 9) + "," + dev("other_line", "x", 12) + "," +
                                       dev("same", "x", 9) + "," + test("fixed", "pass", ""));
  ResultsFile ra, rb;
  std::string error;
  ASSERT_TRUE(parse_results(a, "a.json", &ra, &error)) << error;
  ASSERT_TRUE(parse_results(b, "b.json", &rb, &error)) << error;
  Comparison c = compare_results(ra, rb);
  ASSERT_EQ(c.differences.size(), 4u);
  EXPECT_EQ(c.same, 1u);
  EXPECT_TRUE(c.differences[0].new_departure);  // appears
  EXPECT_TRUE(c.differences[1].new_departure);  // other_entry
  EXPECT_TRUE(c.differences[2].new_departure);  // other_line
  EXPECT_TRUE(c.differences[2].verdict_differs);
  EXPECT_FALSE(c.differences[3].new_departure);  // fixed: reported, not a regression
  EXPECT_TRUE(c.differences[3].verdict_differs);
  EXPECT_EQ(c.new_failures, 0u);
  EXPECT_EQ(c.regressions(), 3u);
  EXPECT_NE(format_comparison(c, ra, rb).find("appears  [new departure in B]"), std::string::npos);
}

TEST(Compare, RejectsWhatIsNotAResultsFile) {
  ResultsFile r;
  std::string error;
  EXPECT_FALSE(parse_results("not json", "x.json", &r, &error));
  EXPECT_NE(error.find("x.json: not a JSON object"), std::string::npos);
  EXPECT_FALSE(parse_results("{\"target\": \"linux\"}", "x.json", &r, &error));
  EXPECT_NE(error.find("no \"tests\" array"), std::string::npos);
  EXPECT_FALSE(parse_results("{\"tests\": [{\"name\": 3}]}", "x.json", &r, &error));
  EXPECT_NE(error.find("test 0 lacks"), std::string::npos);
  EXPECT_FALSE(load_results("/nonexistent/results.json", &r, &error));
  EXPECT_EQ(error, "cannot read /nonexistent/results.json: No such file or directory");
  EXPECT_FALSE(parse_results("{\"tests\": [{\"name\": \"a\", \"verdict\": \"fail\", \"failure\": {\"line\": \"x\"}}]}", "x.json",
                             &r, &error));
  EXPECT_EQ(error, "x.json: test 0: failure: \"line\" must be an integer (it is a string)");
}

}  // namespace
}  // namespace sp::harness
