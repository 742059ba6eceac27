// The coverage report of spec/tcp.sp: every named transition of the role is accounted
// for exactly once -- covered (with tests that exist and name it), unreachable or not
// generated (with a reason) -- and the counts in the report's header are those of its
// sections.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "gen/generate.hpp"
#include "tests/gen/spec_file.hpp"

namespace sp::gen {
namespace {

// Lines of one section of the report ("covered:", "unreachable:", "not generated:").
std::vector<std::string> Section(const std::string& report, const std::string& heading) {
  std::vector<std::string> out;
  std::istringstream in(report);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line == heading) {
      inside = true;
    } else if (inside && line.rfind("  ", 0) == 0) {
      out.push_back(line.substr(2, line.find(':') - 2));
    } else if (inside) {
      inside = false;
    }
  }
  return out;
}

TEST(GenCoverageReport, TcpCountsAddUp) {
  ir::Model m = testing::compile_repo_spec("tcp.sp");
  ASSERT_FALSE(m.roles.empty());
  for (Coverage c : {Coverage::kTransition, Coverage::kBoundary}) {
    GenOptions o;
    o.role = "Endpoint";
    o.coverage = c;
    GenResult r;
    std::string error;
    ASSERT_TRUE(generate(m, o, &r, &error)) << error;
    const ir::Role& role = m.roles[static_cast<size_t>(m.find_role("Endpoint"))];
    // Every named transition exactly once, in the spec's order.
    ASSERT_EQ(r.coverage.size(), role.transitions.size());
    for (size_t t = 0; t < role.transitions.size(); ++t) {
      EXPECT_EQ(r.coverage[t].transition, role.transitions[t].name);
    }
    std::map<std::string, int> tests_of;  // transition -> tests naming it
    for (const TestCase& t : r.tests) {
      ASSERT_FALSE(t.covers.empty()) << t.name;
      tests_of[t.covers[0].substr(t.covers[0].find('.') + 1)]++;
    }
    int covered = 0, unreachable = 0, notgen = 0;
    for (const CoverageEntry& e : r.coverage) {
      switch (e.status) {
        case CoverageEntry::Status::kCovered:
          ++covered;
          EXPECT_FALSE(e.tests.empty()) << e.transition;
          EXPECT_GE(tests_of[e.transition], static_cast<int>(e.tests.size())) << e.transition;
          break;
        case CoverageEntry::Status::kUnreachable:
          ++unreachable;
          EXPECT_FALSE(e.why.empty()) << e.transition;
          EXPECT_EQ(tests_of[e.transition], 0) << e.transition;
          break;
        case CoverageEntry::Status::kNotGenerated:
          ++notgen;
          EXPECT_FALSE(e.why.empty()) << e.transition;
          break;
      }
    }
    // Every test is counted under a covered transition.
    for (const auto& [name, n] : tests_of) {
      bool found = false;
      for (const CoverageEntry& e : r.coverage) {
        found |= e.transition == name && e.status == CoverageEntry::Status::kCovered;
      }
      EXPECT_TRUE(found) << n << " tests name " << name << ", which is not listed as covered";
    }
    const std::string report = r.report();
    std::smatch h;
    ASSERT_TRUE(std::regex_search(report, h,
                                  std::regex(R"(^role Endpoint: (\d+) transitions, (\d+) covered, )"
                                             R"((\d+) unreachable, (\d+) not generated\n)")))
        << report;
    EXPECT_EQ(std::stoi(h[1]), static_cast<int>(role.transitions.size()));
    EXPECT_EQ(std::stoi(h[2]), covered);
    EXPECT_EQ(std::stoi(h[3]), unreachable);
    EXPECT_EQ(std::stoi(h[4]), notgen);
    EXPECT_EQ(covered + unreachable + notgen, static_cast<int>(role.transitions.size()));
    EXPECT_EQ(Section(report, "covered:").size(), static_cast<size_t>(covered)) << report;
    EXPECT_EQ(Section(report, "unreachable:").size(), static_cast<size_t>(unreachable)) << report;
    EXPECT_EQ(Section(report, "not generated:").size(), static_cast<size_t>(notgen)) << report;
    EXPECT_NE(report.find("tests: " + std::to_string(r.tests.size()) + "\n"), std::string::npos);
    if (c == Coverage::kBoundary) {
      EXPECT_NE(report.find("variants not generated: " + std::to_string(r.skipped.size())),
                std::string::npos);
    }
  }
}

}  // namespace
}  // namespace sp::gen
