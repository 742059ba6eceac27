// `stateproof check --engine bmc|kind|auto` end to end: verdicts, exit codes, the
// engine line, and a BMC trace file that `stateproof replay` re-executes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/e2e/run_command.hpp"

namespace {

namespace fs = std::filesystem;

const char* kSpec = R"(
protocol c
role Counter {
  states RUN, DONE
  initial RUN
  var n: int[0..7] = 0
  inc: from RUN on internal if n < 6 -> RUN { n = n + 1 }
  finish: from RUN on internal if n == 6 -> DONE
}
system one {
  instance c: Counter
}
property small in one: always c.n < 4
property live in one: deadlock free except c in DONE
)";

class SymbolicCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(sp::e2e::bin())) GTEST_SKIP() << "stateproof not built";
    dir_ = fs::temp_directory_path() / ("sp_symbolic_cli_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    spec_ = (dir_ / "c.sp").string();
    std::ofstream(spec_) << kSpec;
  }
  void TearDown() override { fs::remove_all(dir_); }
  sp::e2e::CommandResult Run(const std::string& args) { return sp::e2e::run(sp::e2e::bin() + " " + args); }
  fs::path dir_;
  std::string spec_;
};

TEST_F(SymbolicCli, BmcTraceReplaysOnTheExplicitEngine) {
  const std::string trace = (dir_ / "t.json").string();
  auto r = Run("check " + spec_ + " --engine bmc --depth 8 -q --trace-out " + trace);
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("symbolic search (bmc, Z3)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("counterexample: 4 steps"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c.inc"), std::string::npos) << r.out;
  auto rp = Run("replay " + spec_ + " " + trace);
  EXPECT_EQ(rp.status, 0) << rp.out;
  EXPECT_NE(rp.out.find("replayed 4 steps"), std::string::npos) << rp.out;
}

TEST_F(SymbolicCli, KindProvesAndBmcAloneIsALimit) {
  auto k = Run("check " + spec_ + " --engine kind --property live -q");
  EXPECT_EQ(k.status, 0) << k.out;
  EXPECT_NE(k.out.find("holds"), std::string::npos) << k.out;
  auto b = Run("check " + spec_ + " --engine bmc --depth 3 --property live -q");
  EXPECT_EQ(b.status, 4) << b.out;
  EXPECT_NE(b.out.find("no violation up to depth 3"), std::string::npos) << b.out;
}

TEST_F(SymbolicCli, AutoSaysWhichEngine) {
  auto narrow = Run("check " + spec_ + " -q");
  EXPECT_NE(narrow.out.find("engine: explicit (auto"), std::string::npos) << narrow.out;
  auto bad = Run("check " + spec_ + " --engine nosuch");
  EXPECT_EQ(bad.status, 2) << bad.out;
}

}  // namespace
