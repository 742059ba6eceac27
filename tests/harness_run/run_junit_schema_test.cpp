// The JUnit report validates against Jenkins xUnit's junit-10.xsd (its structure is in
// tests/harness_run/junit-10.xsd) with xmllint, with every verdict, per-test settings, an
// expected deviation and an interrupted run in it; expected deviations are counted by
// their properties (docs/harness.md, "JUnit").
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "harness/report/report.hpp"

namespace sp::harness {
namespace {

namespace fs = std::filesystem;

std::vector<TestResult> every_verdict() {
  std::vector<TestResult> out;
  for (Verdict v : {Verdict::kPass, Verdict::kFail, Verdict::kInconclusive, Verdict::kExpectedDeviation,
                    Verdict::kError, Verdict::kSkipped}) {
    TestResult r;
    r.name = std::string("t_") + verdict_name(v);
    r.path = "suite/tcp/" + r.name + ".spt";
    r.verdict = v;
    r.duration = 0.25;
    if (v != Verdict::kPass && v != Verdict::kSkipped) {
      r.failure = Failure{};
      r.failure->kind = "packet";
      r.failure->message = "the packet <from> the IUT & more";
      r.diff = "suite/tcp/x.spt:3: fail\n";
    }
    if (v == Verdict::kExpectedDeviation) {
      r.deviation = "rst_ack_on_abort";
      r.deviation_text = "RFC 9293 §3.10.5";
    }
    if (v == Verdict::kSkipped) r.note = "tier slow, skipped by --fast";
    if (v == Verdict::kFail) r.settings = {"net.ipv4.tcp_syn_retries=3"};
    out.push_back(r);
  }
  return out;
}

TEST(RunJunit, ValidatesAgainstJunit10) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "xmllint is not installed (Debian: libxml2-utils; scripts/install-deps.sh)";
  }
  const fs::path xml = fs::temp_directory_path() / ("sp_junit10_" + std::to_string(getpid()) + ".xml");
  ReportInfo info{"linux", 3.5, "linux", {{"net.ipv4.tcp_rmem", "4096", "profile linux"}}, {}, {"stale (p:1)"}};
  info.interrupted_by = 2;
  std::string error;
  ASSERT_TRUE(write_junit(xml.string(), every_verdict(), info, &error)) << error;
  const std::string schema = std::string(STATEPROOF_SOURCE_DIR) + "/tests/harness_run/junit-10.xsd";
  const std::string cmd = "xmllint --noout --schema '" + schema + "' '" + xml.string() + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  const int status = pclose(p);
  std::ifstream f(xml);
  std::ostringstream text;
  text << f.rdbuf();
  EXPECT_EQ(status, 0) << out << text.str();
  // The expected deviation is a property of the suite naming the test and the entry.
  EXPECT_NE(text.str().find("<property name=\"expected deviation\" value=\"t_expected deviation: rst_ack_on_abort\"/>"),
            std::string::npos) << text.str();
  EXPECT_NE(text.str().find("<property name=\"setting net.ipv4.tcp_syn_retries (test t_fail)\" value=\"3\"/>"),
            std::string::npos) << text.str();
  fs::remove(xml);
}

// The schema rejects what the report used to carry, so the test above would notice.
TEST(RunJunit, SchemaRejectsFileOnTestcaseAndSkippedOnTestsuites) {
  if (std::system("command -v xmllint >/dev/null 2>&1") != 0) GTEST_SKIP() << "xmllint is not installed";
  const std::string schema = std::string(STATEPROOF_SOURCE_DIR) + "/tests/harness_run/junit-10.xsd";
  const fs::path xml = fs::temp_directory_path() / ("sp_junit10_bad_" + std::to_string(getpid()) + ".xml");
  for (const std::string& doc :
       {std::string("<testsuites skipped=\"0\"><testsuite name=\"s\" tests=\"0\" failures=\"0\" errors=\"0\"/></testsuites>"),
        std::string("<testsuites><testsuite name=\"s\" tests=\"1\" failures=\"0\" errors=\"0\">"
                    "<testcase name=\"t\" file=\"x.spt\"/></testsuite></testsuites>")}) {
    std::ofstream(xml) << doc;
    EXPECT_NE(std::system(("xmllint --noout --schema '" + schema + "' '" + xml.string() + "' >/dev/null 2>&1").c_str()), 0)
        << doc;
  }
  fs::remove(xml);
}

}  // namespace
}  // namespace sp::harness
