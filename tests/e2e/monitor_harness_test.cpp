// `stateproof monitor` on the harness's own captures: the generated TCP suite runs against
// this kernel with --pcap (one capture per test), and each capture is checked with the IUT
// as the role. A test that passed must conform; a test whose run reported a departure the
// wire shows (a wrong segment, an unexpected one) must depart, at that segment. Departures
// the wire cannot show (a state only sock_diag sees, an answer that never came and nothing
// after it) are not required. Needs root and /dev/net/tun (skips without).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/e2e/generated_suites.hpp"
#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json Load(const fs::path& p) {
  std::ifstream f(p);
  return json::parse(f, nullptr, false);
}

// The seq of a tcpdump-style line (`Flags [R.], seq 123, ...`), or "".
std::string SeqOf(const std::string& line, const char* pattern) {
  std::smatch m;
  return std::regex_search(line, m, std::regex(pattern)) ? m[1].str() : "";
}

void CheckHarnessCaptures(const std::string& target) {
  const fs::path mine = fs::temp_directory_path() / ("sp_e2e_monitor_" + target + "_" + std::to_string(getpid()));
  fs::create_directories(mine);  // under ctest the suites are shared, not generated here
  GeneratedSuites suites = generated_suites(mine / "suites");
  ASSERT_TRUE(suites.ok) << suites.output;
  const fs::path pcaps = mine / "pcaps", results = mine / "results.json", one = mine / "one.json";
  CommandResult r = run(bin() + " run " + (suites.dir / "tcp").string() + " --target " + target +
                        " --fast --quiet --jobs 2 --pcap " + pcaps.string() + " --results " + results.string());
  if (r.status == 3) {
    release(suites);
    GTEST_SKIP() << "cannot run tests against the kernel here: " << r.out;
  }
  const json ran = Load(results);
  ASSERT_TRUE(ran.is_object()) << r.out;
  size_t conforming = 0, departing = 0, checked = 0;
  for (const json& t : ran["tests"]) {
    const std::string name = t["name"], verdict = t["verdict"];
    const fs::path pcap = pcaps / (name + ".pcap");
    if (!fs::exists(pcap) || (verdict != "pass" && verdict != "expected deviation")) continue;
    const std::string kind = t.contains("failure") ? t["failure"].value("kind", "") : "";
    CommandResult m = run(bin() + " monitor " + src("spec/tcp.sp") + " --role Endpoint " + pcap.string() +
                          " --side 192.0.2.1 --profile linux --json " + one.string());
    const json mj = Load(one);
    ASSERT_TRUE(mj.is_object()) << name << ": " << m.out;
    std::vector<json> sides;
    for (const json& c : mj["connections"]) {
      for (const json& s : c["sides"]) sides.push_back(s);
    }
    ++checked;
    if (verdict == "pass") {
      for (const json& s : sides) EXPECT_EQ(s["verdict"], "conforms") << name << ":\n" << m.out;
      EXPECT_EQ(m.status, 0) << name << ":\n" << m.out;
      ++conforming;
    } else if (kind == "packet" || kind == "unexpected") {
      ASSERT_EQ(sides.size(), 1u) << name << ":\n" << m.out;
      EXPECT_EQ(sides[0]["verdict"], "departs") << name << " (" << t.value("deviation", "") << "):\n" << m.out;
      EXPECT_EQ(m.status, 1) << name;
      if (sides[0]["verdict"] == "departs") {
        // The same segment: the one the run's failure observed.
        const std::string observed = t["failure"].value("observed", "");
        const std::string seq = SeqOf(observed, "seq ([0-9]+)");
        const std::string got = SeqOf(sides[0]["departure"]["segment"], "seq=([0-9]+)");
        if (!seq.empty()) {
          EXPECT_EQ(got, seq) << name << ": the run observed " << observed << "\n" << m.out;
        }
        EXPECT_EQ(sides[0]["departure"]["direction"], "sent by the role") << name;
      }
      ++departing;
    }
  }
  std::printf("[ info     ] %s: %zu captures checked: %zu passing tests conform, %zu departures found\n",
              target.c_str(), checked, conforming, departing);
  EXPECT_GT(conforming, 50u);
  EXPECT_GT(departing, 5u);
  release(suites);
  std::error_code ec;
  fs::remove_all(mine, ec);
}

TEST(MonitorHarnessCaptures, LinuxOverTunRawIp) { CheckHarnessCaptures("linux"); }

TEST(MonitorHarnessCaptures, LinuxOverTapEthernet) { CheckHarnessCaptures("linux-tap"); }

}  // namespace
}  // namespace sp::e2e
