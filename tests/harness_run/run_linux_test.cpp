// End to end against the Linux kernel: the hand-written suites under suites/ run in
// private network namespaces through TUN (linux) and TAP (linux-tap), with the built-in
// profile. Needs root and /dev/net/tun; skipped with the reason otherwise. Also checks
// that a run leaves the host's interfaces and routes as they were, and that reports
// (pcap, JUnit, JSON) come out readable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "harness/report/report.hpp"
#include "harness/runner/runner.hpp"
#include "harness/runner/schedule.hpp"
#include "harness/runner/suite_run.hpp"
#include "harness/suite/parse.hpp"
#include "harness/suite/suite.hpp"
#include "tests/harness_run/host_state.hpp"

namespace sp::harness {
namespace {

namespace fs = std::filesystem;

const std::string kSuites = STATEPROOF_SOURCE_DIR "/tests/harness_run/suites";

#define SKIP_WITHOUT_ENVIRONMENT(target)                                             \
  do {                                                                              \
    EnvironmentStatus env = check_environment(target);                              \
    if (!env.ok) GTEST_SKIP() << "needs root and /dev/net/tun: " << env.message;    \
  } while (0)

std::vector<TestCase> load(const std::string& dir) {
  std::vector<std::string> errors;
  Suite s = load_suite(collect_test_files({dir}, &errors), Selection{});
  EXPECT_TRUE(errors.empty());
  EXPECT_FALSE(s.bad_input);
  return s.tests;
}

RunOptions options_for(TargetKind target) {
  RunOptions o;
  o.target = target;
  o.jobs = 2;
  std::vector<ParseError> errors;
  o.profile = parse_profile(*builtin_profile_text(target_name(target)), "linux.profile", &errors);
  EXPECT_TRUE(errors.empty());
  return o;
}

// What each hand-written test gives on Linux: pass, or an expected deviation listed in
// harness/targets/linux.profile.
const std::map<std::string, Verdict>& expected_verdicts() {
  static const std::map<std::string, Verdict> kExpected = {
      {"passive_open_syn", Verdict::kPass},
      {"passive_open_established", Verdict::kPass},
      {"active_open", Verdict::kPass},
      {"rst_in_listen_ignored", Verdict::kPass},
      {"ack_in_listen_draws_rst", Verdict::kPass},
      {"syn_to_closed_port", Verdict::kPass},
      {"rst_at_rcv_nxt_closes", Verdict::kPass},
      {"rst_in_window_challenge_ack", Verdict::kPass},
      {"syn_in_established_challenge_ack", Verdict::kPass},
      {"close_sends_fin", Verdict::kPass},
      {"time_wait_by_state", Verdict::kPass},
      {"reopen_in_time_wait_refused", Verdict::kPass},
      {"reopen_listen_reuseaddr_beside_time_wait", Verdict::kPass},
      {"passive_close", Verdict::kPass},
      {"send_data", Verdict::kPass},
      {"abort_sends_rst", Verdict::kPass},
      {"syn_rcvd_rst_in_window_challenge_ack", Verdict::kPass},
      {"time_wait_rst_in_window_challenge_ack", Verdict::kExpectedDeviation},
      {"syn_in_syn_rcvd_returns_to_listen", Verdict::kExpectedDeviation},
      {"syn_rcvd_duplicate_syn_acked", Verdict::kExpectedDeviation},
      {"request_for_iut_draws_reply", Verdict::kPass},
      {"request_for_other_no_reply", Verdict::kPass},
      {"resolve_sends_request", Verdict::kPass},
      {"unsolicited_reply_merged", Verdict::kExpectedDeviation},
      {"unsolicited_reply_merged_arp_accept", Verdict::kPass},
      {"announce_sends_gratuitous_request", Verdict::kPass},
      {"wrapped_tester_isn", Verdict::kPass},
      {"close_in_syn_rcvd_sends_fin", Verdict::kExpectedDeviation},
  };
  return kExpected;
}

void check_verdicts(const RunOutcome& out, size_t count) {
  ASSERT_EQ(out.results.size(), count);
  for (const TestResult& r : out.results) {
    auto it = expected_verdicts().find(r.name);
    ASSERT_NE(it, expected_verdicts().end()) << "no expected verdict for " << r.name;
    EXPECT_EQ(verdict_name(r.verdict), std::string(verdict_name(it->second)))
        << r.name << "\n" << render_diff(r) << r.note;
  }
}

TEST(RunLinux, TcpSuiteOverTun) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinux);
  std::vector<TestCase> tests = load(kSuites + "/tcp");
  check_verdicts(run_tests(tests, options_for(TargetKind::kLinux)), tests.size());
}

TEST(RunLinux, TcpSuiteOverTap) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinuxTap);
  std::vector<TestCase> tests = load(kSuites + "/tcp");
  check_verdicts(run_tests(tests, options_for(TargetKind::kLinuxTap)), tests.size());
}

TEST(RunLinux, ArpSuiteOverTap) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinuxTap);
  std::vector<TestCase> tests = load(kSuites + "/arp");
  check_verdicts(run_tests(tests, options_for(TargetKind::kLinuxTap)), tests.size());
}

TEST(RunLinux, ArpTestsAreSkippedOverTun) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinux);
  std::vector<TestCase> tests = load(kSuites + "/arp");
  RunOutcome out = run_tests(tests, options_for(TargetKind::kLinux));
  for (const TestResult& r : out.results) {
    EXPECT_EQ(r.verdict, Verdict::kSkipped) << r.name;
    EXPECT_EQ(r.note, "wire arp needs an Ethernet target (linux-tap, lwip, raw:IFACE)");
  }
}

// Every inject that answers an expected packet records the harness's reaction latency
// (how small it is under load is bench/harness.sh's business); as root, the workers ran
// under real-time scheduling.
TEST(RunLinux, ReactionLatencyIsRecorded) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinux);
  std::vector<TestCase> tests = load(kSuites + "/tcp");
  std::erase_if(tests, [](const TestCase& t) { return t.name != "passive_open_established"; });
  ASSERT_EQ(tests.size(), 1u);
  RunOutcome out = run_tests(tests, options_for(TargetKind::kLinux));
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_TRUE(out.realtime) << out.realtime_refused;
  const TestResult& r = out.results[0];
  ASSERT_FALSE(r.reaction_latencies.empty()) << render_diff(r);
  for (double l : r.reaction_latencies) {
    EXPECT_GT(l, 0);
    EXPECT_LT(l, r.duration);
  }
}

// Without --jobs, tests that sleep while they wait for an answer that never comes (most
// expected deviations: a 0.5 s expect window each) overlap, kJobsPerCpu per CPU: 24 of
// them end in about 2 windows on 2 CPUs, where one job per CPU took 6 s.
TEST(RunLinux, DefaultJobsOverlapTestsWaitingForTheIut) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinux);
  std::vector<TestCase> tests;
  for (int k = 0; k < 24; ++k) {
    // A listener sends nothing by itself: the expect times out (a fail, 0.5 s).
    ParseOutcome p = parse_test("test silent" + std::to_string(k) + "\nwire tcp\n\n+0 call listen\n"
                                "+0 expect flags=S seq=0 within 0.5\n",
                                "silent.spt");
    ASSERT_TRUE(p.test);
    ASSERT_FALSE(is_waiting(*p.test));  // not known to sleep before it runs: a job slot
    tests.push_back(*p.test);
  }
  RunOptions o = options_for(TargetKind::kLinux);
  o.jobs = 0;  // the default
  const auto start = std::chrono::steady_clock::now();
  RunOutcome out = run_tests(tests, o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(out.results.size(), tests.size());
  for (const TestResult& r : out.results) EXPECT_EQ(r.verdict, Verdict::kFail) << r.name;
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  const double rounds = std::ceil(24.0 / static_cast<double>(std::max(1L, cpus) * kJobsPerCpu));
  // One job per CPU would need ceil(24 / cpus) windows: at least 12 times 0.5 s on 2 CPUs.
  EXPECT_LT(seconds, 0.5 * rounds + 2.5) << rounds << " rounds of 0.5 s expected";
}

// A TestSource's tests are loaded when their worker starts and dropped with their
// result: never more loaded at once than run at once (2 jobs), so a long run holds no
// suite. A test whose file no longer parses is an error result, the others still run.
TEST(RunLinux, TestsAreLoadedWhenTheirWorkerStarts) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinux);
  const int n = 12;
  TestSource source;
  source.plans.assign(n, TestPlan{});
  int loaded = 0, finished = 0, most = 0;
  source.load = [&](size_t i, std::string* error) -> std::optional<TestCase> {
    if (i == 5) {
      *error = "t5.spt:1:1: expected `test NAME`";
      return std::nullopt;
    }
    ParseOutcome p = parse_test("test t" + std::to_string(i) + "\n+0 call listen\n+0 expect state LISTEN\n",
                                "t" + std::to_string(i) + ".spt");
    ++loaded;
    most = std::max(most, loaded - finished);
    return p.test;
  };
  source.stub = [](size_t i) {
    TestCase t;
    t.name = "t" + std::to_string(i);
    t.path = t.name + ".spt";
    return t;
  };
  RunOptions o = options_for(TargetKind::kLinux);
  o.jobs = 2;
  o.keep_results = false;
  std::map<std::string, Verdict> verdicts;
  std::string changed;
  o.on_result = [&](const TestCase& test, const TestResult& r, size_t, size_t) {
    EXPECT_EQ(test.name, r.name);
    if (r.name != "t5") ++finished;
    verdicts[r.name] = r.verdict;
    if (r.failure) changed = r.failure->message;
  };
  RunOutcome out = run_tests(source, o);
  EXPECT_TRUE(out.results.empty());
  ASSERT_EQ(verdicts.size(), static_cast<size_t>(n));
  for (const auto& [name, v] : verdicts) EXPECT_EQ(v, name == "t5" ? Verdict::kError : Verdict::kPass) << name;
  EXPECT_EQ(changed, "the test file changed during the run: t5.spt:1:1: expected `test NAME`");
  EXPECT_LE(most, 2);
}

TEST(RunLinux, WithoutProfileDeviationsFail) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinux);
  std::vector<TestCase> tests = load(kSuites + "/tcp");
  RunOptions o = options_for(TargetKind::kLinux);
  o.profile->deviations.clear();  // keep the sysctls
  for (const TestResult& r : run_tests(tests, o).results) {
    Verdict want = expected_verdicts().at(r.name) == Verdict::kExpectedDeviation ? Verdict::kFail : Verdict::kPass;
    EXPECT_EQ(r.verdict, want) << r.name << "\n" << render_diff(r);
  }
}

TEST(RunLinux, RunSuiteWritesReportsAndLeavesHostAlone) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinuxTap);
  testing::HostState before = testing::HostState::capture();
  fs::path dir = fs::temp_directory_path() / ("sp_run_reports_" + std::to_string(getpid()));
  fs::remove_all(dir);
  SuiteRunOptions o;
  o.paths = {kSuites};
  o.target = "linux-tap";
  o.jobs = 2;
  o.fast = true;
  o.junit = (dir / "junit.xml").string();
  o.results_json = (dir / "results.json").string();
  o.pcap_dir = (dir / "pcap").string();
  o.handle_signals = false;
  std::ostringstream out, err;
  fs::create_directories(dir);
  SuiteRunReport report = run_suite(o, out, err);
  EXPECT_EQ(report.exit_code, kRunPassed) << out.str() << err.str();
  EXPECT_NE(out.str().find("tests in"), std::string::npos) << out.str();
  EXPECT_TRUE(fs::exists(dir / "junit.xml"));
  EXPECT_TRUE(fs::exists(dir / "results.json"));
  EXPECT_TRUE(fs::exists(dir / "pcap" / "passive_open_syn.pcap"));
  std::ifstream junit(dir / "junit.xml");
  std::string xml((std::istreambuf_iterator<char>(junit)), {});
  EXPECT_NE(xml.find("<testcase name=\"passive_open_syn\""), std::string::npos);
  // tshark, when installed, decodes the pcap: SYN in, SYN-ACK out.
  if (system("command -v tshark >/dev/null 2>&1") == 0) {
    std::string cmd = "tshark -r " + (dir / "pcap" / "passive_open_syn.pcap").string() +
                      " -T fields -e tcp.flags.str 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string text;
    char buf[256];
    while (fgets(buf, sizeof buf, p)) text += buf;
    pclose(p);
    EXPECT_NE(text.find("S"), std::string::npos) << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  }
  fs::remove_all(dir);
  testing::HostState after = testing::HostState::capture();
  EXPECT_EQ(before.links, after.links);
  EXPECT_EQ(before.routes, after.routes);
  EXPECT_EQ(before.netns, after.netns);
}

// A profile's settings are printed and recorded; an entry that applied to a test that
// ran but excused nothing is listed, and --strict-profile fails on it.
TEST(RunLinux, ProfileSettingsAndStaleEntriesAreReported) {
  SKIP_WITHOUT_ENVIRONMENT(TargetKind::kLinux);
  fs::path dir = fs::temp_directory_path() / ("sp_run_stale_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "t.profile");
    f << "profile t\ntargets linux\nsysctl net.ipv4.tcp_syn_retries=3\n\n"
         "deviation never_seen\nat Endpoint.rcv_syn_listen\ncite \"RFC 9293 §3.10.7.2\"\n"
         "rfc \"r\"\nreason \"y\"\nmatch kind=timeout expected=\"flags=SA seq=0 ack=7\"\n";
  }
  SuiteRunOptions o;
  o.paths = {kSuites + "/tcp/passive_open_syn.spt"};
  o.target = "linux";
  o.profile = (dir / "t.profile").string();
  o.results_json = (dir / "results.json").string();
  o.junit = (dir / "junit.xml").string();
  o.handle_signals = false;
  std::ostringstream out, err;
  SuiteRunReport report = run_suite(o, out, err);
  EXPECT_EQ(report.exit_code, kRunPassed) << out.str() << err.str();
  EXPECT_NE(out.str().find("net.ipv4.tcp_syn_retries=3  (profile t, " + (dir / "t.profile").string() + ":3)"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("excused no failure:\n  never_seen ("), std::string::npos) << out.str();
  ASSERT_EQ(report.stale_deviations.size(), 1u);
  std::ifstream json(dir / "results.json");
  std::string text((std::istreambuf_iterator<char>(json)), {});
  EXPECT_NE(text.find("{\"name\": \"net.ipv4.tcp_syn_retries\", \"value\": \"3\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"stale_deviations\": [\"never_seen ("), std::string::npos) << text;
  std::ifstream junit(dir / "junit.xml");
  std::string xml((std::istreambuf_iterator<char>(junit)), {});
  EXPECT_NE(xml.find("<property name=\"setting net.ipv4.tcp_syn_retries\" value=\"3 (profile t"), std::string::npos)
      << xml;
  o.strict_profile = true;
  std::ostringstream out2, err2;
  EXPECT_EQ(run_suite(o, out2, err2).exit_code, kRunFailed) << out2.str();
  EXPECT_NE(out2.str().find("(--strict-profile: a fail)"), std::string::npos) << out2.str();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sp::harness
