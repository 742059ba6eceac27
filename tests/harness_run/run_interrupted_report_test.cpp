// Reports of a run that a signal stopped say so: the results JSON has "interrupted":
// true and the signal, the JUnit XML an "interrupted" property, and both hold only the
// tests that finished. Reports of a complete run say "interrupted": false.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness/report/report.hpp"
#include "harness/runner/runner.hpp"
#include "tests/file_text.hpp"

namespace sp::harness {
namespace {

namespace fs = std::filesystem;

using testing::file_text;

// Removes a scratch directory on every way out of a test.
struct ScratchDir {
  fs::path path;
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(RunInterruptedReport, ReportsSayWhetherTheRunWasInterrupted) {
  TestResult r;
  r.name = "t";
  r.path = "suite/t.spt";
  r.verdict = Verdict::kPass;
  const ScratchDir scratch{fs::temp_directory_path() / ("sp_interrupted_" + std::to_string(getpid()))};
  const fs::path& dir = scratch.path;
  fs::create_directories(dir);
  std::string error;
  ReportInfo info{"linux", 1.0, "", {}, {}, {}};
  ASSERT_TRUE(write_results_json((dir / "r.json").string(), {r}, info, &error)) << error;
  ASSERT_TRUE(write_junit((dir / "j.xml").string(), {r}, info, &error)) << error;
  EXPECT_NE(file_text(dir / "r.json").find("\"interrupted\": false,"), std::string::npos) << file_text(dir / "r.json");
  EXPECT_EQ(file_text(dir / "j.xml").find("interrupted"), std::string::npos) << file_text(dir / "j.xml");
  info.interrupted_by = SIGINT;
  ASSERT_TRUE(write_results_json((dir / "r.json").string(), {r}, info, &error)) << error;
  ASSERT_TRUE(write_junit((dir / "j.xml").string(), {r}, info, &error)) << error;
  EXPECT_NE(file_text(dir / "r.json").find("\"interrupted\": true, \"interrupted_by_signal\": 2,"), std::string::npos)
      << file_text(dir / "r.json");
  EXPECT_NE(file_text(dir / "j.xml").find("<property name=\"interrupted\" value=\"true (signal 2)"), std::string::npos)
      << file_text(dir / "j.xml");
}

// `stateproof run` stopped by SIGINT midway writes both reports, marked.
TEST(RunInterruptedReport, SigintMidRunMarksBothReports) {
  EnvironmentStatus env = check_environment(TargetKind::kLinux);
  if (!env.ok) GTEST_SKIP() << "needs root and /dev/net/tun: " << env.message;
  if (access(STATEPROOF_RUN_BINARY, X_OK) != 0) GTEST_SKIP() << "no " STATEPROOF_RUN_BINARY;
  const ScratchDir scratch{fs::temp_directory_path() / ("sp_sigint_report_" + std::to_string(getpid()))};
  const fs::path& dir = scratch.path;
  fs::remove_all(dir);
  fs::create_directories(dir / "suite");
  const int kTests = 40;
  for (int i = 0; i < kTests; ++i) {
    std::ofstream(dir / "suite" / ("slow" + std::to_string(i) + ".spt"))
        << "test slow" << i << "\n+0 call listen\n+0 wait " << 0.2 + 0.3 * i << "\n+0 expect state LISTEN\n";
  }
  const std::string json = (dir / "results.json").string(), junit = (dir / "junit.xml").string();
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = freopen((dir / "log.txt").c_str(), "w", stdout);
    (void)f;
    dup2(STDOUT_FILENO, STDERR_FILENO);
    execl(STATEPROOF_RUN_BINARY, STATEPROOF_RUN_BINARY, "run", (dir / "suite").c_str(), "--target", "linux",
          "--results", json.c_str(), "--junit", junit.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  // The first tests finish (they wait 0.2 s, 0.5 s, ...), the last would take 12 s.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(pid, SIGINT);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  const std::string log = file_text(dir / "log.txt");
  ASSERT_TRUE(WIFEXITED(status)) << log;
  ASSERT_EQ(WEXITSTATUS(status), 128 + SIGINT) << log;
  const std::string j = file_text(json), x = file_text(junit);
  EXPECT_NE(j.find("\"interrupted\": true, \"interrupted_by_signal\": 2,"), std::string::npos) << j;
  EXPECT_NE(x.find("<property name=\"interrupted\" value=\"true (signal 2)"), std::string::npos) << x;
  const size_t finished = count(j, "\"verdict\": ");
  EXPECT_GT(finished, 0u) << j;
  EXPECT_LT(finished, static_cast<size_t>(kTests)) << j;
  EXPECT_EQ(count(x, "<testcase "), finished) << x;
  for (const auto& e : fs::directory_iterator(dir)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << "left behind: " << e.path();
  }
}

}  // namespace
}  // namespace sp::harness
