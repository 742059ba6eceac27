// `run --msc-svg FILE`: every test's packets drawn between the tester and the IUT in one
// SVG document, unexpected packets and the failure marked, well-formed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/report/report.hpp"
#include "tests/svg_check.hpp"

namespace sp::harness {
namespace {

namespace fs = std::filesystem;

TEST(RunMscSvg, DrawsEveryTestWithMismatchesMarked) {
  TestResult pass;
  pass.name = "handshake";
  pass.path = "suite/a.spt";
  pass.verdict = Verdict::kPass;
  pass.packets = {{0.0, false, {}, "192.0.2.2:40000 > 192.0.2.1:8080 Flags [S], seq 0", "injected", 3},
                  {0.001, true, {}, "192.0.2.1:8080 > 192.0.2.2:40000 Flags [S.], seq 9", "expected", 4}};
  TestResult fail = pass;
  fail.name = "reset <&>";
  fail.path = "suite/b.spt";
  fail.verdict = Verdict::kFail;
  fail.packets[1].summary = "192.0.2.1:8080 > 192.0.2.2:40000 Flags [R.], seq 0";
  fail.packets[1].disposition = "unexpected";
  fail.failure = Failure{};
  fail.failure->kind = "packet";
  fail.failure->line = 4;
  fail.failure->event = "+0 expect flags=SA";
  fail.failure->message = "the packet from the IUT does not match the expect";
  fail.failure->fields = {{"flags", "SA", "RA", false}, {"seq", "0", "0", true}};
  const fs::path svg = fs::temp_directory_path() / ("sp_run_msc_" + std::to_string(getpid()) + ".svg");
  std::string error;
  ASSERT_TRUE(write_report(StreamedReport::Format::kMscSvg, svg.string(), {fail, pass},
                           {"linux", 1, "", {}, {}, {}}, &error))
      << error;
  EXPECT_EQ(testing::svg_problem(svg.string()), "");
  std::ifstream f(svg);
  std::ostringstream b;
  b << f.rdbuf();
  const std::string s = b.str();
  // File order: a.spt above b.spt.
  EXPECT_LT(s.find("handshake (suite/a.spt): pass"), s.find("reset &lt;&amp;&gt; (suite/b.spt): fail")) << s;
  EXPECT_NE(s.find(">tester</text>"), std::string::npos);
  EXPECT_NE(s.find(">IUT</text>"), std::string::npos);
  EXPECT_NE(s.find("class=\"message mismatch\""), std::string::npos) << s;
  EXPECT_NE(s.find("flags: expected SA vs actual RA"), std::string::npos) << s;
  EXPECT_EQ(s.find("seq: expected"), std::string::npos) << "a matching field is no mismatch";
  EXPECT_NE(s.find("[line 4]"), std::string::npos) << s;
  fs::remove(svg);
}

}  // namespace
}  // namespace sp::harness
