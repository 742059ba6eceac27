// Every class of bad input the CLI meets ends in a one-line error and a documented exit
// code -- never exit 70 (an uncaught exception), never a crash, never silent success.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

std::string Tmp(const std::string& name) { return ::testing::TempDir() + "/bad_input_" + name; }

std::string Write(const std::string& name, const std::string& text) {
  const std::string path = Tmp(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// The command fails with `status` and a single line naming `needle`.
void ExpectOneLine(const std::string& args, int status, const std::string& needle) {
  CommandResult r = run(bin() + " " + args);
  EXPECT_EQ(r.status, status) << args << "\n" << r.out;
  EXPECT_EQ(Lines(r.out), 1) << args << "\n" << r.out;
  EXPECT_NE(r.out.find(needle), std::string::npos) << args << "\n" << r.out;
}

TEST(BadInput, NumericFlagsGoThroughOneStrictParser) {
  const std::string tcp = src("spec/tcp.sp");
  const std::string out = " --role Endpoint --out " + Tmp("never");
  for (const auto& [args, flag] : std::vector<std::pair<std::string, std::string>>{
           {"check " + tcp + " --max-states -5", "--max-states: '-5'"},
           {"check " + tcp + " --max-memory nan", "--max-memory: 'nan'"},
           {"check " + tcp + " --timeout inf", "--timeout: 'inf'"},
           {"check " + tcp + " --timeout ' 1'", "--timeout: ' 1'"},
           {"check " + tcp + " --jobs 2x", "--jobs: '2x'"},
           {"check " + tcp + " --depth 1e3", "--depth: '1e3'"},
           {"simulate " + tcp + " --seed -1", "--seed: '-1'"},
           {"simulate " + tcp + " --steps 0x", "--steps: '0x'"},
           {"gen " + tcp + out + " --depth -1", "--depth: '-1'"},
           {"gen " + tcp + out + " --extra-states -3", "--extra-states: '-3'"},
           {"gen " + tcp + out + " --seed 18446744073709551616", "--seed: '18446744073709551616'"},
           {"run " + Tmp("none") + " --settle -1", "--settle: '-1'"},
           {"run " + Tmp("none") + " --settle nan", "--settle: 'nan'"},
           {"run " + Tmp("none") + " --settle inf", "--settle: 'inf'"},
           {"show " + tcp + " --seq-bits 3.5", "--seq-bits: '3.5'"},
           {"monitor " + tcp + " --role Endpoint " + Tmp("none") + " --jobs 0", "--jobs: '0'"},
           {"monitor " + tcp + " --role Endpoint " + Tmp("none") + " --linger nan", "--linger: 'nan'"},
           {"monitor " + tcp + " --role Endpoint " + Tmp("none") + " --timer-slack 2", "--timer-slack: '2'"},
           {"show " + tcp + " --const 'MAX_RETX= 1'", "--const MAX_RETX= 1"},
           {"show " + tcp + " --const MAX_RETX=1x", "--const MAX_RETX=1x"},
       }) {
    ExpectOneLine(args, 2, flag);
  }
  // A leading 0 is decimal, as everywhere else on the command line.
  CommandResult r = run(bin() + " show " + tcp + " --const MAX_RETX=010 --slots");
  EXPECT_EQ(r.status, 0) << r.out;
}

TEST(BadInput, EndlessOrHugeFilesAreRefusedBeforeReading) {
  const std::string tcp = src("spec/tcp.sp");
  ExpectOneLine("show /dev/zero", 2, "cannot read /dev/zero: larger than 64 MiB");
  ExpectOneLine("replay " + tcp + " /dev/zero", 2, "cannot read /dev/zero: larger than 64 MiB");
  ExpectOneLine("diff /dev/zero /dev/zero", 2, "cannot read /dev/zero: larger than 64 MiB");
  const std::string big = Write("big.spt", "");
  ASSERT_EQ(truncate(big.c_str(), 65 << 20), 0);  // sparse: st_size says it all
  CommandResult r = run(bin() + " run " + big + " --target linux");
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("bad_input_big.spt: error: cannot read: larger than 64 MiB"), std::string::npos) << r.out;
}

TEST(BadInput, ResultsWithWrongTypedFieldsAreNamed) {
  const std::string ok = R"({"target": "linux", "tests": [{"name": "a", "verdict": "pass"}]})";
  const std::string good = Write("ok.json", ok);
  for (const auto& [json, needle] : std::vector<std::pair<std::string, std::string>>{
           {R"({"target": 7, "tests": []})", "\"target\" must be a string (it is a number)"},
           {R"({"tests": [{"name": "a", "verdict": "fail", "failure": {"line": "x"}}]})",
            "test 0: failure: \"line\" must be an integer (it is a string)"},
           {R"({"tests": [{"name": "a", "verdict": "fail", "failure": {"kind": []}}]})", "\"kind\" must be a string"},
           {R"({"tests": [{"name": "a", "verdict": "pass", "deviation": 3}]})", "\"deviation\" must be a string"},
           {R"({"tests": [{"name": "a", "verdict": "pass", "packets": [{"from": 1}]}]})", "\"from\" must be a string"},
       }) {
    const std::string bad = Write("bad.json", json);
    ExpectOneLine("diff " + good + " " + bad, 2, needle);
    ExpectOneLine("diff " + bad + " " + good + " --baseline", 2, needle);
  }
}

TEST(BadInput, MalformedTracesAreExitTwo) {
  const std::string spec = src("spec/examples/abp_bug.sp");
  const std::string trace = Tmp("trace.json");
  CommandResult c = run(bin() + " check " + spec + " -q --trace-out " + trace);
  ASSERT_EQ(c.status, 1) << c.out;
  std::ifstream in(trace);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_EQ(run(bin() + " replay " + spec + " " + trace + " -q").status, 0);
  auto with = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const size_t at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) t.replace(at, from.size(), to);
    return Write("malformed.json", t);
  };
  for (const auto& [from, to, needle] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"\"version\": 1", "\"version\": 999", "trace version 999 (this stateproof reads version 1)"},
           {"\"version\": 1", "\"version\": \"1\"", "trace version \"1\""},
           {"\"steps\": [", "\"steps\": [5, ", "step 1: not an object"},
           {"\"instance\": \"", "\"instance\": 7, \"x\": \"", "step 1: no string \"instance\""},
           {"\"loop_start\": null", "\"loop_start\": \"x\"", "\"loop_start\" is neither null nor a step index"},
           {"\"initial\": {", "\"initial\": 3, \"x\": {", "\"initial\" is not an object"},
           {"\"end\": \"", "\"end\": \"nowhere", "unknown \"end\""},
       }) {
    ExpectOneLine("replay " + spec + " " + with(from, to), 2, needle);
  }
  ExpectOneLine("replay " + spec + " " + Write("notjson.json", "{"), 2, "not valid JSON");
}

TEST(BadInput, RunFilterThatSelectsNothingOrIsNoPattern) {
  const std::string suite = std::string(std::getenv("STATEPROOF_E2E_SUITES") ? std::getenv("STATEPROOF_E2E_SUITES")
                                                                              : "") + "/arp";
  ASSERT_TRUE(std::filesystem::exists(suite + "/coverage.txt")) << suite;
  ExpectOneLine("run " + suite + " --target linux-tap --filter zzz -q", 2, "--filter zzz: no test matches");
  ExpectOneLine("run " + suite + " --target linux-tap --filter '[' -q", 2,
                "--filter [: not a valid pattern: the `[` at column 1 is not closed");
  ExpectOneLine("run " + suite + " --target linux-tap --filter 'a\\' -q", 2, "a trailing `\\` escapes nothing");
}

TEST(BadInput, SettleLongerThanTheBudgetMarginDoesNotKillTheTest) {
  // The worker's budget is the test's own time plus a 10 s margin; --settle 12 fits only
  // because the budget counts the settle time too.
  const char* suites = std::getenv("STATEPROOF_E2E_SUITES");
  const std::string test = std::string(suites ? suites : "") + "/arp/rcv_not_for_me.spt";
  ASSERT_TRUE(std::filesystem::exists(test)) << test;
  CommandResult r = run(bin() + " run " + test + " --target linux-tap --settle 12 -q");
  if (r.status == 3) GTEST_SKIP() << r.out;
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("1 tests in 12."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(": 1 pass"), std::string::npos) << r.out;
}

TEST(BadInput, SuiteDirectoryOddEntriesAreNamedOnStderr) {
  const std::filesystem::path dir = Tmp("suite");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "sub");
  std::filesystem::create_symlink("missing.spt", dir / "dangling.spt");
  std::filesystem::create_symlink("loop.spt", dir / "loop.spt");
  std::filesystem::create_directory_symlink("sub", dir / "linked");
  ASSERT_EQ(mkfifo((dir / "fifo.spt").c_str(), 0644), 0);
  CommandResult r = run(bin() + " run " + dir.string() + " --target linux -q");
  EXPECT_EQ(r.status, 2) << r.out;  // and no test files
  EXPECT_NE(r.out.find("warning: " + (dir / "dangling.spt").string() + ": a dangling symbolic link, skipped"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning: " + (dir / "loop.spt").string() + ": a loop of symbolic links, skipped"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning: " + (dir / "fifo.spt").string() + ": not a regular file, skipped"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("warning: " + (dir / "linked").string() + ": a symbolic link to a directory, not followed"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no test files (*.spt) found"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(BadInput, ALongSourceLineIsEchoedAsAWindowAroundTheColumn) {
  const std::string path = Write("long.sp", "role R {\n  states A\n  initial " + std::string(2000000, 'x') + " B\n}\n");
  CommandResult r = run(bin() + " show " + path);
  EXPECT_EQ(r.status, 1);
  EXPECT_LT(r.out.size(), 1000u) << r.out.substr(0, 1000);
  const size_t line = r.out.find("\n  ...") + 1;
  ASSERT_NE(line, 0u) << r.out.substr(0, 1000);
  const size_t end = r.out.find('\n', line);
  const std::string echoed = r.out.substr(line, end - line);
  const std::string caret = r.out.substr(end + 1, r.out.find('\n', end + 1) - end - 1);
  EXPECT_EQ(echoed.substr(echoed.size() - 2), " B");
  EXPECT_EQ(caret.size(), echoed.size());  // the caret under the B
  EXPECT_EQ(caret.back(), '^');
}

TEST(BadInput, GenChecksItsOutputDirectoryFirst) {
  const std::string file = Write("plain", "x");
  ExpectOneLine("gen " + src("spec/tcp.sp") + " --role Endpoint -q --out " + file, 2,
                "--out " + file + ": cannot write there: not a directory");
  ExpectOneLine("gen " + src("spec/tcp.sp") + " --role Endpoint -q --out " + file + "/sub", 2,
                "cannot write there: Not a directory");
}

TEST(BadInput, Z3OutOfMemoryIsAClearError) {
  // Under a small address-space limit Z3 cannot make its context.
  for (const std::string& args : {"check " + src("spec/tcp.sp") + " -q --engine bmc --depth 3",
                                  "gen " + src("spec/tcp.sp") + " --role Endpoint -q --out " + Tmp("oom")}) {
    CommandResult r = run("ulimit -v 50000; " + bin() + " " + args);
    if (r.out.find("error while loading shared libraries") != std::string::npos) GTEST_SKIP() << r.out;
    EXPECT_EQ(r.status, 4) << args << "\n" << r.out;
    EXPECT_NE(r.out.find("out of memory"), std::string::npos) << args << "\n" << r.out;
  }
}

TEST(BadInput, InterruptedCheckAndGenReportAndExit130) {
  for (const std::string& args : {"check " + src("spec/tcp.sp") + " -q", "check " + src("spec/tcp.sp") +
                                  " -q --engine bmc --depth 60"}) {
    CommandResult r = run("exec 2>&1; " + bin() + " " + args + " & p=$!; sleep 2; kill -INT $p; wait $p");
    EXPECT_EQ(r.status, 130) << args << "\n" << r.out;
    EXPECT_NE(r.out.find("unknown (interrupted)"), std::string::npos) << args << "\n" << r.out;
    EXPECT_NE(r.out.find("stopped: interrupted"), std::string::npos) << args << "\n" << r.out;
    EXPECT_NE(r.out.find("stateproof: interrupted by signal 2"), std::string::npos) << args << "\n" << r.out;
  }
  const std::string out = Tmp("interrupted-suite");
  std::filesystem::remove_all(out);
  CommandResult r = run("exec 2>&1; " + bin() + " gen " + src("spec/tcp.sp") + " --role Endpoint -q --out " + out +
                        " & p=$!; sleep 2; kill -INT $p; wait $p");
  EXPECT_EQ(r.status, 130) << r.out;
  EXPECT_EQ(r.out, "stateproof gen: interrupted; nothing written\n");
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(BadInput, InterruptedBmcStopsWithinASecond) {
  // bmc stops within a second of SIGINT however deep it got (the Z3 context is not freed
  // on the way out: that took 5 s at depth 4); 3 s leaves room for a loaded machine.
  CommandResult r = run("exec 2>&1; " + bin() + " check " + src("spec/tcp.sp") +
                        " -q --engine bmc --depth 60 & p=$!; sleep 5; kill -INT $p; t0=$(date +%s%N); wait $p; "
                        "rc=$?; echo \"stopped after $(( ($(date +%s%N) - t0) / 1000000 )) ms\"; exit $rc");
  EXPECT_EQ(r.status, 130) << r.out;
  const size_t at = r.out.find("stopped after ");
  ASSERT_NE(at, std::string::npos) << r.out;
  EXPECT_LT(std::stol(r.out.substr(at + 14)), 3000) << r.out;
}

}  // namespace
}  // namespace sp::e2e
