// Agreement with SPIN on the shipped specs: every system of spec/tcp.sp, spec/arp.sp,
// spec/variants/*.sp (TCP at MAX_RETX=1) and tests/checker/specs/*.sp is exported to Promela (ir::to_promela), SPIN
// builds and runs the verifier, and per property the verdicts must be the same; where
// stateproof finds no checking error, SPIN's "states, stored" must equal stateproof's
// state count exactly (docs/checker.md, "Cross-validation with SPIN").
//
// Safety: one `pan -c0` run (it goes on after a violation and names each violated
// property once: `assertion violated prop_NAME`). LTL (spin -DLIVENESS): `pan -a -N P`,
// with -f where the declared fairness is weak fairness per instance; a fairness SPIN
// cannot express is checked without fairness (and, with SPIN_AGREEMENT_FAIR set in the
// environment, also with weak fairness per instance), against stateproof given the same
// fairness.
// Skipped, with a message, when spin or gcc is missing (scripts/install-deps.sh).
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "checker/ltl/ltl_check.hpp"
#include "compiler/ir/promela.hpp"
#include "tests/checker/spin_run.hpp"
#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

using testing::BuildPan;
using testing::HaveTool;
using testing::PanRun;
using testing::RunPan;

const std::string kSource = STATEPROOF_SOURCE_DIR;
const std::string kPan = "-m100000 -w22";

std::vector<std::string> SpecFiles() {
  std::vector<std::string> out = {"spec/tcp.sp", "spec/arp.sp"};
  std::vector<std::string> variants;
  for (const auto& e : std::filesystem::directory_iterator(kSource + "/spec/variants")) {
    // arp_reply_any's bug (every host answers every request) makes reply storms whose
    // full state space does not fit in memory, on either side; tests/checker/specs_test.cpp
    // checks that variant one property at a time, where the violation is 2 steps deep.
    if (e.path().stem() == "arp_reply_any") continue;
    if (e.path().extension() == ".sp") variants.push_back("spec/variants/" + e.path().filename().string());
  }
  // Small specs for language constructs (blocking channels, channel conditions, ...).
  for (const auto& e : std::filesystem::directory_iterator(kSource + "/tests/checker/specs")) {
    if (e.path().extension() == ".sp") variants.push_back("tests/checker/specs/" + e.path().filename().string());
  }
  std::sort(variants.begin(), variants.end());
  out.insert(out.end(), variants.begin(), variants.end());
  return out;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = std::filesystem::path(info.param).stem().string();
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/promela_agree_XXXXXX";
    path_ = mkdtemp(tmpl) ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

ir::Model CompileFile(const std::string& rel) {
  const std::optional<std::string> text = testing::ReadFile(kSource + "/" + rel);
  EXPECT_TRUE(text) << rel;
  CompileOptions o;
  // Small sizes: the TCP specs at one retransmission (SPIN's R1).
  if (rel.find("tcp") != std::string::npos) o.const_overrides.emplace_back("MAX_RETX", 1);
  return testing::Compile(text.value_or(""), o);
}

// Weak fairness per instance (SPIN's pan -f) in the IR's terms.
std::vector<ir::Fairness> PerInstance(const ir::Model& m, int sys) {
  std::vector<ir::Fairness> out;
  const ir::System& s = m.systems[static_cast<size_t>(sys)];
  for (size_t i = 0; i < s.instances.size(); ++i) {
    ir::Fairness f;
    f.text = "weak fair " + s.instances[i].name;
    f.sets.emplace_back();
    const ir::Role& role = m.roles[static_cast<size_t>(s.instances[i].role)];
    for (size_t t = 0; t < role.transitions.size(); ++t) {
      f.sets.back().push_back(ir::GroupRef{static_cast<int>(i), static_cast<int>(t)});
    }
    out.push_back(std::move(f));
  }
  return out;
}

LtlResult Ours(const ir::Model& base, int sys, int p, const std::optional<std::vector<ir::Fairness>>& fairness) {
  ir::Model m = base;
  if (fairness) m.properties[static_cast<size_t>(p)].fairness = *fairness;
  ir::TransitionSystem ts(m, sys);
  return check_ltl(ts, m.properties[static_cast<size_t>(p)], LtlOptions{});
}

struct Tally {
  int safety = 0, ltl = 0, violated = 0, counted = 0;
};

// SPIN's verdict on LTL claim `claim` with or without -f; a fair violation that ends in
// a state without steps (fair to everything) is looked for without -f, where `pan -a -f`
// misses some of these stuttering cycles (docs/ltl.md).
bool SpinViolates(const std::string& dir, const std::string& claim, bool fair, const LtlResult& ours) {
  const bool stutter = ours.verdict == Verdict::kViolated && ours.trace && !ours.trace->loop_start;
  const PanRun r = RunPan(dir, "-a " + std::string(fair && !stutter ? "-f " : "") + kPan + " -N " + claim);
  EXPECT_TRUE(r.ok) << r.output;
  return r.errors > 0;
}

void CheckSystem(const std::string& spec, const ir::Model& m, int sys, Tally& tally) {
  const std::string where = spec + " system " + m.systems[static_cast<size_t>(sys)].name;
  std::string error;
  const std::optional<ir::PromelaModel> pml = ir::to_promela(m, sys, &error);
  ASSERT_TRUE(pml) << where << ": " << error;
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  {
    std::ofstream f(dir.path() + "/model.pml");
    f << pml->text;
  }

  // Safety: every invariant and deadlock property, and checking errors, in one search each.
  ir::TransitionSystem ts(m, sys);
  std::vector<int> safety;
  for (const ir::PromelaProperty& p : pml->properties) {
    if (p.kind != ir::PropertyKind::kLtl) safety.push_back(p.property);
  }
  Options opts;
  opts.jobs = 1;
  opts.por = false;  // SPIN's -DNOREDUCE state count
  const Result ours = check_safety(ts, safety, opts);
  ASSERT_TRUE(ours.complete) << where;
  std::string log;
  ASSERT_TRUE(BuildPan(dir.path(), "", "-O0 -DSAFETY -DNOREDUCE", &log)) << where << "\n" << log;
  const PanRun spin = RunPan(dir.path(), "-c0 " + kPan);
  ASSERT_TRUE(spin.ok) << where << "\n" << spin.output;
  bool errors = false;
  for (const Outcome& o : ours.outcomes) {
    if (o.property < 0) {
      errors = o.verdict == Verdict::kViolated;
      bool spin_errors = false;
      for (const std::string& msg : spin.messages) spin_errors = spin_errors || msg.find("prop_") == std::string::npos;
      EXPECT_EQ(spin_errors, errors) << where << ": checking errors\n" << spin.output;
      continue;
    }
    const auto it = std::find_if(pml->properties.begin(), pml->properties.end(),
                                 [&](const ir::PromelaProperty& p) { return p.property == o.property; });
    ASSERT_NE(it, pml->properties.end());
    const bool spin_violated = spin.messages.count("assertion violated " + it->flag) > 0;
    EXPECT_EQ(spin_violated, o.verdict == Verdict::kViolated)
        << where << ": property " << o.name << " is " << verdict_name(o.verdict) << " here\n" << spin.output;
    ++tally.safety;
    tally.violated += o.verdict == Verdict::kViolated;
  }
  if (!errors) {
    // The exact relation: the same reachable states (the monitor's steps, which fire only
    // on a violation, lead back to the state they start from).
    EXPECT_EQ(spin.states, ours.stats.states) << where << "\n" << spin.output;
    ++tally.counted;
  }

  // LTL, where there are no checking errors (SPIN would report those first).
  bool built = false;
  for (const ir::PromelaProperty& p : pml->properties) {
    if (p.kind != ir::PropertyKind::kLtl || errors) continue;
    if (p.uses_next) continue;  // Debian's SPIN has no X
    if (!built) {
      ASSERT_TRUE(BuildPan(dir.path(), "-DLIVENESS", "-O0 -DNOREDUCE", &log)) << where << "\n" << log;
      built = true;
    }
    const std::string& name = m.properties[static_cast<size_t>(p.property)].name;
    std::vector<std::pair<std::string, std::optional<std::vector<ir::Fairness>>>> runs;
    if (p.fairness == ir::SpinFairness::kNone) {
      runs.emplace_back("", std::nullopt);
    } else if (p.fairness == ir::SpinFairness::kPerProcess) {
      runs.emplace_back("-f", std::nullopt);
    } else {
      runs.emplace_back("", std::vector<ir::Fairness>{});  // without fairness
      // Weak fairness per instance too (pan -a -f takes minutes on ARP's `lan` at -O0).
      if (std::getenv("SPIN_AGREEMENT_FAIR") != nullptr) runs.emplace_back("-f", PerInstance(m, sys));
    }
    for (const auto& [flag, fairness] : runs) {
      const LtlResult r = Ours(m, sys, p.property, fairness);
      ASSERT_NE(r.verdict, Verdict::kUnknown) << where << ": " << name << ": " << r.message;
      const bool spin_violated = SpinViolates(dir.path(), p.claim, flag == "-f", r);
      EXPECT_EQ(spin_violated, r.verdict == Verdict::kViolated)
          << where << ": LTL property " << name << (flag.empty() ? " without fairness" : " with weak fairness per instance")
          << " is " << verdict_name(r.verdict) << " here: " << r.message;
      ++tally.ltl;
    }
    // The verdict under the declared fairness, for the tally.
    tally.violated += Ours(m, sys, p.property, std::nullopt).verdict == Verdict::kViolated;
  }
  std::printf("  %s: %llu states (SPIN %llu), %zu properties\n", where.c_str(),
              static_cast<unsigned long long>(ours.stats.states), static_cast<unsigned long long>(spin.states),
              pml->properties.size());
}

class PromelaAgreement : public ::testing::TestWithParam<std::string> {};

TEST_P(PromelaAgreement, SameVerdictsAndStateCounts) {
  if (!HaveTool("spin") || !HaveTool("gcc")) {
    GTEST_SKIP() << "needs spin and gcc (scripts/install-deps.sh installs Debian's spin)";
  }
  const ir::Model m = CompileFile(GetParam());
  ASSERT_FALSE(m.systems.empty());
  Tally tally;
  for (size_t s = 0; s < m.systems.size(); ++s) {
    CheckSystem(GetParam(), m, static_cast<int>(s), tally);
    if (HasFatalFailure()) return;
  }
  // Not vacuous: properties were compared and every system's state count too.
  EXPECT_GT(tally.safety + tally.ltl, 0);
  EXPECT_EQ(tally.counted, static_cast<int>(m.systems.size()));
  // Each variant breaks something (spec/variants/*.sp, "Breaks:"); the shipped specs hold.
  // The construct specs (tests/checker/specs/) may have violations on purpose.
  if (GetParam().find("variants/") != std::string::npos) {
    EXPECT_GT(tally.violated, 0) << GetParam() << ": no property is violated";
  } else if (GetParam().find("tests/checker/specs/") == std::string::npos) {
    EXPECT_EQ(tally.violated, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(Shipped, PromelaAgreement, ::testing::ValuesIn(SpecFiles()), TestName);

}  // namespace
}  // namespace sp::checker
