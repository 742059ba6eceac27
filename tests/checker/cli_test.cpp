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

// Lists (docs/language.md, "Lists"): checked, exported, refused by the test generator.
TEST_F(Cli, ListsAreCheckedExportedAndRefusedByGen) {
  const std::string spec = std::string(STATEPROOF_SOURCE_DIR) + "/tests/checker/specs/list_relay.sp";
  Outcome r = Exec("check " + spec);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("r: buf=[2]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("-> Batch{items=[0, 1]} to c"), std::string::npos) << r.out;
  Outcome e = Exec("export --to promela " + spec + " -o " + (dir_ / "relay.pml").string());
  EXPECT_EQ(e.code, 0) << e.out;
  Outcome g = Exec("gen " + spec + " --role Relay --out " + (dir_ / "gen").string());
  EXPECT_EQ(g.code, 2) << g.out;
  EXPECT_NE(g.out.find("lists are not supported by the test generator"), std::string::npos) << g.out;
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

// An LTL counterexample: a lasso (inc inc inc reset) that never reaches DONE.
const char* kLive = R"(
protocol live
const TOP = 3
role Counter {
  states RUN, STUCK, DONE
  initial RUN
  var n: int[0..7] = 0
  inc: from RUN on internal if n < TOP -> RUN { n = n + 1 }
  reset: from RUN on internal if n == TOP -> RUN { n = 0 }
  finish: from RUN on internal if n == 2 -> DONE
}
system one {
  instance c: Counter
}
property ends in one: eventually c in DONE
)";

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

TEST_F(Cli, ReplayRechecksLtlPropertiesOnTheLasso) {
  const std::string spec = Write("live.sp", kLive);
  const std::string trace = (dir_ / "live.json").string();
  Outcome r = Exec("check " + spec + " --trace-out " + trace + " -q");
  ASSERT_EQ(r.code, 1) << r.out;
  Outcome rp = Exec("replay " + spec + " " + trace + " -q");
  EXPECT_EQ(rp.code, 0) << rp.out;
  EXPECT_NE(rp.out.find("LTL property ends is violated: a run whose last 4 steps repeat forever"), std::string::npos)
      << rp.out;

  // The property edited so that the same run satisfies it: no longer a counterexample.
  rp = Exec("replay " + Write("edited.sp", Replace(kLive, "eventually c in DONE", "eventually c.n == 3")) + " " + trace);
  EXPECT_EQ(rp.code, 1) << rp.out;
  EXPECT_NE(rp.out.find("MISMATCH: the trace replays (4 steps) but does not show its verdict: LTL property ends "
                        "holds on this run"),
            std::string::npos)
      << rp.out;
  // Fairness added that the cycle does not meet: `finish` is enabled in it (n == 2), never taken.
  rp = Exec("replay " + Write("fair.sp", Replace(kLive, "eventually c in DONE", "eventually c in DONE under strong fair finish")) +
            " " + trace + " -q");
  EXPECT_EQ(rp.code, 1) << rp.out;
  EXPECT_NE(rp.out.find("the cycle is not fair (strong fair finish)"), std::string::npos) << rp.out;
  // Weak fairness is met: finish is not enabled in every state of the cycle.
  rp = Exec("replay " + Write("weak.sp", Replace(kLive, "eventually c in DONE", "eventually c in DONE under weak fair finish")) +
            " " + trace + " -q");
  EXPECT_EQ(rp.code, 0) << rp.out;
  EXPECT_NE(rp.out.find("a fair run whose last 4 steps repeat forever"), std::string::npos) << rp.out;
}

TEST_F(Cli, ReplayRechecksLtlPropertiesOnAStutteringEnd) {
  // inc, inc, stuck: STUCK has no step and repeats forever, never DONE.
  const std::string stuck = Replace(Replace(kLive, "reset: from RUN on internal if n == TOP -> RUN { n = 0 }",
                                            "stuck: from RUN on internal if n == TOP -> STUCK"),
                                    "finish: from RUN on internal if n == 2", "finish: from RUN on internal if n == 1");
  const std::string spec = Write("stuck.sp", stuck);
  const std::string trace = (dir_ / "stuck.json").string();
  ASSERT_EQ(Exec("check " + spec + " --trace-out " + trace + " -q").code, 1);
  Outcome rp = Exec("replay " + spec + " " + trace + " -q");
  EXPECT_EQ(rp.code, 0) << rp.out;
  EXPECT_NE(rp.out.find("ends in a state without successors"), std::string::npos) << rp.out;
  rp = Exec("replay " + Write("stuck2.sp", Replace(stuck, "eventually c in DONE", "eventually c.n == 3")) + " " + trace);
  EXPECT_EQ(rp.code, 1) << rp.out;
  EXPECT_NE(rp.out.find("holds on this run"), std::string::npos) << rp.out;
}

TEST_F(Cli, ReplayUsesTheTracesConstantsOrNamesTheDifference) {
  const std::string spec = Write("live.sp", kLive);
  const std::string trace = (dir_ / "live.json").string();
  ASSERT_EQ(Exec("check " + spec + " --trace-out " + trace + " -q").code, 1);
  // The spec's TOP changed since: replay compiles with the trace's TOP and says so.
  const std::string edited = Write("top4.sp", Replace(kLive, "const TOP = 3", "const TOP = 4"));
  Outcome rp = Exec("replay " + edited + " " + trace + " -q");
  EXPECT_EQ(rp.code, 0) << rp.out;
  EXPECT_NE(rp.out.find("with the trace's TOP=3 (the spec says 4)"), std::string::npos) << rp.out;
  // TOP given on the command line wins; the mismatch names the constant.
  rp = Exec("replay " + spec + " " + trace + " -q --const TOP=4");
  EXPECT_EQ(rp.code, 1) << rp.out;
  EXPECT_NE(rp.out.find("note: the trace was recorded with other constants: TOP=3 (here 4)"), std::string::npos) << rp.out;
  EXPECT_NE(rp.out.find("MISMATCH after 3 matching steps"), std::string::npos) << rp.out;
  EXPECT_NE(rp.out.find("(the trace was recorded with other constants: TOP=3 (here 4))"), std::string::npos) << rp.out;
  // A constant the spec no longer has, and one the trace does not know.
  const std::string renamed = Write("renamed.sp", Replace(Replace(Replace(kLive, "const TOP = 3", "const LIMIT = 3"), "n < TOP", "n < LIMIT"), "n == TOP", "n == LIMIT"));
  rp = Exec("replay " + renamed + " " + trace + " -q");
  EXPECT_NE(rp.out.find("TOP=3 (the spec has no TOP)"), std::string::npos) << rp.out;
  EXPECT_NE(rp.out.find("LIMIT (not in the trace; here 3)"), std::string::npos) << rp.out;
}

TEST_F(Cli, ReplayUsesTheTracesSeqBits) {
  const char* spec_text = R"(
protocol s
role R {
  states A, B
  initial A
  var x: seq<32> = 0
  step: from A on internal if x != 200 -> A { x = x + 100 }
  done: from A on internal if x == 200 -> B
}
system one {
  instance r: R
}
property never_b in one: always !(r in B)
)";
  const std::string spec = Write("s.sp", spec_text);
  const std::string trace = (dir_ / "s.json").string();
  ASSERT_EQ(Exec("check " + spec + " --seq-bits 8 --trace-out " + trace + " -q").code, 1);
  nlohmann::json j = nlohmann::json::parse(*sp::checker::testing::ReadFile(trace));
  EXPECT_EQ(j.value("seq_bits", 0), 8);
  Outcome rp = Exec("replay " + spec + " " + trace + " -q");
  EXPECT_EQ(rp.code, 0) << rp.out;
  EXPECT_NE(rp.out.find("with the trace's --seq-bits 8"), std::string::npos) << rp.out;
  rp = Exec("replay " + spec + " " + trace + " -q --seq-bits 3");
  EXPECT_EQ(rp.code, 1) << rp.out;
  EXPECT_NE(rp.out.find("recorded with other constants: --seq-bits 8 (here 3)"), std::string::npos) << rp.out;
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
