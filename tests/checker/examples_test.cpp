// The classic protocols in spec/examples/: each correct version satisfies every property,
// each buggy one violates the properties its header names (and only those); stateproof
// and SPIN (on the model `export --to promela` writes) give those verdicts, and count the
// same states. Safety: one `pan -c0` run (`assertion violated prop_NAME` per violated
// property, any other error a checking error). LTL: `pan -a -N P` (the examples declare
// no fairness: every run of them ends). SPIN's part is skipped, with a message, when
// spin or gcc is missing (scripts/install-deps.sh). docs/examples.md shows the output.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "checker/ltl/ltl_check.hpp"
#include "compiler/ir/promela.hpp"
#include "tests/checker/spin_run.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

struct Example {
  std::string file;                 // under spec/examples/
  std::set<std::string> violated;   // every other property holds, and no checking error
};

// Named by its file in test listings (gtest would print the object's bytes).
void PrintTo(const Example& e, std::ostream* os) { *os << e.file; }

const Example kExamples[] = {
    {"abp.sp", {}},
    {"abp_bug.sp", {"in_order"}},
    {"gbn.sp", {}},
    {"gbn_bug.sp", {"in_order", "all_delivered"}},
    {"lcr.sp", {}},
    {"lcr_bug.sp", {"one_leader", "all_learn"}},
};

std::string TestName(const ::testing::TestParamInfo<Example>& info) {
  std::string n = info.param.file.substr(0, info.param.file.size() - 3);
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

class Examples : public ::testing::TestWithParam<Example> {};

TEST_P(Examples, VerdictsOfStateproofAndSpin) {
  const Example& ex = GetParam();
  const std::optional<std::string> text = testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + "/spec/examples/" + ex.file);
  ASSERT_TRUE(text) << ex.file;
  const ir::Model m = testing::Compile(*text);
  ASSERT_EQ(m.systems.size(), 1u);
  ir::TransitionSystem ts(m, 0);

  // stateproof: the safety properties in one search, then each LTL property.
  const auto start = std::chrono::steady_clock::now();
  const Result safety = check_safety(ts, testing::PropertiesOf(m, 0), testing::Bfs());
  ASSERT_TRUE(safety.complete);
  std::map<std::string, bool> ours;  // property -> violated
  bool errors = false;
  for (const Outcome& o : safety.outcomes) {
    if (o.property < 0) {
      errors = o.verdict == Verdict::kViolated;
    } else {
      ours[o.name] = o.verdict == Verdict::kViolated;
    }
  }
  for (size_t p = 0; p < m.properties.size(); ++p) {
    if (m.properties[p].kind != ir::PropertyKind::kLtl) continue;
    const LtlResult r = check_ltl(ts, m.properties[p], LtlOptions{});
    ASSERT_NE(r.verdict, Verdict::kUnknown) << m.properties[p].name << ": " << r.message;
    ours[m.properties[p].name] = r.verdict == Verdict::kViolated;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_FALSE(errors) << ex.file << ": a checking error";
  for (const auto& [name, violated] : ours) {
    EXPECT_EQ(violated, ex.violated.count(name) > 0) << ex.file << ": " << name;
  }
  for (const std::string& name : ex.violated) EXPECT_TRUE(ours.count(name)) << ex.file << ": no property " << name;
  std::printf("  %s: stateproof %llu states, %.2f s\n", ex.file.c_str(),
              static_cast<unsigned long long>(safety.stats.states), seconds);

  // SPIN on the export.
  if (!testing::HaveTool("spin") || !testing::HaveTool("gcc")) {
    GTEST_SKIP() << "SPIN's verdicts need spin and gcc (scripts/install-deps.sh installs Debian's spin)";
  }
  std::string error;
  const std::optional<ir::PromelaModel> pml = ir::to_promela(m, 0, &error);
  ASSERT_TRUE(pml) << error;
  const testing::PanDir pan_dir("sp_examples", pml->text);
  ASSERT_FALSE(pan_dir.path().empty());
  const std::string& dir = pan_dir.path();
  std::string log;
  ASSERT_TRUE(testing::BuildPan(dir, "", "-O0 -DSAFETY -DNOREDUCE", &log)) << log;
  const testing::PanRun run = testing::RunPan(dir, "-c0 -m100000 -w20");
  ASSERT_TRUE(run.ok) << run.output;
  std::map<std::string, bool> spin;
  bool spin_errors = false;
  for (const std::string& msg : run.messages) spin_errors = spin_errors || msg.find("prop_") == std::string::npos;
  EXPECT_FALSE(spin_errors) << run.output;
  EXPECT_EQ(run.states, safety.stats.states) << run.output;
  ASSERT_TRUE(testing::BuildPan(dir, "-DLIVENESS", "-O0 -DNOREDUCE", &log)) << log;
  for (const ir::PromelaProperty& p : pml->properties) {
    const std::string& name = m.properties[static_cast<size_t>(p.property)].name;
    if (p.kind == ir::PropertyKind::kLtl) {
      ASSERT_EQ(p.fairness, ir::SpinFairness::kNone) << name;
      const testing::PanRun r = testing::RunPan(dir, "-a -m100000 -w20 -N " + p.claim);
      ASSERT_TRUE(r.ok) << r.output;
      spin[name] = r.errors > 0;
    } else {
      spin[name] = run.messages.count("assertion violated " + p.flag) > 0;
    }
  }
  EXPECT_EQ(spin, ours) << ex.file << ": SPIN and stateproof disagree";
  std::printf("  %s: SPIN %llu states\n", ex.file.c_str(), static_cast<unsigned long long>(run.states));
}

INSTANTIATE_TEST_SUITE_P(Classic, Examples, ::testing::ValuesIn(kExamples), TestName);

// Every example file is in the table above.
TEST(ExamplesDir, EveryFileHasExpectedVerdicts) {
  std::set<std::string> files, listed;
  for (const auto& e : std::filesystem::directory_iterator(std::string(STATEPROOF_SOURCE_DIR) + "/spec/examples")) {
    if (e.path().extension() == ".sp") files.insert(e.path().filename().string());
  }
  for (const Example& ex : kExamples) listed.insert(ex.file);
  EXPECT_EQ(files, listed);
}

}  // namespace
}  // namespace sp::checker
