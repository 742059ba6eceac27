// check_ltl on small specs: exact verdicts, and every counterexample re-executed on the
// TransitionSystem (the cycle closes, the property fails on it, and it is fair).
#include <gtest/gtest.h>

#include <algorithm>

#include "checker/ltl/formula.hpp"
#include "checker/ltl/ltl_check.hpp"
#include "compiler/diagnostics.hpp"
#include "compiler/sema/compile.hpp"

namespace sp::checker {
namespace {

ir::Model CompileText(const std::string& text) {
  SourceFile file{"ltl_test.sp", text};
  Diagnostics diags(file);
  CompileOptions options;
  options.warnings = false;
  ir::Model m;
  EXPECT_TRUE(compile_spec(diags, options, m)) << diags.format_all();
  return m;
}

const ir::Property& Prop(const ir::Model& m, const std::string& name) {
  const int p = m.find_property(name);
  EXPECT_GE(p, 0) << name;
  return m.properties.at(static_cast<size_t>(std::max(p, 0)));
}

bool GroupIn(const std::vector<ir::GroupRef>& set, const ir::Label& l) {
  return std::any_of(set.begin(), set.end(),
                     [&](const ir::GroupRef& g) { return g.instance == l.instance && g.transition == l.transition; });
}

// Re-executes the trace on `ts` and checks that it is a fair run violating `prop`.
// Returns "" when it is, else what is wrong.
std::string Recheck(const ir::TransitionSystem& ts, const ir::Property& prop, const Trace& t) {
  if (t.initial != ts.initial_state()) return "wrong initial state";
  std::vector<ir::Slots> states = {t.initial};
  for (size_t i = 0; i < t.steps.size(); ++i) {
    bool found = false;
    ts.successors(states.back(), [&](const ir::Successor& s) {
      found = found || (!s.error && s.label.instance == t.steps[i].label.instance &&
                        s.label.transition == t.steps[i].label.transition && s.state == t.steps[i].state);
    });
    if (!found) return "step " + std::to_string(i + 1) + " is not a successor";
    states.push_back(t.steps[i].state);
  }
  auto enabled = [&](const ir::Slots& s) {
    std::vector<ir::Label> labels;
    ts.successors(s, [&](const ir::Successor& x) {
      if (!x.error) labels.push_back(x.label);
    });
    return labels;
  };
  size_t loop;
  std::vector<size_t> cycle_states;
  std::vector<ir::Label> cycle_steps;
  if (t.end == TraceEnd::kDeadlock) {
    if (t.loop_start) return "a deadlock trace with a loop_start";
    if (!enabled(states.back()).empty()) return "the last state has successors";
    loop = states.size() - 1;
    cycle_states = {loop};
  } else {
    if (t.end != TraceEnd::kCycle || !t.loop_start || *t.loop_start >= t.steps.size()) return "not a lasso";
    if (states.back() != states[*t.loop_start]) return "the cycle does not close";
    states.pop_back();
    loop = *t.loop_start;
    for (size_t i = loop; i < t.steps.size(); ++i) {
      cycle_states.push_back(i);
      cycle_steps.push_back(t.steps[i].label);
    }
  }
  std::vector<uint64_t> letters;
  for (const ir::Slots& s : states) {
    uint64_t v = 0;
    for (size_t a = 0; a < prop.atoms.size(); ++a) {
      if (ts.eval(s, prop.atoms[a]).value_or(0) != 0) v |= uint64_t{1} << a;
    }
    letters.push_back(v);
  }
  if (ltl::holds_on_lasso(ltl::from_ir(prop.ltl), letters, loop)) return "the run satisfies the property";
  for (const ir::Fairness& f : prop.fairness) {
    for (const auto& set : f.sets) {
      bool taken = std::any_of(cycle_steps.begin(), cycle_steps.end(), [&](const ir::Label& l) { return GroupIn(set, l); });
      if (taken) continue;
      bool somewhere = false, everywhere = true;
      for (size_t i : cycle_states) {
        std::vector<ir::Label> en = enabled(states[i]);
        bool e = std::any_of(en.begin(), en.end(), [&](const ir::Label& l) { return GroupIn(set, l); });
        somewhere = somewhere || e;
        everywhere = everywhere && e;
      }
      if (f.strong ? somewhere : everywhere) return "the cycle is unfair to " + f.text;
    }
  }
  return "";
}

struct Checked {
  LtlResult result;
  std::string recheck;  // "" when there is no trace or it rechecks
};

Checked Check(const ir::Model& m, const std::string& property, ltl::Algorithm algo = ltl::Algorithm::kAuto) {
  const ir::Property& prop = Prop(m, property);
  ir::TransitionSystem ts(m, prop.system);
  LtlOptions o;
  o.algorithm = algo;
  Checked c{check_ltl(ts, prop, o), ""};
  if (c.result.trace) c.recheck = Recheck(ts, prop, *c.result.trace);
  return c;
}

// ---------------------------------------------------------------------------------

const char* kToggle = R"(
protocol toggle
role Toggler {
  states OFF, ON
  initial OFF
  switch_on: from OFF on internal -> ON
  switch_off: from ON on internal -> OFF
}
system one {
  instance t: Toggler
}
property infinitely_on in one: always eventually t in ON
property finally_on in one: eventually always t in ON
property alternates in one: always (t in ON -> next t in OFF)
property stays in one: always (t in ON -> next t in ON)
)";

TEST(LtlCheck, TogglerSatisfiesInfinitelyOften) {
  ir::Model m = CompileText(kToggle);
  for (ltl::Algorithm a : {ltl::Algorithm::kNestedDfs, ltl::Algorithm::kScc}) {
    Checked c = Check(m, "infinitely_on", a);
    EXPECT_EQ(c.result.verdict, Verdict::kHolds) << c.result.message;
    EXPECT_EQ(c.result.algorithm, a);
    EXPECT_GE(c.result.states, 2u);
    EXPECT_EQ(Check(m, "alternates", a).result.verdict, Verdict::kHolds);
    c = Check(m, "finally_on", a);
    ASSERT_EQ(c.result.verdict, Verdict::kViolated);
    ASSERT_TRUE(c.result.trace);
    EXPECT_EQ(c.result.trace->end, TraceEnd::kCycle);
    EXPECT_EQ(c.result.trace->property, "finally_on");
    EXPECT_EQ(c.recheck, "");
    c = Check(m, "stays", a);
    ASSERT_EQ(c.result.verdict, Verdict::kViolated);
    EXPECT_EQ(c.recheck, "");
  }
  Checked c = Check(m, "infinitely_on");
  EXPECT_EQ(c.result.formula, "[]<>p0");
  EXPECT_LE(c.result.automaton_states, 2);
}

const char* kStuck = R"(
protocol stuck
role Worker {
  states IDLE, WORK, STUCK
  initial IDLE
  begin: from IDLE on internal -> WORK
  finish: from WORK on internal -> IDLE
  jam: from IDLE on internal -> STUCK
}
system one {
  instance w: Worker
}
property keeps_working in one: always eventually w in WORK
property may_idle in one: eventually w in IDLE
)";

TEST(LtlCheck, StuckProcessViolatesEventuallyWithStutter) {
  ir::Model m = CompileText(kStuck);
  for (ltl::Algorithm a : {ltl::Algorithm::kNestedDfs, ltl::Algorithm::kScc}) {
    Checked c = Check(m, "keeps_working", a);
    ASSERT_EQ(c.result.verdict, Verdict::kViolated) << ltl::algorithm_name(a);
    ASSERT_TRUE(c.result.trace);
    // Either jam right away (the stuck state repeats forever) ... or a cycle through
    // WORK is impossible, so it must be the stutter.
    EXPECT_EQ(c.result.trace->end, TraceEnd::kDeadlock);
    EXPECT_FALSE(c.result.trace->loop_start);
    ASSERT_FALSE(c.result.trace->steps.empty());
    ir::TransitionSystem ts(m, 0);
    EXPECT_EQ(ts.control_state(c.result.trace->steps.back().state, 0), 2);  // STUCK
    EXPECT_NE(c.result.message.find("without successors"), std::string::npos) << c.result.message;
    EXPECT_EQ(c.recheck, "");
    EXPECT_EQ(Check(m, "may_idle", a).result.verdict, Verdict::kHolds);  // the initial state is IDLE
  }
}

const char* kSpinner = R"(
protocol spinner
role Spinner {
  states SPIN
  initial SPIN
  spin: from SPIN on internal -> SPIN
}
role Job {
  states IDLE, DONE
  initial IDLE
  go: from IDLE on internal -> DONE
}
system two {
  instance s: Spinner
  instance j: Job
}
property done in two: eventually j in DONE
property done_weak in two: eventually j in DONE under weak fair j
property done_weak_go in two: eventually j in DONE under weak fair go
property done_weak_spin in two: eventually j in DONE under weak fair s
)";

TEST(LtlCheck, WeakFairnessRulesOutStarvation) {
  ir::Model m = CompileText(kSpinner);
  Checked c = Check(m, "done");
  ASSERT_EQ(c.result.verdict, Verdict::kViolated);
  EXPECT_EQ(c.recheck, "");
  EXPECT_EQ(c.result.trace->end, TraceEnd::kCycle);
  EXPECT_EQ(Check(m, "done_weak").result.verdict, Verdict::kHolds);
  EXPECT_EQ(Check(m, "done_weak_go").result.verdict, Verdict::kHolds);
  EXPECT_EQ(Check(m, "done_weak_go").result.algorithm, ltl::Algorithm::kScc);
  c = Check(m, "done_weak_spin");
  ASSERT_EQ(c.result.verdict, Verdict::kViolated);
  EXPECT_EQ(c.recheck, "");
}

const char* kBlinker = R"(
protocol blinker
role Runner {
  states A, B, DONE
  initial A
  ab: from A on internal -> B
  ba: from B on internal -> A
  go: from A on internal -> DONE
}
system one {
  instance r: Runner
}
property done_weak in one: eventually r in DONE under weak fair go
property done_strong in one: eventually r in DONE under strong fair go
property done_strong_ab in one: eventually r in DONE under strong fair ab
)";

TEST(LtlCheck, StrongFairnessForIntermittentlyEnabledTransition) {
  ir::Model m = CompileText(kBlinker);
  // `go` is enabled in A only: the A-B loop is weakly fair to it.
  Checked c = Check(m, "done_weak");
  ASSERT_EQ(c.result.verdict, Verdict::kViolated);
  EXPECT_EQ(c.recheck, "");
  EXPECT_EQ(Check(m, "done_strong").result.verdict, Verdict::kHolds);
  c = Check(m, "done_strong_ab");
  ASSERT_EQ(c.result.verdict, Verdict::kViolated);
  EXPECT_EQ(c.recheck, "");
}

const char* kCounter = R"(
protocol counter
role Counter {
  states RUN, SKIP
  initial RUN
  var n: int[0..5] = 0
  inc: from RUN on internal if n < 3 -> RUN { n = n + 1 }
  rest: from RUN on internal if n == 3 -> RUN
  skip: from RUN on internal if n == 1 -> SKIP { n = 5 }
}
system one {
  instance c: Counter
}
property reaches_three in one: (c.n < 3) until (c.n == 3)
property starts_with_one in one: next c.n == 1
property second_is_two in one: next next c.n == 2
property small_until_skip in one: (c.n < 3) until (c in SKIP)
)";

TEST(LtlCheck, UntilAndNext) {
  ir::Model m = CompileText(kCounter);
  for (ltl::Algorithm a : {ltl::Algorithm::kNestedDfs, ltl::Algorithm::kScc}) {
    Checked c = Check(m, "reaches_three", a);
    ASSERT_EQ(c.result.verdict, Verdict::kViolated) << ltl::algorithm_name(a);  // via SKIP, n = 5
    EXPECT_EQ(c.recheck, "");
    EXPECT_EQ(Check(m, "starts_with_one", a).result.verdict, Verdict::kHolds);
    c = Check(m, "second_is_two", a);  // 0, 1, then SKIP with n = 5
    ASSERT_EQ(c.result.verdict, Verdict::kViolated);
    EXPECT_EQ(c.recheck, "");
    c = Check(m, "small_until_skip", a);  // 0, 1, 2, 3: n < 3 fails before SKIP
    ASSERT_EQ(c.result.verdict, Verdict::kViolated);
    EXPECT_EQ(c.recheck, "");
  }
}

TEST(LtlCheck, ResultFormForTheCli) {
  ir::Model m = CompileText(kSpinner);
  ir::TransitionSystem ts(m, 0);
  std::vector<int> props;
  for (const char* n : {"done", "done_weak"}) props.push_back(m.find_property(n));
  props.push_back(-1);
  Result r = check_ltl(ts, props, Options{});
  ASSERT_EQ(r.outcomes.size(), 3u);
  EXPECT_EQ(r.outcomes[0].name, "done");
  EXPECT_EQ(r.outcomes[0].verdict, Verdict::kViolated);
  ASSERT_TRUE(r.outcomes[0].trace);
  EXPECT_FALSE(r.outcomes[0].message.empty());
  EXPECT_EQ(r.outcomes[1].verdict, Verdict::kHolds);
  EXPECT_GT(r.outcomes[1].stats.states, 0u);
  EXPECT_EQ(r.outcomes[2].verdict, Verdict::kUnknown);
  EXPECT_FALSE(r.complete);
}

TEST(LtlCheck, NotAnLtlPropertyAndLimits) {
  const std::string spec = std::string(kCounter) + "property inv in one: always c.n < 6\n";
  ir::Model m = CompileText(spec);
  ir::TransitionSystem ts(m, 0);
  LtlResult r = check_ltl(ts, Prop(m, "inv"), LtlOptions{});
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  LtlOptions o;
  o.max_states = 2;
  r = check_ltl(ts, Prop(m, "starts_with_one"), o);
  EXPECT_EQ(r.verdict, Verdict::kUnknown);
  EXPECT_EQ(r.message, "max-states");
}

}  // namespace
}  // namespace sp::checker
