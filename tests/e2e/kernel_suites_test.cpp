// The main job end to end: generate the TCP and ARP conformance suites from the shipped
// specs and run their fast tier against this machine's kernel. Every test must pass or be
// an expected deviation named in harness/targets/linux.profile; anything else fails here.
// Needs root and /dev/net/tun (skips, saying what is missing, without them).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/e2e/generated_suites.hpp"
#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  return std::string((std::istreambuf_iterator<char>(f)), {});
}

std::string last_line(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

class KernelSuites : public ::testing::Test {
 protected:
  // The generated suites (shared under ctest, see generated_suites.hpp).
  static void SetUpTestSuite() {
    fs::path mine = fs::temp_directory_path() / ("sp_e2e_kernel_" + std::to_string(getpid()));
    suites_ = new GeneratedSuites(generated_suites(mine / "suites"));
    work_ = new fs::path(mine / "work");  // results: this process's own
    fs::create_directories(*work_);
    gen_output_ = suites_->output;
    gen_failed_ = !suites_->ok;
  }
  static void TearDownTestSuite() {
    release(*suites_);
    std::error_code ec;
    fs::remove_all(work_->parent_path(), ec);
    delete suites_;
    delete work_;
  }

  // Runs one generated suite's fast tier on `target`; checks the verdicts.
  void RunSuite(const std::string& suite, const std::string& target,
                const std::string& jobs = "--jobs 2") {
    ASSERT_FALSE(gen_failed_) << gen_output_;
    fs::path json = *work_ / (suite + "-" + target + ".json");
    CommandResult r = run(bin() + " run " + (suites_->dir / suite).string() + " --target " + target +
                          " --fast --quiet " + jobs + " --results " + json.string());
    if (r.status == 3) GTEST_SKIP() << "cannot run tests against the kernel here: " << r.out;
    std::printf("[ info     ] %s on %s: %s\n", suite.c_str(), target.c_str(), last_line(r.out).c_str());
    // Exit 0: every test passed, was an expected deviation or was skipped (slow tier).
    EXPECT_EQ(r.status, 0) << r.out;
    std::string results = slurp(json);
    EXPECT_EQ(results.find("\"verdict\": \"fail\""), std::string::npos) << r.out;
    EXPECT_EQ(results.find("\"verdict\": \"error\""), std::string::npos) << r.out;
    // Inconclusive only where the kernel took an outcome the spec allows at a step (an `or`
    // line: an RFC alternative the test does not aim at).
    size_t inconclusive = 0, alternative = 0;
    for (size_t at = 0; (at = results.find("\"verdict\": \"inconclusive\"", at)) != std::string::npos; ++at) {
      ++inconclusive;
    }
    for (size_t at = 0; (at = results.find("\"kind\": \"alternative\"", at)) != std::string::npos; ++at) {
      ++alternative;
    }
    EXPECT_EQ(inconclusive, alternative) << r.out;
    EXPECT_NE(results.find("\"verdict\": \"pass\""), std::string::npos) << results.substr(0, 400);
  }

  static GeneratedSuites* suites_;
  static fs::path* work_;
  static std::string gen_output_;
  static bool gen_failed_;
};

GeneratedSuites* KernelSuites::suites_ = nullptr;
fs::path* KernelSuites::work_ = nullptr;
std::string KernelSuites::gen_output_;
bool KernelSuites::gen_failed_ = false;

TEST_F(KernelSuites, GeneratedTcpSuiteOverTun) { RunSuite("tcp", "linux"); }

TEST_F(KernelSuites, GeneratedTcpSuiteOverTap) { RunSuite("tcp", "linux-tap"); }

TEST_F(KernelSuites, GeneratedArpSuiteOverTap) { RunSuite("arp", "linux-tap"); }

// The W-method suite OPENs again after its connection ended (a RST, an ABORT, TIME-WAIT)
// and makes calls the spec ignores (`may-refuse`): the harness must run every one of
// them. Its fails are the kernel's departures (triaged in the profile), so only the
// absence of error verdicts is required here, and that re-OPENs reach the wire.
TEST_F(KernelSuites, GeneratedWmethodSuiteRunsWithoutErrorsOverTun) {
  ASSERT_FALSE(gen_failed_) << gen_output_;
  fs::path json = *work_ / "tcp-wmethod-linux.json";
  CommandResult r = run(bin() + " run " + (suites_->dir / "tcp-wmethod").string() +
                        " --target linux --fast --quiet --results " + json.string());
  if (r.status == 3) GTEST_SKIP() << "cannot run tests against the kernel here: " << r.out;
  std::printf("[ info     ] tcp-wmethod on linux: %s\n", last_line(r.out).c_str());
  std::string results = slurp(json);
  EXPECT_EQ(results.find("\"verdict\": \"error\""), std::string::npos) << r.out;
  // A RST in ESTABLISHED, then a new active OPEN: the SYN of the new connection (relative
  // seq 0 of its own ISN) passes; an OPEN in TIME-WAIT is refused (the minisock holds the
  // port: `may-refuse`) and nothing is sent.
  for (const char* name : {"wp.ESTABLISHED.rcv_rst_synchronized.w1", "wp.TIME_WAIT.w1"}) {
    const std::string key = std::string("\"name\": \"") + name + "\"";
    size_t at = results.find(key);
    ASSERT_NE(at, std::string::npos) << name << " not run: " << results.substr(0, 400);
    const std::string pass = "\"verdict\": \"pass\"";
    EXPECT_EQ(results.compare(results.find("\"verdict\"", at), pass.size(), pass), 0) << results.substr(at, 800);
  }
}

// 414 tests, most of them waiting out a 0.5 s silence window: the default jobs.
TEST_F(KernelSuites, GeneratedTcpBoundarySuiteOverTun) { RunSuite("tcp-boundary", "linux", ""); }

}  // namespace
}  // namespace sp::e2e
