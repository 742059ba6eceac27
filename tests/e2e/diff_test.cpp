// `stateproof diff`: two results files compared as a user would, plain and in
// regression mode, and bad input. No privileges needed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "run_command.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;

class DiffCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sp-e2e-diff-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  fs::path dir_;
};

const char* kBaseline = R"({"target": "linux", "tests": [
  {"name": "a", "verdict": "pass", "packets": [{"from": "iut", "disposition": "expected", "summary": "192.0.2.1:8080 > 192.0.2.2:40000 Flags [S.], seq 1, ack 2, win 3, length 0"}]},
  {"name": "b", "verdict": "pass", "packets": []}]})";
const char* kRegressed = R"({"target": "lwip", "tests": [
  {"name": "a", "verdict": "pass", "packets": [{"from": "iut", "disposition": "expected", "summary": "192.0.2.1:8080 > 192.0.2.2:40000 Flags [S.], seq 9, ack 2, win 7, length 0"}]},
  {"name": "b", "verdict": "fail", "failure": {"kind": "timeout", "line": 9, "message": "no packet"}, "packets": []}]})";

TEST_F(DiffCli, ReportsDifferencesAndFailsOnlyInBaselineModeOnANewFailure) {
  std::string base = write("base.json", kBaseline), now = write("now.json", kRegressed);
  CommandResult r = run(bin() + " diff " + base + " " + now);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("b  [new failure in B]\n    A: pass\n    B: fail: timeout at line 9: no packet"), std::string::npos)
      << r.out;
  // Same flags and length, other ISN and window: not a difference.
  EXPECT_NE(r.out.find("2 tests in both: 1 same, 1 with different verdicts"), std::string::npos) << r.out;
  EXPECT_EQ(run(bin() + " diff --baseline " + base + " " + now).status, 1);
  EXPECT_EQ(run(bin() + " diff --baseline " + now + " " + now).status, 0);
  EXPECT_EQ(run(bin() + " diff --baseline " + now + " " + base).status, 0);  // fixed, not regressed
}

TEST_F(DiffCli, BadInputIsExitTwoWithTheFileNamed) {
  std::string base = write("base.json", kBaseline), bad = write("bad.json", "{\"tests\": 3}");
  CommandResult r = run(bin() + " diff " + base + " " + bad);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("bad.json: no \"tests\" array"), std::string::npos) << r.out;
  r = run(bin() + " diff " + base + " " + (dir_ / "missing.json").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("cannot read"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sp::e2e
