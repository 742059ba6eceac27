// A profile entry excuses exactly the departure it describes, nothing else. Every
// generated TCP test that Linux's built-in profile turns into an expected deviation is
// mutated as a wrong test would be — a wrong ack, wrong flags or a wrong state in an
// expect line, an expected packet deleted, an extra expected packet — at or before the
// line where the deviation shows, and run against the kernel: every mutant must fail.
// Needs root and /dev/net/tun (skips, saying what is missing, without them).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <vector>

#include "tests/e2e/generated_suites.hpp"
#include "tests/e2e/run_command.hpp"

namespace sp::e2e {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

std::vector<std::string> read_lines(const fs::path& p) {
  std::ifstream f(p);
  std::vector<std::string> lines;
  for (std::string l; std::getline(f, l);) lines.push_back(l);
  return lines;
}

bool is_expect_packet(const std::string& l) { return std::regex_search(l, std::regex(R"(^[+@]\S+\s+expect flags=)")); }
bool is_expect_state(const std::string& l) { return std::regex_search(l, std::regex(R"(^[+@]\S+\s+expect state )")); }

// The last line index in [0, end) for which `pred` holds, or -1.
int last_before(const std::vector<std::string>& lines, int end, const std::function<bool(const std::string&)>& pred) {
  for (int i = std::min(end, static_cast<int>(lines.size())) - 1; i >= 0; --i) {
    if (pred(lines[i])) return i;
  }
  return -1;
}

struct Mutant {
  std::string kind;
  std::vector<std::string> lines;
};

// The mutants of one test whose failure shows at file line `failing` (1-based; 0: the end).
std::vector<Mutant> mutate(const std::vector<std::string>& lines, int failing) {
  const int upto = failing > 0 ? failing : static_cast<int>(lines.size());  // lines [0, upto) plus the failing one
  std::vector<Mutant> out;
  auto with = [&](const std::string& kind, int at, const std::string& replacement, bool remove = false,
                  bool duplicate = false) {
    Mutant m{kind, lines};
    if (remove) {
      m.lines.erase(m.lines.begin() + at);
    } else if (duplicate) {
      m.lines.insert(m.lines.begin() + at + 1, lines[at]);
    } else {
      m.lines[at] = replacement;
    }
    out.push_back(std::move(m));
  };
  // A wrong ack in an expect line, at or before the failing line.
  if (int i = last_before(lines, upto, [](const std::string& l) {
        return is_expect_packet(l) && std::regex_search(l, std::regex(R"( ack=[0-9]+)"));
      });
      i >= 0) {
    std::smatch m;
    std::regex_search(lines[i], m, std::regex(R"( ack=([0-9]+))"));
    with("ack", i, m.prefix().str() + " ack=" + std::to_string(std::stoll(m[1]) + 7) + m.suffix().str());
  }
  // Wrong flags in an expect line.
  if (int i = last_before(lines, upto, is_expect_packet); i >= 0) {
    std::smatch m;
    std::regex_search(lines[i], m, std::regex(R"(flags=(\S+))"));
    with("flags", i, m.prefix().str() + "flags=" + (m[1] == "A" ? "R" : "A") + m.suffix().str());
  }
  // A wrong state.
  if (int i = last_before(lines, upto, is_expect_state); i >= 0) {
    std::smatch m;
    std::regex_search(lines[i], m, std::regex(R"(expect state (\S+))"));
    with("state", i,
         m.prefix().str() + "expect state " + (m[1] == "ESTABLISHED" ? "CLOSE_WAIT" : "ESTABLISHED") +
             m.suffix().str());
  }
  // An expected packet that did come, deleted (before the failing line): a SYN, FIN or
  // RST, which the IUT sends at once. (A bare ACK may be delayed, RFC 9293 §3.8.6.3: with
  // its expect line gone the test moves on before the ACK is due, and the ACK may never
  // be sent or may meet a later, identical expectation; such a mutant is not wrong.)
  const int before = failing > 0 ? failing - 1 : upto;
  if (int i = last_before(lines, before,
                          [](const std::string& l) {
                            return is_expect_packet(l) && std::regex_search(l, std::regex(R"(flags=\S*[SFR])"));
                          });
      i >= 0) {
    with("deleted", i, "", true);
  }
  // An extra expected packet: an acknowledgment expected twice (the IUT sends it once and
  // never retransmits a bare ACK, where a SYN or FIN expected twice may be met by its
  // retransmission).
  if (int i = last_before(lines, before,
                          [](const std::string& l) { return is_expect_packet(l) && l.find("flags=A ") != std::string::npos; });
      i >= 0) {
    with("extra", i, "", false, true);
  }
  return out;
}

class ProfileMutation : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() / ("sp_e2e_mutation_" + std::to_string(getpid()));
    fs::create_directories(scratch_);
    suites_ = generated_suites(scratch_ / "suites");
  }
  void TearDown() override {
    release(suites_);
    std::error_code ec;
    fs::remove_all(scratch_, ec);
  }

  // Runs `dir` on linux with the built-in profile; its results, or a skip/failure.
  Json run_suite(const fs::path& dir, const std::string& name, bool* skip) {
    fs::path json = scratch_ / (name + ".json");
    CommandResult r = run(bin() + " run " + dir.string() + " --target linux --fast --quiet --results " + json.string());
    if (r.status == 3) {
      *skip = true;
      return Json();
    }
    std::ifstream f(json);
    Json j = Json::parse(f, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  fs::path scratch_;
  GeneratedSuites suites_;
};

TEST_F(ProfileMutation, EveryMutantOfAnExpectedDeviationFails) {
  ASSERT_TRUE(suites_.ok) << suites_.output;
  fs::path mutants = scratch_ / "mutants";
  fs::create_directories(mutants);
  size_t deviations = 0, written = 0;
  std::map<std::string, size_t> per_kind;
  std::set<std::string> seen;  // the boundary suite holds the transition suite's tests too
  for (const char* suite : {"tcp", "tcp-boundary"}) {
    bool skip = false;
    Json results = run_suite(suites_.dir / suite, suite, &skip);
    if (skip) GTEST_SKIP() << "cannot run tests against the kernel here (root and /dev/net/tun needed)";
    ASSERT_TRUE(results.contains("tests"));
    for (const Json& t : results["tests"]) {
      if (t["verdict"] != "expected deviation" || !seen.insert(t["name"].get<std::string>()).second) continue;
      ++deviations;
      std::vector<std::string> lines = read_lines(t["path"].get<std::string>());
      for (Mutant& m : mutate(lines, t["failure"]["line"].get<int>())) {
        std::string name = t["name"].get<std::string>() + ".mut_" + m.kind;
        for (std::string& l : m.lines) {
          if (l.rfind("test ", 0) == 0) l = "test   " + name;
        }
        std::ofstream out(mutants / (name + ".spt"));
        for (const std::string& l : m.lines) out << l << "\n";
        ++written;
        ++per_kind[m.kind];
      }
    }
  }
  ASSERT_GE(deviations, 100u);  // the transition and boundary suites' departures of Linux
  bool skip = false;
  Json mutated = run_suite(mutants, "mutants", &skip);
  ASSERT_FALSE(skip);
  ASSERT_EQ(mutated["tests"].size(), written);
  std::string excused;
  for (const Json& t : mutated["tests"]) {
    if (t["verdict"] != "fail") {
      excused += "  " + t["name"].get<std::string>() + ": " + t["verdict"].get<std::string>() +
                 (t.contains("deviation") ? " (" + t["deviation"].get<std::string>() + ")" : "") + "\n";
    }
  }
  std::printf("[ info     ] %zu expected deviations, %zu mutants (ack %zu, flags %zu, state %zu, deleted %zu, "
              "extra %zu)\n",
              deviations, written, per_kind["ack"], per_kind["flags"], per_kind["state"], per_kind["deleted"],
              per_kind["extra"]);
  EXPECT_TRUE(excused.empty()) << "mutants that did not fail:\n" << excused;
  EXPECT_GE(per_kind["deleted"], deviations / 2);
  EXPECT_GE(per_kind["extra"], deviations / 2);
}

}  // namespace
}  // namespace sp::e2e
