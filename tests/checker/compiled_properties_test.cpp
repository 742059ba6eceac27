// TransitionSystem::eval runs a system's property expressions compiled (like guards);
// any other expression goes through the tree walk. Both must give the same value or the
// same error on every state: checked on the reachable states of the shipped specs, where
// a copy of each property expression (not found by address) takes the tree walk.
#include <gtest/gtest.h>

#include <deque>
#include <set>

#include "tests/checker/test_util.hpp"

namespace sp::checker {
namespace {

struct Eval {
  std::optional<int64_t> value;
  std::string error;
  bool operator==(const Eval& o) const { return value == o.value && error == o.error; }
};

Eval Evaluate(const ir::TransitionSystem& ts, const ir::Slots& s, const ir::Expr& e) {
  Eval r;
  r.value = ts.eval(s, e, &r.error);
  return r;
}

// Every expression eval() is asked about by the checkers: invariants, deadlock
// exceptions and LTL atoms.
std::vector<const ir::Expr*> PropertyExprs(const ir::Model& m, int system) {
  std::vector<const ir::Expr*> out;
  for (const ir::Property& p : m.properties) {
    if (p.system != system) continue;
    if (p.kind == ir::PropertyKind::kInvariant) out.push_back(&p.invariant);
    if (p.kind == ir::PropertyKind::kDeadlock && p.except) out.push_back(&*p.except);
    for (const ir::Expr& a : p.atoms) out.push_back(&a);
  }
  return out;
}

void ExpectCompiledEqualsTreeWalk(const std::string& spec, size_t max_states) {
  const auto text = testing::ReadFile(std::string(STATEPROOF_SOURCE_DIR) + "/" + spec);
  ASSERT_TRUE(text) << spec;
  const ir::Model m = testing::Compile(*text);
  for (size_t sys = 0; sys < m.systems.size(); ++sys) {
    ir::TransitionSystem ts(m, static_cast<int>(sys));
    const std::vector<const ir::Expr*> exprs = PropertyExprs(m, static_cast<int>(sys));
    std::vector<ir::Expr> copies;
    for (const ir::Expr* e : exprs) copies.push_back(*e);
    std::set<ir::Slots> seen{ts.initial_state()};
    std::deque<ir::Slots> queue{ts.initial_state()};
    size_t checked = 0, errors = 0, trues = 0;
    while (!queue.empty() && checked < max_states) {
      const ir::Slots s = std::move(queue.front());
      queue.pop_front();
      ++checked;
      for (size_t k = 0; k < exprs.size(); ++k) {
        const Eval compiled = Evaluate(ts, s, *exprs[k]);
        const Eval tree = Evaluate(ts, s, copies[k]);
        ASSERT_TRUE(compiled == tree) << spec << " system " << m.systems[sys].name << " expression " << k
                                      << ": compiled " << compiled.value.value_or(-1) << " '" << compiled.error
                                      << "', tree walk " << tree.value.value_or(-1) << " '" << tree.error << "'";
        errors += compiled.value ? 0 : 1;
        trues += compiled.value.value_or(0) != 0 ? 1 : 0;
      }
      ts.successors(s, [&](const ir::Successor& x) {
        if (!x.error && seen.insert(x.state).second) queue.push_back(x.state);
      });
    }
    EXPECT_GT(checked, 1u) << spec;
    // Not vacuous: the properties are true somewhere (invariants: everywhere).
    if (!exprs.empty()) {
      EXPECT_GT(trues, 0u) << spec << " " << m.systems[sys].name;
    }
  }
}

TEST(CompiledProperties, AgreeWithTheTreeWalkOnTcp) { ExpectCompiledEqualsTreeWalk("spec/tcp.sp", 3000); }

TEST(CompiledProperties, AgreeWithTheTreeWalkOnArp) { ExpectCompiledEqualsTreeWalk("spec/arp.sp", 3000); }

// An absent map key is an error with the same text both ways.
TEST(CompiledProperties, MapErrorsAgree) {
  const ir::Model m = testing::Compile(R"(
protocol p
role A {
  states S0, S1
  initial S0
  var m: map<int[0..3], int[0..3]> capacity 2
  go: from S0 on internal -> S1 { m[1] = 2 }
}
system s {
  instance a: A
}
property reads_absent in s: always a.m[2] == 0
property reads_present in s: always (a in S1 -> a.m[1] == 2)
)");
  ir::TransitionSystem ts(m, 0);
  for (const ir::Property& p : m.properties) {
    const ir::Expr copy = p.invariant;
    const ir::Slots s = ts.initial_state();
    EXPECT_TRUE(Evaluate(ts, s, p.invariant) == Evaluate(ts, s, copy)) << p.name;
  }
  const Eval absent = Evaluate(ts, ts.initial_state(), m.properties[0].invariant);
  EXPECT_FALSE(absent.value);
  EXPECT_EQ(absent.error, "a.m[2] is absent");
}

}  // namespace
}  // namespace sp::checker
