// End to end: the generated TCP (and ARP) suites against third-party stacks, as a user
// runs them — lwIP through its driver (`--target lwip`), and the Linux kernel of a
// namespace reached only over a veth pair (`--target raw:IFACE` with the Linux agent).
// Counts are asserted loosely: every test gets a verdict and none is an error (a harness
// error means the harness, not the stack, failed). Skipped without root, /dev/net/tun
// or liblwip, with a message saying which.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "generated_suites.hpp"
#include "run_command.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;

std::string beside_binary(const std::string& name) {
  return (fs::path(bin()).parent_path() / name).string();
}

// Why the environment cannot run these tests, or "".
std::string missing_privileges() {
  if (geteuid() != 0) return "needs root (network namespaces, veth, AF_PACKET)";
  if (access("/dev/net/tun", R_OK | W_OK) != 0) return "needs /dev/net/tun";
  if (run("unshare --net true").status != 0) return "cannot create network namespaces (unshare --net)";
  return "";
}

class ThirdPartyStacks : public ::testing::Test {
 protected:
  // The generated suites (shared under ctest, see generated_suites.hpp).
  static void SetUpTestSuite() {
    std::string why = missing_privileges();
    if (!why.empty()) return;
    fs::path mine = fs::temp_directory_path() / ("sp-e2e-third-party-" + std::to_string(getpid()));
    suites_ = new GeneratedSuites(generated_suites(mine / "suites"));
    dir_ = new std::string(suites_->dir.string());
    work_ = new std::string((mine / "work").string());  // results, scripts: this process's own
    fs::create_directories(*work_);
    generated_ = suites_->ok;
    gen_output_ = suites_->output;
  }
  static void TearDownTestSuite() {
    if (suites_) release(*suites_);
    std::error_code ec;
    if (work_) fs::remove_all(fs::path(*work_).parent_path(), ec);
    delete suites_;
    delete dir_;
    delete work_;
    suites_ = nullptr;
    dir_ = nullptr;
    work_ = nullptr;
  }
  void SetUp() override {
    std::string why = missing_privileges();
    if (!why.empty()) GTEST_SKIP() << why;
    ASSERT_TRUE(generated_) << gen_output_;
  }

  static size_t count_tests(const std::string& dir) {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".spt";
    return n;
  }

  // Every test has a verdict, none is an error; returns the verdict counts.
  static std::map<std::string, int> check_results(const std::string& path, size_t expected_tests,
                                                  const std::string& output) {
    std::ifstream in(path);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "no results JSON\n" << output;
    std::map<std::string, int> counts;
    if (j.is_discarded()) return counts;
    EXPECT_EQ(j["tests"].size(), expected_tests) << output;
    for (const auto& t : j["tests"]) {
      std::string verdict = t["verdict"];
      ++counts[verdict];
      EXPECT_NE(verdict, "error") << t["name"] << ": " << t.value("diff", "");
    }
    return counts;
  }

  static GeneratedSuites* suites_;
  static std::string* dir_;   // the generated suites: tcp/, arp/
  static std::string* work_;  // where a test writes
  static bool generated_;
  static std::string gen_output_;
};

GeneratedSuites* ThirdPartyStacks::suites_ = nullptr;
std::string* ThirdPartyStacks::dir_ = nullptr;
std::string* ThirdPartyStacks::work_ = nullptr;
bool ThirdPartyStacks::generated_ = false;
std::string ThirdPartyStacks::gen_output_;

TEST_F(ThirdPartyStacks, GeneratedSuitesRunAgainstLwip) {
  if (access(beside_binary("stateproof-lwip-agent").c_str(), X_OK) != 0) {
    GTEST_SKIP() << "stateproof-lwip-agent not built (liblwip-dev missing)";
  }
  // The boundary suite at the default jobs (414 tests, most waiting out a silence window).
  for (const auto& [suite, jobs] : {std::pair{"tcp", " --jobs 2"}, std::pair{"arp", " --jobs 2"},
                                    std::pair{"tcp-boundary-lwip", ""}}) {
    std::string results = *work_ + "/lwip-" + suite + ".json";
    CommandResult r = run(bin() + " run " + *dir_ + "/" + suite + " --target lwip --fast --quiet" + jobs +
                          " --results " + results);
    // Every test passes or departs as lwip.profile says (each entry with its RFC sentence).
    EXPECT_EQ(r.status, 0) << r.out;
    std::map<std::string, int> counts = check_results(results, count_tests(*dir_ + "/" + suite), r.out);
    EXPECT_GT(counts["pass"], 0) << r.out;
    EXPECT_EQ(counts["fail"], 0) << r.out;
  }
}

// lwIP reads the TAP on a thread of its own: a call right after an inject must still
// come after lwIP took the segment (`sync`, docs/agent-protocol.md). A CLOSE after the
// peer's FIN is LAST-ACK; run before lwIP saw the FIN it would be FIN-WAIT-1, then
// CLOSING, and its FIN would carry ack=1. Eight copies, so that a race would show.
TEST_F(ThirdPartyStacks, LwipTakesAnInjectedSegmentBeforeTheNextCall) {
  if (access(beside_binary("stateproof-lwip-agent").c_str(), X_OK) != 0) {
    GTEST_SKIP() << "stateproof-lwip-agent not built (liblwip-dev missing)";
  }
  const std::string suite = *work_ + "/lwip-inject-then-call";
  fs::create_directories(suite);
  for (int i = 0; i < 8; ++i) {
    std::ofstream(suite + "/close_after_fin_" + std::to_string(i) + ".spt")
        << "test close_after_fin_" << i << "\nwire tcp\n"
        << "allow flags=A seq=1 ack=2\nallow flags=FA seq=1 ack=2\n\n"
        << "+0 call listen\n+0 inject flags=S seq=0 win=65535\n+0 expect flags=SA seq=0 ack=1\n"
        << "+0 inject flags=A seq=1 ack=1 win=65535\n+0 call accept\n"
        << "+0 inject flags=FA seq=1 ack=1 win=65535\n+0 call close\n+0 expect state LAST_ACK within 0.2\n";
  }
  CommandResult r = run(bin() + " run " + suite + " --target lwip --quiet --profile none");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("8 pass"), std::string::npos) << r.out;
}

// The Linux kernel in a namespace of its own (S), reached only over a veth pair from a
// tester namespace (T); both namespaces live as long as two `sleep` processes.
TEST_F(ThirdPartyStacks, GeneratedTcpSuiteRunsAgainstLinuxOverVeth) {
  std::string agent = beside_binary("stateproof-linux-agent");
  ASSERT_EQ(access(agent.c_str(), X_OK), 0) << agent;
  // A script, so that the namespaces' holders are killed whatever happens.
  std::string script = *work_ + "/veth.sh";
  std::ofstream(script) << R"(set -u
unshare --net sleep 300 & S=$!
unshare --net sleep 300 & T=$!
trap 'kill $S $T 2>/dev/null' EXIT
sleep 0.2
in_s() { nsenter --net=/proc/$S/ns/net "$@"; }
in_t() { nsenter --net=/proc/$T/ns/net "$@"; }
ip link add spt0 netns $T type veth peer name sps0 netns $S || exit 90
in_s sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 net.ipv4.tcp_no_metrics_save=1 net.ipv4.tcp_invalid_ratelimit=0
in_s sysctl -qw net.ipv4.neigh.sps0.mcast_solicit=2
in_t sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
in_s ip link set lo up
in_s ip link set sps0 address 02:00:00:00:00:01
in_s ip addr add 192.0.2.1/24 dev sps0
in_s ip link set sps0 up
in_t ip link set spt0 address 02:00:00:00:00:02 arp off up
run() { in_t )" + bin() + " run " + *dir_ + "/$1 --target raw:spt0 --agent '" + agent +
                              " --netns /proc/'$S'/ns/net --ifname sps0' --profile none --fast --quiet --results " +
                              *work_ + "/raw-linux-$1.json; echo \"$1 exit $?\"; }\n"
                              "run tcp\nrun arp\n";
  CommandResult r = run("bash " + script);
  ASSERT_NE(r.status, 90) << "cannot create the veth pair\n" << r.out;
  for (const char* suite : {"tcp", "arp"}) {
    EXPECT_TRUE(r.out.find(std::string(suite) + " exit 0") != std::string::npos ||
                r.out.find(std::string(suite) + " exit 1") != std::string::npos)
        << r.out;
    std::map<std::string, int> counts =
        check_results(*work_ + "/raw-linux-" + suite + ".json", count_tests(*dir_ + "/" + suite), r.out);
    EXPECT_GT(counts["pass"], 0) << r.out;
  }
  // One stack serves every test of the ARP suite: the agent's reset empties the neighbour
  // table between tests, so resolve_miss sees the REQUEST a fresh namespace would send.
  std::ifstream in(*work_ + "/raw-linux-arp.json");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  int seen = 0;
  for (const auto& t : j["tests"]) {
    if (t["name"] != "resolve_miss") continue;
    ++seen;
    EXPECT_EQ(t["verdict"], "pass") << t.value("diff", "");
  }
  EXPECT_EQ(seen, 1) << r.out;
}

// Robustness: an agent that crashes, hangs or answers garbage gives each affected test an
// error verdict naming what happened, and the run goes on to the next test. On `lo` of
// a fresh namespace (raw:lo): the agents are shell one-liners.
TEST_F(ThirdPartyStacks, MisbehavingAgentsGiveErrorVerdictsAndTheRunGoesOn) {
  std::string suite = *work_ + "/robust";
  fs::create_directories(suite);
  for (const char* name : {"one", "two"}) {
    std::ofstream(suite + "/" + name + ".spt") << "test " << name << "\nwire tcp\n\n+0 call listen\n+0 expect state LISTEN\n";
  }
  struct Case {
    const char* agent;
    const char* message;
  } cases[] = {
      {"echo ready x; read l; kill -SEGV $$", "killed by signal 11 SIGSEGV"},
      {"echo ready x; read l; sleep 30", "did not answer `listen 8080` within 2.0 s (hung?)"},
      {"echo ready x; read l; echo HTTP/1.1 200 OK; sleep 30", "sent garbage in reply to `listen 8080`: `HTTP/1.1 200 OK`"},
  };
  for (const Case& c : cases) {
    std::string results = suite + "/results.json", agent = suite + "/agent.sh";
    std::ofstream(agent) << c.agent << "\n";
    CommandResult r = run("unshare --net sh -c 'ip link set lo up && " + bin() + " run " + suite +
                          "/one.spt " + suite + "/two.spt --target raw:lo --agent \"exec sh " + agent +
                          "\" --quiet --results " + results + "'");
    EXPECT_EQ(r.status, 1) << r.out;
    std::ifstream in(results);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.out;
    ASSERT_EQ(j["tests"].size(), 2u) << r.out;  // both ran: the first agent's death did not stop the run
    for (const auto& t : j["tests"]) {
      EXPECT_EQ(t["verdict"], "error") << c.agent;
      EXPECT_NE(t["failure"].value("message", "").find(c.message), std::string::npos)
          << c.agent << ": " << t["failure"].value("message", "");
    }
  }
}

}  // namespace
}  // namespace sp::e2e
