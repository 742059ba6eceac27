// `stateproof check` and `stateproof replay` end to end: exit codes, output, trace files.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/checker/test_util.hpp"

namespace {

namespace fs = std::filesystem;

std::string Binary() {
  if (const char* b = std::getenv("STATEPROOF_TEST_BINARY")) return b;  // a private build
  return STATEPROOF_BINARY;
}

struct Outcome {
  int code = -1;
  std::string out;
};

Outcome Exec(const std::string& args) {
  Outcome r;
  std::string cmd = Binary() + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(Binary())) GTEST_SKIP() << "stateproof not built: " << Binary();
    dir_ = fs::temp_directory_path() / ("sp_checker_cli_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir_;
};

const char* kSpec = R"(
protocol c
role Counter {
  states RUN, DONE
  initial RUN
  var n: int[0..7] = 0
  inc: from RUN on internal if n < 6 -> RUN cite "RFC 0000 §9" { n = n + 1 }
  finish: from RUN on internal if n == 6 -> DONE
}
system one {
  instance c: Counter
}
property small in one: always c.n < 4
property live in one: deadlock free except c in DONE
)";

TEST_F(Cli, ViolationExitsOneWithAChartAndATraceThatReplays) {
  std::string spec = Write("c.sp", kSpec);
  std::string trace = (dir_ / "t.json").string();
  Outcome r = Exec("check " + spec + " --trace-out " + trace);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("small"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("VIOLATED"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("c.inc"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[RFC 0000 §9]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("holds"), std::string::npos) << r.out;  // live holds
  ASSERT_TRUE(fs::exists(trace));

  Outcome rp = Exec("replay " + spec + " " + trace);
  EXPECT_EQ(rp.code, 0) << rp.out;
  EXPECT_NE(rp.out.find("replayed 4 steps"), std::string::npos) << rp.out;

  nlohmann::json j = nlohmann::json::parse(*sp::checker::testing::ReadFile(trace));
  j["steps"][1]["transition"] = "finish";
  std::string bad = Write("bad.json", j.dump());
  Outcome rb = Exec("replay " + spec + " " + bad);
  EXPECT_EQ(rb.code, 1) << rb.out;
  EXPECT_NE(rb.out.find("MISMATCH"), std::string::npos) << rb.out;
}

TEST_F(Cli, HoldsExitsZero) {
  std::string spec = Write("c.sp", kSpec);
  Outcome r = Exec("check " + spec + " --property live --jobs 2 --quiet");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("live"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("small"), std::string::npos) << r.out;
  Outcome d = Exec("check " + spec + " --property live --dfs");
  EXPECT_EQ(d.code, 0) << d.out;
}

TEST_F(Cli, LimitExitsFour) {
  std::string spec = Write("c.sp", kSpec);
  Outcome r = Exec("check " + spec + " --property live --max-states 3");
  EXPECT_EQ(r.code, 4) << r.out;
  EXPECT_NE(r.out.find("unknown (max-states)"), std::string::npos) << r.out;
}

TEST_F(Cli, BadInputExitsTwo) {
  std::string spec = Write("c.sp", kSpec);
  Outcome r = Exec("check " + spec + " --property nosuch");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("no property 'nosuch'"), std::string::npos) << r.out;
  EXPECT_EQ(Exec("check " + spec + " --system nosuch").code, 2);
  EXPECT_EQ(Exec("check " + (dir_ / "missing.sp").string()).code, 2);
  EXPECT_EQ(Exec("replay " + spec + " " + Write("x.json", "not json")).code, 2);
}


// A channel capacity out of range (here from --const) stops only its own system: the
// other systems are checked, and the exit status reports the unchecked one.
TEST_F(Cli, CapacityErrorStopsOnlyItsSystem) {
  std::string spec = Write("two.sp", R"(
const CAP = 2
message M { v: int[0..1] }
role P {
  port net: M
  states A
  initial A
  from A on internal if nfull(net) -> same { send net { v = 1 } }
  from A on recv net(m) -> same
}
system big {
  instance a, b: P
  channel a.net -> b.net capacity CAP blocking
}
system small {
  instance a, b: P
  channel a.net -> b.net capacity 1
}
property bounded in small: always (len(b.net) <= 1)
)");
  Outcome r = Exec("check " + spec + " --const CAP=65");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("warning: channel capacity must be 1..64, not 65; system big cannot be checked"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("system big: not checked:\n  " + spec + ":13:35: channel capacity must be 1..64, not 65\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("system small: state vector"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("bounded"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("VIOLATED"), std::string::npos) << r.out;
  Outcome ok = Exec("check " + spec);
  EXPECT_EQ(ok.code, 0) << ok.out;
  Outcome sim = Exec("export --to promela --system big " + spec + " --const CAP=65");
  EXPECT_NE(sim.code, 0) << sim.out;
  EXPECT_NE(sim.out.find("stateproof: system 'big' cannot be used (see above)"), std::string::npos) << sim.out;
}

}  // namespace
